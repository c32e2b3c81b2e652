"""The import preview in the window, read as a curator reads it: opened with Ctrl+I, each row's
action, the field-by-field changes of a merge, a deleted site coming back as a draft, the values
filled in and the swapped coordinates as warnings; then applied, or refused when the catalog
changed since the preview."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.curator import dialogs
from app.curator.dialogs import ImportDialog
from sites import curation
from sites.models import Site

TESLA = "nikola-tesla-museum"
HALL = "aleksandar-nikolic-hall"
COLUMNS = {"action": 2, "like": 3, "notes": 4, "changes": 5}


@pytest.fixture
def sheet(tmp_path, catalog):
    """A file with a merge, a deleted id, a new site named only, one with its coordinates
    swapped and one that looks like an existing site; the hall is deleted first."""
    curation.delete(catalog, HALL)
    hall = catalog.db.execute("SELECT lat, lon FROM sites WHERE id = ?", [HALL]).fetchone()
    tesla = catalog.site(TESLA)
    path = tmp_path / "sheet.csv"
    path.write_text(
        "id,name,lat,lon,town,summary\n"
        f"{TESLA},{tesla.name},{tesla.lat},{tesla.lon},{tesla.town},A shorter summary.\n"
        f"{HALL},Aleksandar Nikolić Hall,{hall[0]},{hall[1]},Belgrade,Belgrade's basketball hall.\n"
        ",Old Mill,44.0245,20.4610,,\n"
        ",Swapped Mill,20.4610,44.0245,Gornji Milanovac,\n"
        ",Nikola Tesla Museum annex,44.8053,20.4713,Belgrade,\n",
        encoding="utf-8",
    )
    return path


def open_with_ctrl_i(qtbot, window, monkeypatch, path) -> ImportDialog:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.curator_action.trigger()
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is not None)
    dialog = window.findChild(ImportDialog)
    assert dialog.isVisible()
    return dialog


def cell(dialog, file_row: int, column: str) -> str:
    """What the table shows for a row of the file (numbered as in the file, header = 1)."""
    n = [dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())].index(str(file_row))
    if column == "action":
        widget = dialog.table.cellWidget(n, COLUMNS["action"])
        return widget.currentText() if widget else dialog.table.item(n, COLUMNS["action"]).text()
    return dialog.table.item(n, COLUMNS[column]).text()


def test_the_preview_shows_changes_warnings_and_restored_drafts(qtbot, window, catalog, sheet, monkeypatch):
    tesla_summary = catalog.site(TESLA).summary
    dialog = open_with_ctrl_i(qtbot, window, monkeypatch, sheet)
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert headers == ["Row", "Site", "Action", "Like existing", "Problems and warnings", "Changes"]

    # A merge: only the field the file changes, old and new.
    assert cell(dialog, 2, "action") == "merge"
    assert cell(dialog, 2, "changes").splitlines() == [
        f"merged into {TESLA}",
        f"summary: {repr(tesla_summary)[:77]}... -> 'A shorter summary.'",
    ]
    # A deleted id: it comes back, as a draft.
    assert cell(dialog, 3, "action") == "restore as a draft"
    restored = cell(dialog, 3, "changes").splitlines()
    assert restored[0] == f"the deleted site {HALL} comes back as a draft"
    assert "status: 'published' -> 'draft'" in restored
    assert "name: 'Aleksandar Nikolić Hall (Pionir Hall)' -> 'Aleksandar Nikolić Hall'" in restored
    assert any(line.startswith("summary: ") and line.endswith("-> \"Belgrade's basketball hall.\"")
               for line in restored)  # fmt: skip
    # A name and a place only: each value filled in is a warning.
    assert (cell(dialog, 4, "action"), cell(dialog, 4, "changes")) == (
        "add as a draft",
        "a new draft, Old Mill",
    )
    notes = cell(dialog, 4, "notes").splitlines()
    today = date.today().isoformat()
    for line in (
        "id: warning: not given: 'old-mill', made from the name",
        "town: warning: not given: Gornji Milanovac, the nearest town (0.1 km from its centre)",
        "region: warning: not given: Moravica District, as the catalog's sites in Gornji Milanovac have it",
        "themes: warning: none given: add at least one before publishing",
        f"last_verified: warning: not given: set to the import date, {today}; change it to the day the "
        "entry was checked against its sources",
        "summary: warning: is required to publish",
    ):
        assert line in notes, line
    # Swapped coordinates: said, with where the point would be.
    swapped = cell(dialog, 5, "notes")
    assert "lat: warning: latitude and longitude look swapped: 44.0245, 20.461 would lie in Serbia" in swapped
    assert "outside Serbia's border" in swapped
    # Like an existing site: left out unless the curator says merge, and then each change is shown.
    assert (cell(dialog, 6, "action"), cell(dialog, 6, "like")) == ("skip", TESLA)
    assert cell(dialog, 6, "changes") == f"nothing: left out as likely the same as {TESLA}"
    summary = dialog.summary.text()
    assert summary.startswith(
        "5 rows are ready: 2 new draft(s), 1 merge(s), 1 deleted site(s) back as drafts, "
        "1 skipped as likely duplicates; "
    )
    assert dialog.apply_button.isEnabled()

    row = [dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())].index("6")
    choice = dialog.table.cellWidget(row, COLUMNS["action"])
    choice.setCurrentIndex(choice.findText("merge"))
    merge = cell(dialog, 6, "changes").splitlines()
    assert merge[0] == f"merged into {TESLA}"
    assert "name: 'Nikola Tesla Museum' -> 'Nikola Tesla Museum annex'" in merge
    assert any(line.startswith("summary: ") and line.endswith("-> (empty)") for line in merge)
    assert "2 merge(s)" in dialog.summary.text() and "skipped" not in dialog.summary.text()

    # The row selected, in full: no value cut short.
    dialog.table.selectRow(0)
    details = dialog.details.toPlainText().splitlines()
    assert details[:2] == [f"Row 2: {TESLA} (Nikola Tesla Museum)", f"merged into {TESLA}"]
    assert f"summary: {tesla_summary!r} -> 'A shorter summary.'" in details
    dialog.reject()


def test_the_import_applies_what_the_preview_showed(qtbot, window, catalog, sheet, monkeypatch):
    dialog = open_with_ctrl_i(qtbot, window, monkeypatch, sheet)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert done.args[0]["restored"] == [HALL] and sorted(done.args[0]["added"]) == [
        "old-mill",
        "swapped-mill",
    ]
    mill = catalog.site("old-mill")
    assert (mill.status, mill.town, mill.region, mill.last_verified) == (
        "draft", "Gornji Milanovac", "Moravica District", date.today(),
    )  # fmt: skip
    assert catalog.site(HALL).status == "draft"
    assert catalog.site(TESLA).summary == "A shorter summary."
    assert catalog.find("nikola-tesla-museum-annex") is None  # skipped as the preview said
    assert "old-mill" in window.model.site_ids()


def test_an_import_whose_outcome_changed_since_the_preview_is_refused(
    qtbot, window, catalog, sheet, monkeypatch
):
    dialog = open_with_ctrl_i(qtbot, window, monkeypatch, sheet)
    # Meanwhile, someone else adds a site whose id the preview gave to "Old Mill".
    other = Site(id="old-mill", name="Another Old Mill", lat=44.01, lon=20.91, town="Kragujevac",
                 themes=("culture",), status="draft")  # fmt: skip
    curation.create(catalog, other)
    shown = []
    monkeypatch.setattr(dialogs.errors, "show_error", lambda parent, text, title: shown.append(text))
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown[0].startswith("Nothing was imported: ")
    assert "changed since the preview; open the import again" in shown[0]
    assert catalog.find("old-mill-2") is None and catalog.find(HALL) is None
    assert dialog.apply_button.isEnabled()
    dialog.reject()
