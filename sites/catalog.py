"""The catalog: a SQLite file (through sqlite-utils) of themes, sites and their sources."""

import gc
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from sites import opening_hours, paths, search
from sites.errors import CatalogError, NotFoundError, StorageError
from sites.folding import fold
from sites.models import SearchResult, Site, SiteFilter, Source, Theme, Trail
from sites.schema import migrations

BUSY_TIMEOUT_MS = 5000
#: Catalogs this large have their site index moved out of the garbage collector's way.
FREEZE_FROM = 5_000
_SITE_COLUMNS = [c for c in Site.__dataclass_fields__ if c not in ("themes", "sources")]


def connect(path: str | Path) -> Database:
    """Open a catalog file with WAL, foreign keys and a busy timeout, migrated to this version."""
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
def transaction(db: Database, path: str):
    """A transaction that commits or rolls back whole and reports storage errors in words."""
    try:
        with db.atomic():
            yield
    except sqlite3.Error as error:
        raise StorageError.from_sqlite(error, path) from None


class Catalog:
    """Themes and sites, searched and filtered; the one way the rest of the app reads them."""

    def __init__(self, db: Database, path: str = ":memory:"):
        self.db = db
        self.path = path
        self._themes: list[Theme] | None = None
        self._sites: dict[str, Site] | None = None
        self._draft_count = 0
        self._data_version = None
        self.last_sync = None  # what the bundled catalog changed when this catalog was opened
        self._fts_ids: dict[int, str] | None = None
        self._unranked: dict[int, SearchResult] | None = None
        self._all: list[SearchResult] | None = None
        self._vocabulary: list[str] | None = None

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, bundled_dir: Path | None = None, sync: bool = True
    ) -> "Catalog":
        """Open the user's catalog, building it from the bundled catalog if the file is new.

        With ``sync`` (the default), a changed bundled catalog is brought in (see
        ``curation.sync_bundled``); background jobs that reopen a catalog the window already
        synced pass ``sync=False`` and skip reading the bundle again.
        """
        path = Path(path) if path else paths.default_catalog_path()
        folder = bundled_dir or paths.bundled_catalog_dir()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            build(path, folder)
        catalog = cls(connect(path), str(path))
        if sync and catalog.db.execute("SELECT value FROM meta WHERE key = 'built_from'").fetchone():
            from sites.curation import sync_bundled

            try:
                catalog.last_sync = sync_bundled(catalog, folder)
            except CatalogError:
                catalog.close()
                raise
        return catalog

    @classmethod
    def in_memory(cls, themes: Iterable[Theme] = (), sites: Iterable[Site] = ()) -> "Catalog":
        """A catalog that lives only in memory (tests, previews)."""
        catalog = cls(connect(":memory:"))
        catalog.save_themes(themes)
        catalog.save_sites(sites)
        return catalog

    def close(self) -> None:
        """Close the database file."""
        self.db.close()

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------

    def themes(self) -> list[Theme]:
        """Every theme in display order."""
        if self._themes is None:
            rows = self.db.query("SELECT id, name, colour, icon, description FROM themes ORDER BY position")
            self._themes = [Theme(**row) for row in rows]
        return list(self._themes)

    def theme(self, theme_id: str) -> Theme:
        """One theme by id."""
        for theme in self.themes():
            if theme.id == theme_id:
                return theme
        raise NotFoundError(f"There is no theme {theme_id!r}; themes are: {self._theme_ids()}")

    def sites(self) -> list[Site]:
        """Every published site, ordered by name: what travelers see."""
        return [s for s in self._site_index().values() if s.status == "published"]

    def all_sites(self) -> list[Site]:
        """Every site not deleted, drafts included, ordered by name: what curators see."""
        return list(self._site_index().values())

    def site(self, site_id: str) -> Site:
        """One site by id (drafts included; deleted sites are not found)."""
        try:
            return self._site_index()[site_id]
        except KeyError:
            raise NotFoundError(f"There is no site {site_id!r} in the catalog") from None

    def __len__(self) -> int:
        """The number of published sites."""
        index = self._site_index()
        return len(index) - self._draft_count

    def towns(self) -> list[str]:
        """The towns sites are in, sorted."""
        return sorted({s.town for s in self.sites()}, key=fold)

    def regions(self) -> list[str]:
        """The regions sites are in, sorted."""
        return sorted({s.region for s in self.sites() if s.region}, key=fold)

    def search(
        self,
        query: str,
        site_filter: SiteFilter | None = None,
        limit: int | None = None,
        *,
        drafts: bool = False,
    ) -> list[SearchResult]:
        """Sites matching any text a person types, best first; never raises on odd input.

        An empty query lists every site (ordered by name). Diacritics, Serbian Cyrillic and
        "dj"/"đ" are folded; when nothing matches exactly, near misses are tried.
        """
        index = self._site_index()
        found = search.rank(self.db, query, self._vocabulary_words)
        if found is None:
            results = self._unranked_all()
        else:
            ranked, rest = found
            ids, unranked = self._fts_index(), self._unranked_by_rowid()
            results = [SearchResult(index[ids[rowid]], score) for rowid, score in ranked]
            results += [unranked[rowid] for rowid in rest]
        if self._draft_count and not drafts:
            results = [r for r in results if r.site.status == "published"]
        if site_filter is not None:
            results = [r for r in results if matches(r.site, site_filter)]
        return results[:limit] if limit is not None else list(results)

    def trails(self) -> list[Trail]:
        """The curated trails, in display order."""
        stops: dict[str, list[str]] = defaultdict(list)
        for trail_id, site_id in self.db.execute(
            "SELECT trail_id, site_id FROM trail_sites ORDER BY trail_id, position"
        ):
            stops[trail_id].append(site_id)
        rows = self.db.query("SELECT id, title, story, days, base FROM trails ORDER BY position")
        return [Trail(**row, sites=tuple(stops[row["id"]])) for row in rows]

    def trail(self, trail_id: str) -> Trail:
        """One trail by id."""
        for trail in self.trails():
            if trail.id == trail_id:
                return trail
        known = ", ".join(t.id for t in self.trails())
        raise NotFoundError(f"There is no trail {trail_id!r}; trails are: {known}")

    # -- writing -----------------------------------------------------------------------------

    def save_trails(self, trails: Iterable[Trail]) -> None:
        """Insert or replace trails and their ordered sites, all or nothing."""
        trails = list(trails)
        with self._writing():
            conn = self.db.conn
            conn.executemany("DELETE FROM trail_sites WHERE trail_id = ?", [(t.id,) for t in trails])
            conn.executemany(
                "INSERT OR REPLACE INTO trails (id, title, story, days, base, position) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(t.id, t.title, t.story, t.days, t.base, n) for n, t in enumerate(trails)],
            )
            conn.executemany(
                "INSERT INTO trail_sites (trail_id, position, site_id) VALUES (?, ?, ?)",
                [(t.id, n, site_id) for t in trails for n, site_id in enumerate(t.sites)],
            )

    def save_themes(self, themes: Iterable[Theme]) -> None:
        """Insert or replace themes, keeping the given order."""
        rows = [{**theme.__dict__, "position": n} for n, theme in enumerate(themes)]
        with self._writing():
            self.db["themes"].upsert_all(rows, pk="id")
        self._themes = None

    def save_sites(self, sites: Iterable[Site]) -> None:
        """Insert or replace sites with their themes, sources and search index, all or nothing."""
        sites = list(sites)
        if not sites:
            return
        with self._writing():
            write_sites(self.db.conn, sites)
        self._forget()

    # -- internals ---------------------------------------------------------------------------

    def _writing(self):
        return transaction(self.db, self.path)

    def _theme_ids(self) -> str:
        return ", ".join(t.id for t in self.themes())

    def _vocabulary_words(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = [row[0] for row in self.db.execute("SELECT term FROM sites_fts_vocab")]
        return self._vocabulary

    def _site_index(self) -> dict[str, Site]:
        # Another window or the CLI may have written to the file: SQLite's data_version
        # changes when another connection commits, and then the cached sites are dropped.
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._forget()
            self._data_version = version
        if self._sites is None:
            self._sites = _load_sites(self.db)
            self._draft_count = sum(s.status != "published" for s in self._sites.values())
            # A large index lives as long as the catalog: keep the collector from walking it on
            # every full collection (a broad search over 50,000 sites triggers several).
            if len(self._sites) >= FREEZE_FROM:
                gc.freeze()
        return self._sites

    def _fts_index(self) -> dict[int, str]:
        if self._fts_ids is None:
            self._fts_ids = dict(self.db.execute("SELECT rowid, id FROM sites_fts").fetchall())
        return self._fts_ids

    def _unranked_by_rowid(self) -> dict[int, SearchResult]:
        """A score-0 result per full-text rowid, made once: long result lists reuse them."""
        if self._unranked is None:
            index = self._site_index()
            self._unranked = {rowid: SearchResult(index[i], 0.0) for rowid, i in self._fts_index().items()}
        return self._unranked

    def _unranked_all(self) -> list[SearchResult]:
        """Every site, by name, as score-0 results (the list an empty search shows)."""
        if self._all is None:
            by_id = {r.site.id: r for r in self._unranked_by_rowid().values()}
            self._all = [by_id[site_id] for site_id in self._site_index()]
        return self._all

    def _forget(self) -> None:
        """Drop what is cached from the database after a write."""
        self._sites = self._fts_ids = self._unranked = self._all = self._vocabulary = None


def matches(site: Site, site_filter: SiteFilter) -> bool:
    """Whether a site passes every part of a filter."""
    f = site_filter
    if f.themes and not f.themes.intersection(site.themes):
        return False
    if f.town and fold(site.town) != fold(f.town):
        return False
    if f.region and fold(site.region) != fold(f.region):
        return False
    if f.wheelchair == "yes" and site.wheelchair != "yes":
        return False
    if f.wheelchair == "limited" and site.wheelchair not in ("yes", "limited"):
        return False
    return not (f.open_on and not _open_on(site, f.open_on))


def _open_on(site: Site, day: date) -> bool:
    try:
        return opening_hours.is_open_on(site.opening_hours, day)
    except CatalogError:
        return False  # unreadable hours cannot promise an open door


def build(path: Path, folder: Path) -> None:
    """Build a new catalog file from the bundled catalog, appearing whole or not at all."""
    from sites.curation import sync_bundled

    building = path.with_name(path.name + ".building")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    catalog = Catalog(connect(building), str(building))
    try:
        sync_bundled(catalog, folder)
        catalog.db["meta"].upsert({"key": "built_from", "value": "bundled"}, pk="key")
    finally:
        catalog.close()
    os.replace(building, path)


def write_sites(conn, sites: list[Site]) -> None:
    """Store sites with their themes, sources and search rows (inside a transaction)."""
    ids = [(s.id,) for s in sites]
    for table in ("site_themes", "sources"):
        conn.executemany(f"DELETE FROM {table} WHERE site_id = ?", ids)
    conn.executemany("DELETE FROM sites_fts WHERE id = ?", ids)
    _upsert_rows(conn, sites)
    conn.executemany(
        "INSERT INTO site_themes (site_id, theme_id, position) VALUES (?, ?, ?)",
        [(s.id, t, n) for s in sites for n, t in enumerate(s.themes)],
    )
    conn.executemany(
        "INSERT INTO sources (site_id, position, url, supports) VALUES (?, ?, ?, ?)",
        [(s.id, n, src.url, src.supports) for s in sites for n, src in enumerate(s.sources)],
    )
    conn.executemany(
        "INSERT INTO sites_fts (id, name, local_names, body, town) VALUES (?, ?, ?, ?, ?)",
        [search.index_row(s) for s in sites],
    )


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


def _load_sites(db: Database) -> dict[str, Site]:
    themes: dict[str, list[str]] = defaultdict(list)
    for site_id, theme_id in db.execute(
        "SELECT site_id, theme_id FROM site_themes ORDER BY site_id, position"
    ):
        themes[site_id].append(theme_id)
    sources: dict[str, list[Source]] = defaultdict(list)
    for site_id, url, supports in db.execute(
        "SELECT site_id, url, supports FROM sources ORDER BY site_id, position"
    ):
        sources[site_id].append(Source(url, supports or ""))
    sites = []
    for row in db.query(f"SELECT {', '.join(_SITE_COLUMNS)} FROM sites WHERE deleted_at IS NULL"):
        for key in ("hours_checked", "last_verified"):
            row[key] = date.fromisoformat(row[key]) if row[key] else None
        row["themes"] = tuple(themes[row["id"]])
        row["sources"] = tuple(sources[row["id"]])
        sites.append(Site(**row))
    sites.sort(key=lambda s: (fold(s.name), s.id))
    return {s.id: s for s in sites}
