"""The catalog's schema, one migration per step; each runs in its own transaction."""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("heritage_trails")

#: FTS5 over folded text (see sites.folding): unicode61 also strips any diacritics left.
FTS_COLUMNS = ("name", "local_names", "body", "town")

# Tables are reached with db.table(name) rather than db[name]: the latter is typed Table | View
# (a View when the name is a view), and only a Table can be created, upserted or deleted from.


@migrations()
def m001_catalog(db: Database) -> None:
    """Themes, sites, their themes and sources, and the full-text index."""
    db.table("themes").create(
        {"id": str, "name": str, "colour": str, "icon": str, "description": str, "position": int},
        pk="id",
    )
    db.table("sites").create(
        {
            "id": str,
            "name": str,
            "name_sr_latn": str,
            "name_sr_cyrl": str,
            "summary": str,
            "us_connection": str,
            "description": str,
            "lat": float,
            "lon": float,
            "coord_precision": str,
            "address": str,
            "town": str,
            "region": str,
            "opening_hours": str,
            "hours_source": str,
            "hours_checked": str,
            "visit_minutes": int,
            "admission": str,
            "wheelchair": str,
            "website": str,
            "wikidata": str,
            "part_of": str,
            "last_verified": str,
        },
        pk="id",
        not_null={"name", "lat", "lon", "town"},
    )
    db.table("site_themes").create(
        {"site_id": str, "theme_id": str, "position": int},
        pk=("site_id", "theme_id"),
        foreign_keys=[("site_id", "sites", "id"), ("theme_id", "themes", "id")],
    )
    db.table("sources").create(
        {"site_id": str, "position": int, "url": str, "supports": str},
        pk=("site_id", "position"),
        foreign_keys=[("site_id", "sites", "id")],
    )
    db.table("site_themes").create_index(["theme_id"])
    db.execute(
        "CREATE VIRTUAL TABLE sites_fts USING fts5("
        f"id UNINDEXED, {', '.join(FTS_COLUMNS)}, tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.execute("CREATE VIRTUAL TABLE sites_fts_vocab USING fts5vocab(sites_fts, 'row')")
    db.table("meta").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_trails(db: Database) -> None:
    """Curated trails: an ordered list of sites with a title, a story and suggested days."""
    db.table("trails").create(
        {"id": str, "title": str, "story": str, "days": int, "base": str, "position": int}, pk="id"
    )
    db.table("trail_sites").create(
        {"trail_id": str, "position": int, "site_id": str},
        pk=("trail_id", "position"),
        foreign_keys=[("trail_id", "trails", "id"), ("site_id", "sites", "id")],
    )


@migrations()
def m003_curation(db: Database) -> None:
    """Draft and published sites, soft deletion, edit tracking, and every change's history."""
    db.execute("ALTER TABLE sites ADD COLUMN status TEXT NOT NULL DEFAULT 'published'")
    db.execute("ALTER TABLE sites ADD COLUMN deleted_at TEXT")
    db.execute("ALTER TABLE sites ADD COLUMN edited INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE sites ADD COLUMN bundled_hash TEXT")
    db.table("site_history").create(
        {"site_id": str, "version": int, "changed_at": str, "note": str, "changes": str, "snapshot": str},
        pk=("site_id", "version"),
    )


@migrations()
def m004_trail_days(db: Database) -> None:
    """The day of its trail each trail site is visited on.

    The column arrives empty; forgetting the bundled catalog's fingerprint makes the next sync
    (``sites.sync``) read the bundle again and write every trail with its days, even when the
    bundle itself did not change since the catalog was built. Sites whose bundled record is
    unchanged are left as they are, so no curator's work is touched.
    """
    db.execute("ALTER TABLE trail_sites ADD COLUMN day INTEGER")
    db.execute("DELETE FROM meta WHERE key = 'bundled_digest'")


@migrations()
def m005_prominence(db: Database) -> None:
    """How strongly search prefers a site among equal matches (curated, 0-3)."""
    db.execute("ALTER TABLE sites ADD COLUMN prominence INTEGER NOT NULL DEFAULT 0")


@migrations()
def m006_search_prefixes(db: Database) -> None:
    """Prefix indexes of two to four letters in the full-text index: every search word is a
    prefix ("bel" finds Belgrade), and without them a short one is answered by merging the
    lists of every word it starts, which cost several milliseconds at 50,000 sites."""
    db.execute("ALTER TABLE sites_fts RENAME TO sites_fts_old")
    db.execute("DROP TABLE sites_fts_vocab")
    db.execute(
        "CREATE VIRTUAL TABLE sites_fts USING fts5("
        f"id UNINDEXED, {', '.join(FTS_COLUMNS)}, tokenize = 'unicode61 remove_diacritics 2', "
        "prefix = '2 3 4')"
    )
    columns = ", ".join(("rowid", "id", *FTS_COLUMNS))
    db.execute(f"INSERT INTO sites_fts ({columns}) SELECT {columns} FROM sites_fts_old")
    db.execute("DROP TABLE sites_fts_old")
    db.execute("CREATE VIRTUAL TABLE sites_fts_vocab USING fts5vocab(sites_fts, 'row')")
