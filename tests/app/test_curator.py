"""The curator's workspace driven as a curator would: edit, see the problem, save, undo,
redo, revert from the history; place a site on the map; preview an import; review what the
bundled catalog changed."""

import json
import shutil
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.curator.dialogs import TAKE_BUNDLE, BundledReviewDialog
from app.curator.editor import VALIDATE_DELAY_MS, HistoryDialog
from sites import curation, paths

TESLA = "nikola-tesla-museum"


def open_in_editor(qtbot, window, click_site, site_id=TESLA):
    window.set_curator_mode(True)
    click_site(window, site_id)
    qtbot.keyClick(window.list_view, Qt.Key.Key_F2)
    assert window.tabs.currentWidget() is window.editor
    return window.editor


def retype(qtbot, widget, text):
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_edit_validate_save_undo_redo_and_revert(qtbot, window, monkeypatch, click_site):
    editor = open_in_editor(qtbot, window, click_site=click_site)
    bundled_hours = window.catalog.site(TESLA).opening_hours
    lat = editor.widgets["lat"]
    retype(qtbot, lat, "95.5")
    qtbot.waitUntil(lambda: editor.errors["lat"].isVisible())
    assert "latitude 95.5 is outside -90..90" in editor.errors["lat"].text()
    assert not editor.save_button.isEnabled()
    retype(qtbot, lat, "44.8052")
    qtbot.waitUntil(lambda: not editor.errors["lat"].isVisible())
    hours = editor.widgets["opening_hours"]
    retype(qtbot, hours, "Tu-Su 10:00-18:00; Mo of")
    qtbot.waitUntil(lambda: "from character 23" in editor.errors["opening_hours"].text())
    retype(qtbot, hours, "Tu-Su 10:00-18:00; Mo off")
    qtbot.waitUntil(lambda: editor.hours_preview.text().startswith("Next 7 days:"))
    assert "closed" in editor.hours_preview.text() and "10:00-18:00" in editor.hours_preview.text()
    editor.note_edit.setText("checked the museum's page")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    site = window.catalog.site(TESLA)
    assert (site.lat, site.opening_hours) == (44.8052, "Tu-Su 10:00-18:00; Mo off")
    assert curation.history(window.catalog, TESLA)[-1].note == "checked the museum's page"
    # Undo and redo in the form, with the window's Ctrl+Z / Ctrl+Shift+Z.
    retype(qtbot, editor.widgets["admission"], "700 RSD")
    editor.flush()
    window.undo_action.trigger()
    assert editor.widgets["admission"].text() == (site.admission or "")
    window.redo_action.trigger()
    assert editor.widgets["admission"].text() == "700 RSD"
    # Revert to the first version from the history dialog.
    monkeypatch.setattr(HistoryDialog, "exec", lambda dialog: _revert_oldest(dialog))
    qtbot.mouseClick(editor.history_button, Qt.MouseButton.LeftButton)
    assert window.catalog.site(TESLA).opening_hours == bundled_hours
    assert editor.widgets["opening_hours"].text() == (bundled_hours or "")


def _revert_oldest(dialog):
    dialog.table.selectRow(dialog.table.rowCount() - 1)  # the oldest version is listed last
    dialog.revert_selected()
    return QDialog.DialogCode.Accepted


def test_a_click_on_the_map_places_the_site(qtbot, ready_window, click_site, run_js):
    window = ready_window
    editor = open_in_editor(qtbot, window, click_site=click_site)
    run_js(window.map_view, "window.heritageMap.onMapClick(44.5, 20.25); 1")
    qtbot.waitUntil(lambda: editor.widgets["lat"].text() == "44.500000")
    assert editor.widgets["lon"].text() == "20.250000"
    qtbot.wait(VALIDATE_DELAY_MS * 3)  # the form tells the map after its short typing pause
    assert run_js(window.map_view, "JSON.stringify(window.heritageMap.editPosition())") == "[44.5,20.25]"
    # Dragging the red marker ends in its dragend handler, which reports the new place.
    run_js(window.map_view, "window.heritageMap.onMarkerMoved(44.61, 20.31); 1")
    qtbot.waitUntil(lambda: editor.widgets["lat"].text() == "44.610000")


def test_a_new_draft_is_hidden_from_travelers_until_published(qtbot, window):
    window.set_curator_mode(True)
    editor = window.editor
    next(a for a in window.curator_actions if "New site" in a.text()).trigger()
    for field, text in (("id", "draft-place"), ("name", "Draft Place"), ("town", "Belgrade"),
                        ("summary", "A place still being researched.")):  # fmt: skip
        widget = editor.widgets[field]
        widget.clear() if hasattr(widget, "clear") else None
        qtbot.keyClicks(widget, text)
    editor.widgets["themes"].item(0).setCheckState(Qt.CheckState.Checked)
    editor.flush()
    assert editor.save()
    assert "draft-place" in window.model.site_ids()
    window.set_curator_mode(False)
    assert "draft-place" not in window.model.site_ids()


