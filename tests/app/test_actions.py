"""Every menu item, triggered as a person would with the window open: none raises, none logs
a bug, and the ones that ask for a file do their job when given one."""

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from app.curator.dialogs import ImportDialog
from sites import paths

TESLA = "nikola-tesla-museum"


@pytest.fixture
def dialogs_answer_cancel(monkeypatch):
    """Every file, input and message dialog answers as if the person pressed Cancel."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)


def menu_actions(window) -> list[QAction]:
    """Every item of every menu in the menu bar, submenus included."""
    found, menus = [], [a.menu() for a in window.menuBar().actions() if a.menu()]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            if action.menu():
                menus.append(action.menu())
            elif not action.isSeparator():
                found.append(action)
    return found


def close_dialogs(window) -> None:
    for dialog in window.findChildren(QDialog):
        dialog.close()


def test_every_menu_item_runs_without_an_error(qtbot, window, click_site, dialogs_answer_cancel):
    window.curator_action.trigger()  # curator mode: its items are enabled
    click_site(window, TESLA)
    window.add_to_trip(TESLA)
    actions = [a for a in menu_actions(window) if a.text() != "&Quit"]
    assert len(actions) >= 20
    assert all(a.isEnabled() for a in window.curator_actions)
    for action in actions:
        if not action.isEnabled():  # Undo and Redo with nothing to undo
            assert action.text() in ("&Undo", "&Redo"), action.text()
            continue
        # A toggle (curator mode) is tried both ways and left as it was.
        for _ in range(2 if action.isCheckable() else 1):
            action.trigger()
            qtbot.wait(20)
            close_dialogs(window)
    with qtbot.waitSignal(window.trip_panel.planFinished, timeout=30_000, raising=False):
        pass  # a plan started from the menu finishes before the window closes
    assert not paths.error_log_path().exists(), paths.error_log_path().read_text()


def test_import_from_the_menu_opens_the_preview(qtbot, window, tmp_path, monkeypatch):
    rows = tmp_path / "sites.csv"
    rows.write_text("id,name,lat,lon,town\nnew-place,New Place,44.80,20.45,Belgrade\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(rows), ""))
    window.curator_action.trigger()
    importer = next(a for a in menu_actions(window) if a.text().startswith("&Import sites"))
    importer.trigger()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is not None)
    preview = window.findChild(ImportDialog)
    assert preview.isVisible()
    assert preview.table.item(0, 1).text() == "new-place"
    preview.close()


def test_quit_closes_the_window(qtbot, window):
    quit_action = next(a for a in menu_actions(window) if a.text() == "&Quit")
    quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def curator_item(window, start: str) -> QAction:
    """The Curator menu's item whose text starts with ``start`` (menu accelerators included)."""
    return next(a for a in menu_actions(window) if a.text().startswith(start))


def test_each_curator_item_does_what_it_says(qtbot, window, click_site, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    from app.curator.dialogs import BackupsDialog

    # Ctrl+Shift+K reaches the window with the cursor in a Trip field.
    window.tabs.setCurrentWidget(window.trip_panel)
    window.trip_panel.name_edit.setFocus()
    qtbot.waitUntil(window.trip_panel.name_edit.hasFocus)
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.trip_panel.name_edit, Qt.Key.Key_K, modifiers)
    assert window.curator and window.tabs.isTabVisible(window.tabs.indexOf(window.editor))
    assert window.statusBar().currentMessage() == "Curator mode"

    click_site(window, TESLA)
    curator_item(window, "&Edit selected site").trigger()
    assert window.tabs.currentWidget() is window.editor
    assert window.editor.title.text() == "Editing Nikola Tesla Museum (published)"

    curator_item(window, "&New site").trigger()
    assert window.editor.title.text() == "New site (draft)"
    assert window.editor.widgets["id"].text() == "new-site" and not window.editor.widgets["id"].isReadOnly()

    click_site(window, TESLA)
    curator_item(window, "&Duplicate selected site").trigger()
    assert f"{TESLA}-copy" in window.model.site_ids()
    assert window.editor.title.text() == "Editing Nikola Tesla Museum (copy) (draft)"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click_site(window, f"{TESLA}-copy")
    curator_item(window, "De&lete selected site").trigger()
    assert f"{TESLA}-copy" not in window.model.site_ids()
    assert window.statusBar().currentMessage() == "Deleted Nikola Tesla Museum (copy)"

    offered = []

    def choose_first(_parent, _title, _label, items, *_args):
        offered.extend(items)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", choose_first)
    curator_item(window, "&Restore a deleted site").trigger()
    assert offered == [f"{TESLA}-copy"]
    assert f"{TESLA}-copy" in window.model.site_ids()

    rows = tmp_path / "sites.csv"
    rows.write_text("id,name,lat,lon,town\nnew-place,New Place,44.80,20.45,Belgrade\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(rows), ""))
    curator_item(window, "&Import sites").trigger()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is not None)
    assert window.findChild(ImportDialog).table.item(0, 1).text() == "new-place"
    close_dialogs(window)

    window.catalog.take_backup("manual")
    curator_item(window, "&Backups").trigger()
    backups = window.findChild(BackupsDialog)
    assert backups.isVisible() and backups.list.count() == 1 and "manual" in backups.list.item(0).text()
    close_dialogs(window)

    # Save (Ctrl+S in the Edit tab) saves the site in the form and says which version.
    curator_item(window, "&Edit selected site").trigger()
    window.editor.widgets["admission"].setText("650 RSD")
    window.editor.flush()
    next(a for a in menu_actions(window) if a.text() == "&Save").trigger()
    assert (
        window.statusBar().currentMessage() == "Saved version 4 of Nikola Tesla Museum (copy)"
    )  # made, deleted, restored, saved

    window.curator_action.trigger()
    assert not window.curator and not window.tabs.isTabVisible(window.tabs.indexOf(window.editor))
    assert not any(a.isEnabled() for a in window.curator_actions)


def test_catalog_health_from_the_curator_menu_shows_the_audits_counts(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, title, text: shown.append((title, text)))
    window.curator_action.trigger()
    [action] = [a for a in menu_actions(window) if a.text().replace("&", "") == "Catalog health…"]
    action.trigger()
    [(title, text)] = shown
    approximate = sum(1 for s in window.catalog.all_sites() if s.coord_precision != "building")
    assert title == "Catalog health" and f"approximate points: {approximate}" in text
