"""The catalog store: migrations, the bundled catalog, and what every bundled site must hold."""

import json
import shutil
import sqlite3
from datetime import date

import pytest
from sqlite_utils import Database

from sites import paths
from sites.bundled import read_sites
from sites.catalog import Catalog, connect
from sites.errors import StorageError, ValidationError
from sites.models import Site, Source, Theme
from sites.schema import migrations
from sites.validation import in_serbia_bounds, validate_site

BUNDLED = paths.bundled_catalog_dir()


def test_migrations_build_the_schema_from_empty():
    db = connect(":memory:")
    assert {"themes", "sites", "site_themes", "sources", "sites_fts", "meta"} <= set(db.table_names())
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]
    assert migrations.pending(db) == []


def test_reopening_a_catalog_applies_no_migration_twice(tmp_path):
    path = tmp_path / "catalog.db"
    Catalog.open(path).close()
    db = connect(path)
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(migrations._migrations)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_bundled_catalog_builds_into_a_plain_sqlite_file(tmp_path):
    path = tmp_path / "catalog.db"
    with Catalog.open(path) as catalog:
        count = len(catalog)
    assert count == len(list((BUNDLED / "sites").glob("*.json"))) >= 20
    # Opens as it is in sqlite-utils (and so in datasette).
    db = Database(path)
    assert db["sites"].count == count
    assert db["site_themes"].count >= count
    assert not (tmp_path / "catalog.db.building").exists()


def test_later_runs_open_the_existing_file_and_keep_its_changes(tmp_path):
    path = tmp_path / "catalog.db"
    with Catalog.open(path) as catalog:
        site = catalog.sites()[0]
        catalog.save_sites([Site(**{**site.__dict__, "name": "Renamed by a curator"})])
    with Catalog.open(path) as catalog:
        assert catalog.site(site.id).name == "Renamed by a curator"


def test_a_broken_bundled_file_names_itself_and_leaves_no_catalog(tmp_path):
    folder = tmp_path / "bundle"
    shutil.copytree(BUNDLED, folder)
    broken = sorted((folder / "sites").glob("*.json"))[3]
    broken.write_text('{"id": "x",\n "name": ', encoding="utf-8")
    with pytest.raises(ValidationError, match=broken.name + ": line 2"):
        Catalog.open(tmp_path / "catalog.db", bundled_dir=folder)
    assert not (tmp_path / "catalog.db").exists()


def test_a_file_that_is_not_a_catalog_gives_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StorageError, match="cannot be used: it is not a SQLite database"):
        Catalog.open(path)
    assert path.read_text().startswith("these are my notes")


def test_a_failed_write_leaves_the_catalog_as_it_was(bundled_catalog, tmp_path):
    path = tmp_path / "catalog.db"
    with Catalog.open(path) as catalog:
        before = catalog.sites()
        good = before[0]
        bad_theme = Site(**{**before[1].__dict__, "themes": ("no-such-theme",)})
        with pytest.raises(sqlite3.IntegrityError):  # a bug, not the user's problem: shown as such
            catalog.save_sites([Site(**{**good.__dict__, "name": "Changed"}), bad_theme])
    with Catalog.open(path) as catalog:
        assert catalog.sites() == before


def test_round_trip_of_a_record():
    site = read_sites(BUNDLED)[0]
    assert Site.from_record(json.loads(json.dumps(site.to_record()))) == site


@pytest.fixture(scope="module")
def sites():
    return read_sites(BUNDLED)


def test_every_bundled_site_is_valid_sourced_and_dated(sites):
    theme_ids = {t["id"] for t in json.loads((BUNDLED / "themes.json").read_text(encoding="utf-8"))}
    for site in sites:
        errors = [p for p in validate_site(site, theme_ids) if p.severity == "error"]
        assert errors == [], site.id
        assert site.sources, site.id
        assert site.last_verified is not None and site.last_verified <= date.today(), site.id


def test_every_bundled_site_lies_inside_serbia(sites):
    outside = [s.id for s in sites if not in_serbia_bounds(s.lat, s.lon)]
    assert outside == []


def test_bundled_themes_cover_the_stories(sites):
    themes = {t for s in sites for t in s.themes}
    assert {"halyard", "pupin-wilson", "wwi", "tesla", "film", "sport", "culture"} <= themes


def test_foreign_keys_are_enforced():
    catalog = Catalog.in_memory([Theme("t", "T", "#000000", "x")])
    orphan = Site(id="orphan", name="Orphan", lat=44.8, lon=20.4, town="Belgrade", themes=("missing",),
                  sources=(Source("https://example.org"),))  # fmt: skip
    with pytest.raises(sqlite3.IntegrityError):
        catalog.save_sites([orphan])
    assert len(catalog) == 0


def test_two_connections_write_without_a_locked_error(tmp_path):
    path = tmp_path / "catalog.db"
    first = Catalog.open(path)
    second = Catalog.open(path)
    site = first.sites()[0]
    conn = sqlite3.connect(path, timeout=0)
    conn.execute("BEGIN IMMEDIATE")  # a writer holds the lock briefly
    conn.rollback()
    first.save_sites([Site(**{**site.__dict__, "name": "First"})])
    second.save_sites([Site(**{**site.__dict__, "name": "Second"})])
    with Catalog.open(path) as third:
        assert third.site(site.id).name == "Second"