def test_an_import_with_bad_rows_cannot_be_applied(qtbot, window, tmp_path):
    window.set_curator_mode(True)
    bad = tmp_path / "bad.csv"
    header = "id,name,lat,lon,town,themes,summary,sources,last_verified"
    tail = "tesla,A summary.,https://example.org/source|history,2026-11-29"
    bad.write_text(
        f"{header}\nok-site,OK Site,44.8,20.4,Belgrade,{tail}\nbad,Bad Site,95,20.4,Belgrade,{tail}\n"
    )
    dialog = window.import_sites(str(bad))
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()
    assert "1 of 2 rows have problems" in dialog.summary.text()
    problems = dialog.table.item(1, 4).text()
    assert "lat: latitude 95.0 is outside" in problems
    dialog.reject()


def test_an_unsaved_edit_survives_a_crash(qtbot, make_window, click_site):
    first = make_window()
    editor = open_in_editor(qtbot, first, click_site=click_site)
    retype(qtbot, editor.widgets["admission"], "typed before the crash")
    editor.flush()
    # The window is gone without saving, as after a crash; the next start offers the edit back.
    second = make_window()
    assert second.tabs.currentWidget() is second.editor
    assert second.editor.widgets["admission"].text() == "typed before the crash"
    assert "recovered unsaved changes" in second.editor.title.text()
    assert second.editor.save()
    assert second.catalog.site(TESLA).admission == "typed before the crash"
    third = make_window()
    assert third.tabs.currentWidget() is not third.editor


