"""The window's start on a damaged or foreign catalog: the file is named with what is wrong, its
backups are offered in a dialog, and a restore (or a fresh start) opens the window; never the
"something went wrong" bug report."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app import damaged_catalog, gui
from app.damaged_catalog import DamagedCatalogDialog, open_catalog
from sites.catalog import Catalog
from tests.damage import DAMAGES

#: What the dialog says of each kind of damage.
SAID = {
    "empty": "it is empty (0 bytes)",
    "truncated": "it is cut short",
    "garbage": "it is not a SQLite database",
    "garbage-inside": "SQLite finds it damaged",
    "foreign": "another program's SQLite database (tables sites)",
}


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "catalog.db"


def _site_ids(path: Path) -> set[str]:
    with Catalog.open(path) as catalog:
        return {site.id for site in catalog.all_sites()}


@pytest.fixture
def answer(monkeypatch, qtbot):
    """Answer the dialog by clicking a button (by object name, or None for Quit); records what
    it said."""
    said: list[str] = []
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))

    def choose(button: str | None):
        def exec_(dialog: DamagedCatalogDialog) -> int:
            qtbot.addWidget(dialog)
            said.append(dialog.message.text() + "\n" + dialog.hint.text())
            dialog.show()
            if button is None:
                dialog.reject()
            else:
                qtbot.mouseClick(
                    dialog.findChild(type(dialog.restore_button), button), Qt.MouseButton.LeftButton
                )
            return dialog.result()

        monkeypatch.setattr(DamagedCatalogDialog, "exec", exec_)
        return said, warnings

    return choose


@pytest.mark.parametrize("kind", SAID)
def test_a_damaged_catalog_is_named_and_a_backup_restores_it(path, kind, answer):
    with Catalog.open(path) as catalog:
        backup = catalog.take_backup("manual")
    before = _site_ids(path)
    DAMAGES[kind](path)
    words = SAID[kind]
    damaged = path.read_bytes()
    said, warnings = answer("restoreDamaged")
    opened = open_catalog(path)
    assert opened is not None
    catalog, done = opened
    try:
        assert {site.id for site in catalog.all_sites()} == before
    finally:
        catalog.close()
    assert len(said) == 1 and f"The catalog {path} cannot be used: " in said[0] and words in said[0]
    assert f"--db {path} backup restore" in said[0]
    assert "Traceback" not in said[0] and warnings == []
    kept = Path(done.split("kept as ")[1].rstrip("."))
    assert kept.read_bytes() == damaged and kept.parent == path.parent
    assert backup.taken in done


def test_with_no_backups_the_bundled_catalog_starts_afresh_and_the_file_is_kept(path, answer):
    Catalog.open(path).close()
    before = _site_ids(path)
    path.write_bytes(b"\x00garbage" * 1000)
    said, warnings = answer("startFresh")
    opened = open_catalog(path)
    assert opened is not None
    catalog, done = opened
    catalog.close()
    assert "It has no backups" in said[0] and warnings == []
    assert _site_ids(path) == before
    assert Path(done.split("kept as ")[1].rstrip(".")).read_bytes() == b"\x00garbage" * 1000


def test_quitting_leaves_the_file_as_it_was_and_shows_no_bug_report(path, answer, monkeypatch):
    Catalog.open(path).close()
    DAMAGES["garbage-inside"](path)
    damaged = path.read_bytes()
    said, warnings = answer(None)
    monkeypatch.setattr(damaged_catalog.paths, "default_catalog_path", lambda: path)
    assert gui.run() == 1
    assert "SQLite finds it damaged" in said[0]
    assert "From a terminal: heritage-trails backup restore" in said[0]  # the user's own catalog
    assert warnings == []
    assert path.read_bytes() == damaged


def test_a_damaged_backup_is_named_and_another_can_be_chosen(path, answer, monkeypatch):
    with Catalog.open(path) as catalog:
        catalog.take_backup("manual")
        newest = catalog.take_backup("manual")
    newest.path.write_bytes(b"")
    path.write_bytes(b"")
    _said, warnings = answer("restoreDamaged")
    opened_first = []

    original = DamagedCatalogDialog.restore

    def restore_then_pick_the_older(dialog):
        original(dialog)  # the newest (damaged) backup: refused in words, the dialog stays open
        if not dialog.result():
            opened_first.append(list(warnings))
            dialog.list.setCurrentRow(1)
            original(dialog)

    monkeypatch.setattr(DamagedCatalogDialog, "restore", restore_then_pick_the_older)
    opened = open_catalog(path)
    assert opened is not None
    opened[0].close()
    assert opened_first and "cannot be restored: it is empty (0 bytes); choose another" in opened_first[0][0]
