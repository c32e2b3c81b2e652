"""The error policy tells a damaged file as the file's problem, and a bug as a bug."""

import sqlite3

import pytest

from app import errors


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HERITAGE_TRAILS_DATA_DIR", str(tmp_path))
    return tmp_path


def _damaged_database_error(path) -> sqlite3.Error:
    path.write_bytes(b"not a database at all" * 100)
    try:
        sqlite3.connect(path).execute("SELECT * FROM sites").fetchall()
    except sqlite3.Error as error:
        return error
    raise AssertionError("SQLite read garbage as a database")


def test_a_catalog_damaged_while_open_is_told_with_the_way_out_not_as_a_bug(data_dir):
    text = errors.describe(_damaged_database_error(data_dir / "catalog.db"))
    assert "not a catalog database" in text and "heritage-trails backup restore" in text
    assert not (data_dir / "errors.log").exists()


def test_a_bug_is_still_logged_and_named(data_dir):
    text = errors.describe(KeyError("x"))
    assert "Something went wrong" in text and "errors.log" in text
