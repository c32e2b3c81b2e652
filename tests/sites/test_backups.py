"""Backups always restore: whichever is chosen, whatever else happened, even into a damaged file."""

import sqlite3
from pathlib import Path

import pytest

from sites import backups, curation, health
from sites.catalog import Catalog
from sites.errors import NotFoundError, StorageError

TESLA = "nikola-tesla-museum"
WAY_OUT = "restore a backup: `heritage-trails backup restore`"


def ids(path: Path) -> set[str]:
    """The site ids in a catalog file, read with plain sqlite3 (not our code)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM sites WHERE deleted_at IS NULL")}
    finally:
        conn.close()


def _oldest_of_five_holds_what_was_deleted(catalog):
    """A backup, then the Tesla Museum deleted, then four more backups: only the oldest has it."""
    catalog.take_backup("manual")
    curation.delete(catalog, TESLA)
    for _ in range(4):
        catalog.take_backup("manual")


def test_restoring_the_oldest_of_five_backups_brings_its_sites_back(path):
    before = ids(path)
    with Catalog.open(path) as catalog:
        _oldest_of_five_holds_what_was_deleted(catalog)
        listed = catalog.backups()
        assert len(listed) == backups.KEEP
        oldest = listed[-1]
        catalog.restore_backup(oldest.name)
        assert catalog.site(TESLA).id == TESLA
        # The catalog as it was just before is kept, newest; nothing was lost on the way.
        assert catalog.backups()[0].name.endswith("before-restore")
    assert ids(path) == before
    assert TESLA not in ids(backups.list_backups(path)[0].path)


def test_restoring_the_oldest_of_five_from_the_file_brings_its_sites_back(path):
    before = ids(path)
    with Catalog.open(path) as catalog:
        _oldest_of_five_holds_what_was_deleted(catalog)
    done = backups.restore_file(path, backups.list_backups(path)[-1].name)
    assert done.kept_aside is None
    assert ids(path) == before


def test_backups_are_kept_per_catalog_file_by_its_full_path(tmp_path):
    mine, other = tmp_path / "mine" / "catalog.db", tmp_path / "other" / "catalog.db"
    with Catalog.open(mine) as catalog:
        catalog.take_backup("manual")
    with Catalog.open(other) as catalog:
        curation.delete(catalog, TESLA)
        for _ in range(backups.KEEP + 2):
            catalog.take_backup("manual")
    assert backups.backup_dir(mine) != backups.backup_dir(other)
    assert len(backups.list_backups(mine)) == 1
    assert len(backups.list_backups(other)) == backups.KEEP
    backups.restore_file(mine)
    assert TESLA in ids(mine)


def test_an_unknown_backup_is_named_and_no_file_is_created(path):
    with Catalog.open(path) as catalog:
        catalog.take_backup("manual")
        folder = backups.backup_dir(path)
        before = sorted(p.name for p in folder.iterdir())
        with pytest.raises(NotFoundError, match="There is no backup 'nope'; backups are: "):
            catalog.restore_backup("nope")
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_backup_file_that_vanished_is_refused_and_the_catalog_kept(path):
    with Catalog.open(path) as catalog:
        chosen = catalog.take_backup("manual")
        curation.delete(catalog, TESLA)
        chosen.path.unlink()
        with pytest.raises(NotFoundError):
            catalog.restore_backup(chosen.name)
        assert not chosen.path.exists()
    assert TESLA not in ids(path)


def test_a_damaged_backup_is_refused_before_anything_changes(path):
    with Catalog.open(path) as catalog:
        chosen = catalog.take_backup("manual")
        curation.delete(catalog, TESLA)
    chosen.path.write_bytes(b"")
    with pytest.raises(StorageError, match="cannot be restored: it is empty"):
        backups.restore_file(path, chosen.name)
    assert TESLA not in ids(path) and len(backups.list_backups(path)) == 1


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _garbage_header(path: Path) -> None:
    path.write_bytes(b"this is not a database at all\n" * 500)


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sites (id TEXT, note TEXT)")
    conn.execute("INSERT INTO sites VALUES ('x', 'another program')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (_empty, "it is empty (0 bytes)"),
        (_truncated, "it is cut short"),
        (_garbage_header, "it is not a SQLite database"),
        (_foreign, "it is another program's SQLite database (tables sites)"),
    ],
)
def test_a_damaged_or_foreign_catalog_is_named_with_the_way_out_and_restores(path, damage, said):
    with Catalog.open(path) as catalog:
        catalog.take_backup("manual")
    before = ids(path)
    damage(path)
    damaged_bytes = path.read_bytes()
    with pytest.raises(StorageError) as raised:
        Catalog.open(path)
    assert f"Catalog {path} cannot be used: {said}" in str(raised.value)
    assert WAY_OUT in str(raised.value)
    assert path.read_bytes() == damaged_bytes  # opening it changed nothing
    assert [b.name for b in backups.list_backups(path)] != []
    done = backups.restore_file(path)
    assert ids(path) == before
    assert done.kept_aside is not None and done.kept_aside.read_bytes() == damaged_bytes


def test_garbage_in_the_middle_of_the_file_is_found_and_restore_replaces_it(path):
    with Catalog.open(path) as catalog:
        catalog.take_backup("manual")
    before = ids(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page * 2, len(data) - page, page * 2):
        data[start : start + page] = b"\xa5" * page
    path.write_bytes(bytes(data))
    assert "SQLite finds it damaged" in (health.problem(path, thorough=True) or "")
    done = backups.restore_file(path)
    assert done.kept_aside is not None
    assert ids(path) == before


def test_restoring_into_a_missing_catalog_creates_it_from_the_backup(path):
    with Catalog.open(path) as catalog:
        catalog.take_backup("manual")
    before = ids(path)
    path.unlink()
    done = backups.restore_file(path)
    assert done.kept_aside is None and ids(path) == before
