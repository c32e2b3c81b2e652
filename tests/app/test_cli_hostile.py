"""The catalog commands against hostile input and damaged files: one clear line, never a
traceback, and nothing lost (run as a tour operator's script would, in a real subprocess)."""

import csv
import io
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sites import backups
from sites.catalog import Catalog
from tests.damage import DAMAGES

WAY_OUT = "restore a backup: `heritage-trails backup restore`"


def cli(*args, db):
    """Run the CLI with the test's data folder (conftest's), as this process uses it."""
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip


def site_count(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM sites WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A catalog built once from the bundle; each test works on its own copy."""
    path = tmp_path_factory.mktemp("template") / "catalog.db"
    Catalog.open(path).close()
    return path


@pytest.fixture
def db(tmp_path, template) -> Path:
    path = tmp_path / "catalog.db"
    shutil.copyfile(template, path)
    return path


def backed_up(db: Path) -> Path:
    """Take a backup of a catalog file (in this process, as `backup create` does)."""
    conn = sqlite3.connect(db)
    try:
        return backups.take(conn, db, "manual").path
    finally:
        conn.close()


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Something went wrong" not in result.stderr, result.stderr


def test_five_backups_then_restoring_the_oldest_brings_the_sites_back(db):
    backed_up(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE sites SET deleted_at = '2026-01-01' WHERE id LIKE '%tesla%'")
    conn.execute("DELETE FROM sites_fts WHERE id LIKE '%tesla%'")
    conn.commit()
    conn.close()
    for _ in range(4):
        assert cli("backup", "create", db=db).returncode == 0
    assert "nikola-tesla-museum" not in cli("search", "tesla", db=db).stdout
    names = cli("backup", "list", db=db).stdout.split()
    oldest = [n for n in names if n.endswith("-manual")][-1]
    assert len([n for n in names if n.endswith("-manual")]) == backups.KEEP
    restored = cli("backup", "restore", oldest, db=db)
    assert restored.returncode == 0, restored.stderr
    assert "nikola-tesla-museum" in cli("search", "tesla", db=db).stdout


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "garbage-inside"])
def test_a_damaged_catalog_is_named_and_backup_list_and_restore_still_work(db, damage):
    backed_up(db)
    count = site_count(db)
    DAMAGES[damage](db)
    for command in (("sites", "validate"), ("search", "tesla"), ("sites", "export", "--format", "csv")):
        result = cli(*command, db=db)
        assert result.returncode == 1, (command, result.stdout[-300:])
        assert WAY_OUT in result.stderr
        no_traceback(result)
    listed = cli("backup", "list", db=db)
    assert listed.returncode == 0 and "-manual" in listed.stdout
    restored = cli("backup", "restore", db=db)
    assert restored.returncode == 0, restored.stderr
    assert "the file that was there is kept as" in restored.stderr
    assert site_count(db) == count
    assert cli("sites", "validate", db=db).returncode == 0


def test_a_foreign_sqlite_file_is_named_as_such(tmp_path):
    """Not 'table "sites" already exists': the file is named as another program's."""
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE sites (id TEXT)")
    conn.commit()
    conn.close()
    result = cli("search", "x", db=db)
    assert result.returncode == 1
    assert "another program's SQLite database (tables sites)" in result.stderr
    assert 'table "sites" already exists' not in result.stderr
    no_traceback(result)


def test_export_guards_formulas_writes_through_symlinks_and_refuses_fifos(db, tmp_path):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE sites SET name = '=HYPERLINK(\"http://x\")', admission = '@SUM(1)' WHERE id = ?",
                 ["nikola-tesla-museum"])  # fmt: skip
    conn.commit()
    conn.close()
    target = tmp_path / "real.csv"
    target.write_text("")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    old_umask = os.umask(0o022)
    try:
        result = cli("sites", "export", "--format", "csv", "--out", str(link), db=db)
    finally:
        os.umask(old_umask)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")))}
    assert rows["nikola-tesla-museum"]["name"] == '\'=HYPERLINK("http://x")'
    assert rows["nikola-tesla-museum"]["admission"] == "'@SUM(1)"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows.values() for cell in row.values())
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused = cli("sites", "export", "--format", "csv", "--out", str(fifo), db=db)
    assert refused.returncode == 1 and "it is a FIFO (named pipe), not a file" in refused.stderr
    no_traceback(refused)


def test_search_never_prints_control_characters_and_limit_0_is_a_usage_error(db):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE sites SET name = 'Tesla \x1b[2J\x1b]0;owned\x07 Museum' WHERE id = ?",
                 ["nikola-tesla-museum"])  # fmt: skip
    conn.commit()
    conn.close()
    result = cli("search", "tesla", db=db)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Tesla \\x1b[2J\\x1b]0;owned\\x07 Museum" in result.stdout
    zero = cli("search", "tesla", "--limit", "0", db=db)
    assert zero.returncode == 2 and "--limit: takes a whole number of 1 or more, not '0'" in zero.stderr


def test_import_preview_shows_warnings_and_each_merged_change(db, tmp_path):
    export = cli("sites", "export", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    tesla = next(r for r in rows if r["id"] == "nikola-tesla-museum")
    swapped = {
        **tesla,
        "id": "swapped-place",
        "name": "Swapped Place",
        "lat": tesla["lon"],
        "lon": tesla["lat"],
    }
    merge = {"id": tesla["id"], "name": tesla["name"], "lat": tesla["lat"], "lon": tesla["lon"],
             "town": tesla["town"], "admission": "free"}  # fmt: skip
    (tmp_path / "swapped.csv").write_text(_csv([swapped]), encoding="utf-8")
    preview = cli("sites", "import", str(tmp_path / "swapped.csv"), "--dry-run", db=db)
    assert preview.returncode == 0, preview.stderr
    assert "Row 2, lat: warning:" in preview.stderr
    (tmp_path / "merge.csv").write_text(_csv([merge]), encoding="utf-8")
    merged = cli("sites", "import", str(tmp_path / "merge.csv"), db=db)
    assert merged.returncode == 0, merged.stderr
    assert f"admission: {tesla['admission'] or None!r} -> 'free'" in merged.stdout
    assert "Applying: 1 of 1 rows" in merged.stderr
    after = {
        r["id"]: r
        for r in csv.DictReader(io.StringIO(cli("sites", "export", "--format", "csv", db=db).stdout))
    }
    assert after[tesla["id"]] == {**tesla, "admission": "free"}


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
