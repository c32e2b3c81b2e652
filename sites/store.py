"""The catalog's tables, row by row: opening the file, transactions, and writing and reading
sites, themes, trails and history rows. Everything above it (the ``Catalog``, curation, imports,
the bundled catalog's sync) writes through these functions inside ``Catalog.writing()``."""

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path

from sqlite_utils import Database

from sites import health, search
from sites.errors import StorageError, ValidationError
from sites.folding import fold
from sites.models import Site, Source, Theme, Trail
from sites.schema import migrations

BUSY_TIMEOUT_MS = 5000
_SITE_COLUMNS = [f.name for f in fields(Site) if f.name not in ("themes", "sources")]
_INSERT_HISTORY = (
    "INSERT INTO site_history (site_id, version, changed_at, note, changes, snapshot) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def connect(path: str | Path) -> Database:
    """Open a catalog file with WAL, foreign keys and a busy timeout, migrated to this version.

    An existing file that is not a sound catalog (empty, cut short, another program's) is
    refused with a StorageError that says so, rather than opened as an empty catalog."""
    if str(path) != ":memory:" and Path(path).exists():
        health.check(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
        migrations.apply(db)
    except sqlite3.Error as error:
        raise StorageError.from_sqlite(error, str(path)) from None
    return db


@contextmanager
def transaction(db: Database, path: str, *, immediate: bool = False):
    """A transaction that commits or rolls back whole and reports storage errors in words.

    ``immediate`` takes the file's write lock at once (``BEGIN IMMEDIATE``), so what is read
    inside it cannot be changed by another writer before this one commits.
    """
    try:
        if immediate and not db.conn.in_transaction:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                db.conn.rollback()
                raise
            db.conn.execute("COMMIT")
        else:
            with db.atomic():
                yield
    except sqlite3.Error as error:
        raise StorageError.from_sqlite(error, path) from None


def write_sites(conn, sites: list[Site]) -> None:
    """Store sites with their themes, sources and search rows (inside a transaction)."""
    ids = [(s.id,) for s in sites]
    for table in ("site_themes", "sources"):
        conn.executemany(f"DELETE FROM {table} WHERE site_id = ?", ids)
    delete_search_rows(conn, [s.id for s in sites])
    _upsert_rows(conn, sites)
    conn.executemany(
        "INSERT INTO site_themes (site_id, theme_id, position) VALUES (?, ?, ?)",
        [(s.id, t, n) for s in sites for n, t in enumerate(s.themes)],
    )
    conn.executemany(
        "INSERT INTO sources (site_id, position, url, supports) VALUES (?, ?, ?, ?)",
        [(s.id, n, src.url, src.supports) for s in sites for n, src in enumerate(s.sources)],
    )
    add_search_rows(conn, sites)


def add_search_rows(conn, sites: list[Site]) -> None:
    """Index sites' folded text for search (see ``search.index_row``)."""
    conn.executemany(
        "INSERT INTO sites_fts (id, name, local_names, body, town) VALUES (?, ?, ?, ?, ?)",
        [search.index_row(s) for s in sites],
    )


def delete_search_rows(conn, site_ids: list[str]) -> None:
    """Remove sites' full-text rows. The index cannot look rows up by site id (the column is
    UNINDEXED), so one pass reads every rowid and id and the rows go by rowid: a batch of any
    size costs one scan, where a DELETE per id would scan once per site."""
    if len(site_ids) == 1:
        conn.execute("DELETE FROM sites_fts WHERE id = ?", site_ids)
        return
    wanted = set(site_ids)
    rowids = [
        (rowid,) for rowid, site_id in conn.execute("SELECT rowid, id FROM sites_fts") if site_id in wanted
    ]
    conn.executemany("DELETE FROM sites_fts WHERE rowid = ?", rowids)


def _upsert_rows(conn, sites: list[Site]) -> None:
    # An upsert, not INSERT OR REPLACE: the curation columns (deleted_at, edited,
    # bundled_hash) of an existing row must survive a save.
    columns = ", ".join(_SITE_COLUMNS)
    marks = ", ".join("?" for _ in _SITE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in _SITE_COLUMNS if c != "id")
    conn.executemany(
        f"INSERT INTO sites ({columns}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
        [_site_row(s) for s in sites],
    )


def _site_row(site: Site) -> tuple:
    values = []
    for column in _SITE_COLUMNS:
        value = getattr(site, column)
        values.append(value.isoformat() if isinstance(value, date) else value)
    return tuple(values)


def load_sites(
    conn: sqlite3.Connection, site_id: str | None = None, *, deleted: bool = False
) -> dict[str, Site]:
    """The sites not deleted (or just one), with their themes and sources, ordered by name;
    with ``deleted``, the soft-deleted ones instead, as they were when deleted."""
    where, args = ("AND id = ?", [site_id]) if site_id else ("", [])
    themes: dict[str, list[str]] = defaultdict(list)
    for owner, theme_id in conn.execute(
        f"SELECT site_id, theme_id FROM site_themes WHERE 1 {where.replace('id', 'site_id')} "
        "ORDER BY site_id, position",
        args,
    ):
        themes[owner].append(theme_id)
    sources: dict[str, list[Source]] = defaultdict(list)
    for owner, url, supports in conn.execute(
        f"SELECT site_id, url, supports FROM sources WHERE 1 {where.replace('id', 'site_id')} "
        "ORDER BY site_id, position",
        args,
    ):
        sources[owner].append(Source(url, supports or ""))
    sites = []
    cursor = conn.execute(
        f"SELECT {', '.join(_SITE_COLUMNS)} FROM sites "
        f"WHERE deleted_at IS {'NOT NULL' if deleted else 'NULL'} {where}",
        args,
    )
    for values in cursor:
        row = dict(zip(_SITE_COLUMNS, values, strict=True))
        for key in ("hours_checked", "last_verified"):
            row[key] = date.fromisoformat(row[key]) if row[key] else None
        row["themes"] = tuple(themes[row["id"]])
        row["sources"] = tuple(sources[row["id"]])
        sites.append(Site(**row))
    sites.sort(key=lambda s: (fold(s.name), s.id))
    return {s.id: s for s in sites}


def load_site(conn: sqlite3.Connection, site_id: str) -> Site | None:
    """One site not deleted, or None."""
    return load_sites(conn, site_id).get(site_id)


def write_themes(conn, themes: Iterable[Theme]) -> None:
    """Insert or replace themes, keeping the given order (inside a transaction)."""
    conn.executemany(
        "INSERT OR REPLACE INTO themes (id, name, colour, icon, description, position) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(t.id, t.name, t.colour, t.icon, t.description, n) for n, t in enumerate(themes)],
    )


def write_trails(conn, trails: Iterable[Trail]) -> None:
    """Insert or replace trails and their ordered sites, each with its day (inside a transaction)."""
    trails = list(trails)
    for trail in trails:
        problems = trail.problems()
        if problems:
            raise ValidationError(problems, where=f"Trail {trail.id!r}")
    conn.executemany("DELETE FROM trail_sites WHERE trail_id = ?", [(t.id,) for t in trails])
    conn.executemany(
        "INSERT OR REPLACE INTO trails (id, title, story, days, base, position) VALUES (?, ?, ?, ?, ?, ?)",
        [(t.id, t.title, t.story, t.days, t.base, n) for n, t in enumerate(trails)],
    )
    conn.executemany(
        "INSERT INTO trail_sites (trail_id, position, site_id, day) VALUES (?, ?, ?, ?)",
        [
            (t.id, n, site_id, day)
            for t in trails
            for n, (site_id, day) in enumerate(zip(t.sites, t.site_days, strict=True))
        ],
    )


def now() -> str:
    """The time a change is recorded at (UTC, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def diff(old: Site | None, new: Site) -> dict[str, tuple[object, object]]:
    """Fields that differ between two versions, as JSON-ready (old, new) pairs."""
    before = old.to_record() if old else {}
    after = new.to_record()
    return {key: (before.get(key), value) for key, value in after.items() if before.get(key) != value}


def latest_version(conn, site_id: str) -> int:
    """The newest version number of a site's history (0 when it has none)."""
    row = conn.execute("SELECT max(version) FROM site_history WHERE site_id = ?", [site_id]).fetchone()
    return row[0] or 0


def insert_history(conn, site: Site, note: str, changes: dict) -> int:
    """Add the next version of a site's history (inside a transaction); returns its number."""
    version = latest_version(conn, site.id) + 1
    conn.execute(
        _INSERT_HISTORY,
        [site.id, version, now(), note, json.dumps(changes, ensure_ascii=False),
         json.dumps(site.to_record(), ensure_ascii=False)],
    )  # fmt: skip
    return version


def record_hash(site: Site) -> str:
    """A fingerprint of a bundled record, to tell when the bundle changed it."""
    return hashlib.sha256(json.dumps(site.to_record(), sort_keys=True).encode("utf-8")).hexdigest()