def press_save(qtbot, widget):
    """Ctrl+S as a person presses it, with the focus in ``widget``."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_a_published_site_outside_serbia_is_refused_and_a_draft_is_kept(qtbot, window, click_site):
    editor = open_in_editor(qtbot, window, click_site=click_site)
    site = window.catalog.site(TESLA)
    retype(qtbot, editor.widgets["lat"], "4.519")
    qtbot.waitUntil(lambda: "outside Serbia's border" in editor.errors["lat"].text())
    beside = editor.errors["lat"].text()
    assert beside.startswith("✖") and "keep the site as a draft" in beside
    assert not editor.save_button.isEnabled()
    press_save(qtbot, editor.widgets["lat"])
    assert window.statusBar().currentMessage().startswith("Not saved: lat:")
    assert window.catalog.site(TESLA) == site
    editor.widgets["status"].setCurrentText("draft")
    qtbot.waitUntil(lambda: editor.errors["lat"].text().startswith("⚠"))
    assert "outside Serbia's border" in editor.errors["lat"].text()
    assert editor.save_button.isEnabled()
    press_save(qtbot, editor.widgets["lat"])
    stored = window.catalog.site(TESLA)
    assert (stored.lat, stored.status) == (4.519, "draft")
    assert window.statusBar().currentMessage() == "Saved version 2 of Nikola Tesla Museum"


def test_a_save_offers_a_note_names_its_version_and_can_be_undone(qtbot, window, click_site):
    editor = open_in_editor(qtbot, window, click_site=click_site)
    original = window.catalog.site(TESLA).admission
    assert editor.summary.text() == "Version 1, no unsaved changes"
    assert not editor.save_button.isEnabled()
    retype(qtbot, editor.widgets["admission"], "700 RSD")
    retype(qtbot, editor.widgets["visit_minutes"], "75")
    editor.flush()
    assert editor.note_edit.text() == "changed typical visit, admission"
    assert editor.summary.text().startswith("Unsaved changes")
    press_save(qtbot, editor.widgets["admission"])
    assert window.statusBar().currentMessage() == "Saved version 2 of Nikola Tesla Museum"
    assert editor.summary.text() == "Version 2, no unsaved changes"
    assert curation.history(window.catalog, TESLA)[-1].note == "changed typical visit, admission"
    # A note of the curator's own replaces the offered one.
    retype(qtbot, editor.widgets["admission"], "800 RSD")
    editor.flush()
    editor.note_edit.selectAll()
    qtbot.keyClicks(editor.note_edit, "new prices from the ticket office")
    retype(qtbot, editor.widgets["admission"], "800 RSD, students 400")
    editor.flush()
    assert editor.note_edit.text() == "new prices from the ticket office"
    press_save(qtbot, editor.note_edit)
    assert curation.history(window.catalog, TESLA)[-1].note == "new prices from the ticket office"
    # Undo after Save takes the site back to the version before, recorded as a new version.
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert window.catalog.site(TESLA).admission == "700 RSD"
    assert editor.widgets["admission"].text() == "700 RSD"
    last = curation.history(window.catalog, TESLA)[-1]
    assert (last.version, last.note) == (4, "undo: back to version 2")
    assert window.statusBar().currentMessage().startswith("Saved version 4")
    window.undo_action.trigger()
    assert window.catalog.site(TESLA).admission == original
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert window.catalog.site(TESLA).admission == "800 RSD, students 400"
    assert editor.widgets["admission"].text() == "800 RSD, students 400"
    assert curation.history(window.catalog, TESLA)[-1].version == 7
    assert not window.redo_action.isEnabled()


def test_undo_of_a_new_sites_first_save_deletes_it_and_redo_brings_it_back(qtbot, window):
    window.set_curator_mode(True)
    editor = window.editor
    next(a for a in window.curator_actions if "New site" in a.text()).trigger()
    for field, text in (("id", "undo-place"), ("name", "Undo Place"), ("town", "Belgrade")):
        retype(qtbot, editor.widgets[field], text)
    editor.widgets["themes"].item(0).setCheckState(Qt.CheckState.Checked)
    editor.flush()
    assert editor.note_edit.text() == "created"
    press_save(qtbot, editor.widgets["name"])
    assert "undo-place" in window.model.site_ids()
    window.undo_action.trigger()
    assert "undo-place" not in window.model.site_ids()
    assert "undo-place" in curation.deleted_sites(window.catalog)
    window.redo_action.trigger()
    assert "undo-place" in window.model.site_ids()
    assert editor.widgets["name"].text() == "Undo Place"


def test_ctrl_s_saves_what_the_front_tab_holds(qtbot, window, click_site):
    panel = window.trip_panel
    click_site(window, TESLA)
    qtbot.keyClick(window.list_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(panel.planFinished, timeout=30_000):
        qtbot.mouseClick(panel.plan_button, Qt.MouseButton.LeftButton)
    panel.name_edit.selectAll()
    qtbot.keyClicks(panel.name_edit, "Tesla morning")
    editor = open_in_editor(qtbot, window, click_site=click_site)
    retype(qtbot, editor.widgets["admission"], "900 RSD")
    press_save(qtbot, editor.widgets["admission"])
    assert window.catalog.site(TESLA).admission == "900 RSD"
    assert window.statusBar().currentMessage() == "Saved version 2 of Nikola Tesla Museum"
    assert "Tesla morning" not in [t.name for t in window.trip_store.list()]  # the trip was not saved
    window.tabs.setCurrentWidget(panel)
    press_save(qtbot, panel.name_edit)
    assert "Tesla morning" in [t.name for t in window.trip_store.list()]
    assert window.statusBar().currentMessage() == "Saved 'Tesla morning'"
    assert len(curation.history(window.catalog, TESLA)) == 2  # the site was not saved again


def test_the_wheelchair_filter_counts_a_curators_new_fact_at_once(qtbot, window, click_site):
    before = window.wheelchair_box.text()
    known = sum(1 for s in window.catalog.sites() if s.wheelchair)
    assert f"({known} of " in before
    editor = open_in_editor(qtbot, window, click_site=click_site, site_id="pupin-bridge-belgrade")
    assert window.catalog.site("pupin-bridge-belgrade").wheelchair is None
    editor.widgets["wheelchair"].setCurrentText("yes")
    press_save(qtbot, editor.widgets["admission"])
    assert window.catalog.site("pupin-bridge-belgrade").wheelchair == "yes"
    assert f"({known + 1} of " in window.wheelchair_box.text()
    window.wheelchair_box.setChecked(True)
    assert window.model.row_of("pupin-bridge-belgrade") is not None


def test_the_bundles_changes_are_reviewed_side_by_side(qtbot, make_window, catalog, tmp_path, monkeypatch):
    folder = tmp_path / "bundle"
    shutil.copytree(paths.bundled_catalog_dir(), folder)
    curation.edit(catalog, replace(catalog.site(TESLA), admission="curator's price"), "new price")
    record_path = folder / "sites" / f"{TESLA}.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record_path.write_text(json.dumps({**record, "summary": "The bundle's summary."}), encoding="utf-8")
    catalog.sync_bundled(folder)
    monkeypatch.setattr(paths, "bundled_catalog_dir", lambda: folder)
    window = make_window()
    window.set_curator_mode(True)
    next(a for a in window.curator_actions if a.text().startswith("Re&view the bundled")).trigger()
    dialog = window.findChild(BundledReviewDialog)
    assert dialog.isVisible() and dialog.site_choice.currentText() == "Nikola Tesla Museum (2 field(s))"
    rows = {
        dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
        for r in range(dialog.table.rowCount())
    }
    assert rows["admission"] == ("curator's price", record["admission"] or "")
    assert rows["summary"] == (record["summary"], "The bundle's summary.")
    dialog.choices["summary"].setCurrentText(TAKE_BUNDLE)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    site = window.catalog.site(TESLA)
    assert (site.summary, site.admission) == ("The bundle's summary.", "curator's price")
    assert dialog.summary.text() == "Nothing left to review: every site is settled."
    assert not dialog.apply_button.isEnabled()
    assert window.statusBar().currentMessage() == f"Settled {TESLA}"
    dialog.close()
