"""The catalog: a SQLite file (through sqlite-utils) of themes, sites and their sources."""

import gc
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from sites import backups as backup_files
from sites import opening_hours, paths, search, store, sync
from sites.errors import HeritageError, NotFoundError, ValidationError
from sites.folding import fold
from sites.models import SearchResult, Site, SiteFilter, Theme, Trail
from sites.search import Vocabulary
from sites.store import connect, transaction, write_sites

__all__ = ["Catalog", "connect", "matches", "transaction", "write_sites"]

#: Catalogs this large have their site index moved out of the garbage collector's way.
FREEZE_FROM = 5_000


class Catalog:
    """Themes and sites, searched and filtered; the one way the rest of the app reads them."""

    def __init__(self, db: Database, path: str = ":memory:"):
        self.db = db
        self.path = path
        self._themes: list[Theme] | None = None
        self._sites: dict[str, Site] | None = None
        self._draft_count = 0
        self._data_version = None
        # What the bundled catalog changed when this catalog was opened.
        self.last_sync: sync.SyncReport | None = None
        self._fts_ids: dict[int, str] | None = None
        self._unranked: dict[int, SearchResult] | None = None
        self._all: list[SearchResult] | None = None
        self._vocabulary: Vocabulary | None = None
        self._prominence: dict[int, int] | None = None

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, bundled_dir: Path | None = None, sync: bool = True
    ) -> "Catalog":
        """Open the user's catalog, building it from the bundled catalog if the file is new.

        With ``sync`` (the default), a changed bundled catalog is brought in (see
        ``sites.sync``); background jobs that reopen a catalog the window already
        synced pass ``sync=False`` and skip reading the bundle again.
        """
        path = Path(path) if path else paths.default_catalog_path()
        folder = bundled_dir or paths.bundled_catalog_dir()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            build(path, folder)
        catalog = cls(connect(path), str(path))
        if sync and catalog.db.execute("SELECT value FROM meta WHERE key = 'built_from'").fetchone():
            try:
                catalog.last_sync = catalog.sync_bundled(folder)
            except HeritageError:
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

    def find(self, site_id: str) -> Site | None:
        """One site by id, or None (drafts included; deleted sites are not found)."""
        return self._site_index().get(site_id)

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
        if limit is not None and (site_filter is None or site_filter == SiteFilter()):
            # One page: ranked and cut inside SQLite; drafts are few, so a page that may lose
            # them is read that much longer.
            slack = 0 if drafts else self._draft_count
            page = search.top(self.db, query, self._vocabulary_words, limit + slack, self._prominent())
            if page is not None:
                ids = self._fts_index()
                results = [SearchResult(index[ids[rowid]], score) for rowid, score in page]
                if slack:
                    results = [r for r in results if r.site.status == "published"]
                return results[:limit]
        found = search.rank(self.db, query, self._vocabulary_words, self._prominent())
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

    def count(self, query: str, *, drafts: bool = False) -> int:
        """How many sites ``search`` finds for a query, counted inside SQLite: a page of
        results can say how many there are without reading them all."""
        index = self._site_index()
        found = search.count(self.db, query, self._vocabulary_words)
        if found is None:
            return len(index) if drafts else len(index) - self._draft_count
        if self._draft_count and not drafts:
            return len(self.search(query))
        return found

    def trails(self) -> list[Trail]:
        """The curated trails, in display order, each site with the day it is visited on."""
        stops: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for trail_id, site_id, day in self.db.execute(
            "SELECT trail_id, site_id, day FROM trail_sites ORDER BY trail_id, position"
        ):
            if day is None:
                # Only a catalog stored before trails had days, opened without syncing the bundle.
                raise ValidationError(
                    ["the days of its sites are not in this catalog yet; opening the catalog in "
                     "the app or the command line brings them in from the bundled catalog"],
                    where=f"Trail {trail_id!r}",
                )  # fmt: skip
            stops[trail_id].append((site_id, day))
        rows = self.db.query("SELECT id, title, story, days, base FROM trails ORDER BY position")
        return [
            Trail(
                **row,
                sites=tuple(site_id for site_id, _ in stops[row["id"]]),
                site_days=tuple(day for _, day in stops[row["id"]]),
            )
            for row in rows
        ]

    def trail(self, trail_id: str) -> Trail:
        """One trail by id."""
        for trail in self.trails():
            if trail.id == trail_id:
                return trail
        known = ", ".join(t.id for t in self.trails())
        raise NotFoundError(f"There is no trail {trail_id!r}; trails are: {known}")

    # -- writing -----------------------------------------------------------------------------

    @contextmanager
    def writing(self, *, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """A transaction on the catalog file, all or nothing: yields the connection to write
        with (``sites.store``'s functions), and drops what is cached once it ends.
        ``immediate`` holds the file's write lock from the start (see ``store.transaction``)."""
        try:
            with transaction(self.db, self.path, immediate=immediate):
                yield self.db.conn
        finally:
            self.refresh()

    def refresh(self) -> None:
        """Drop what is cached from the file, so the next read sees every write."""
        self._sites = self._fts_ids = self._unranked = self._all = self._vocabulary = None
        self._prominence = None
        self._themes = None

    def save_trails(self, trails: Iterable[Trail]) -> None:
        """Insert or replace trails and their ordered sites, all or nothing."""
        with self.writing() as conn:
            store.write_trails(conn, trails)

    def save_themes(self, themes: Iterable[Theme]) -> None:
        """Insert or replace themes, keeping the given order."""
        with self.writing() as conn:
            store.write_themes(conn, themes)

    def save_sites(self, sites: Iterable[Site]) -> None:
        """Insert or replace sites with their themes, sources and search index, all or nothing."""
        sites = list(sites)
        if sites:
            with self.writing() as conn:
                write_sites(conn, sites)

    def sync_bundled(self, folder: Path | None = None) -> sync.SyncReport:
        """Bring in a (new) bundled catalog without overwriting any curator's work."""
        try:
            return sync.sync_bundled(self.db, self.path, folder or paths.bundled_catalog_dir())
        finally:
            self.refresh()

    def bundled_review(self) -> list[str]:
        """Sites a curator edited that the latest bundled catalog also changed."""
        return sync.bundled_review(self.db)

    # -- backups -----------------------------------------------------------------------------

    def backups(self) -> list[backup_files.Backup]:
        """This catalog's backups, oldest first."""
        return backup_files.list_backups(self.path)

    def take_backup(self, reason: str = "manual") -> backup_files.Backup:
        """Copy the catalog as it is now into a new backup."""
        return backup_files.take(self.db.conn, self.path, reason)

    def restore_backup(self, name: str | None = None) -> backup_files.Backup:
        """Make the catalog as it was in a backup (the newest by default); the catalog as it
        is now is backed up first. Returns the backup restored."""
        try:
            return backup_files.restore(self.db.conn, self.path, name)
        finally:
            self.refresh()

    # -- internals ---------------------------------------------------------------------------

    def _theme_ids(self) -> str:
        return ", ".join(t.id for t in self.themes())

    def _vocabulary_words(self) -> Vocabulary:
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(
                row[0] for row in self.db.execute("SELECT term FROM sites_fts_vocab")
            )
        return self._vocabulary

    def _site_index(self) -> dict[str, Site]:
        # Another window or the CLI may have written to the file: SQLite's data_version
        # changes when another connection commits, and then the cached sites are dropped.
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self.refresh()
            self._data_version = version
        if self._sites is None:
            self._sites = store.load_sites(self.db.conn)
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

    def _prominent(self) -> dict[int, int]:
        """Full-text rowid to prominence, for the sites with one above 0."""
        if self._prominence is None:
            index = self._site_index()
            self._prominence = {
                rowid: index[i].prominence for rowid, i in self._fts_index().items() if index[i].prominence
            }
        return self._prominence

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
    except HeritageError:
        return False  # unreadable hours cannot promise an open door


def build(path: Path, folder: Path) -> None:
    """Build a new catalog file from the bundled catalog, appearing whole or not at all."""
    building = path.with_name(path.name + ".building")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    catalog = Catalog(connect(building), str(building))
    try:
        catalog.sync_bundled(folder)
        catalog.db.table("meta").upsert({"key": "built_from", "value": "bundled"}, pk="key")
    finally:
        catalog.close()
    os.replace(building, path)
