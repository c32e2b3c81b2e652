"""Plan a trip in the window as a traveler would: add sites, plan, rearrange, undo, save."""

from datetime import date

from PySide6.QtCore import QDate, Qt

from app.window.site_model import SiteIdRole

HALYARD = "galovica-polje-halyard-memorial"
TESLA = "nikola-tesla-museum"
MILITARY = "military-museum-belgrade-fortress"  # closed on Mondays


def add_from_list(qtbot, window, site_id, click_site):
    click_site(window, site_id)
    qtbot.keyClick(window.list_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)


def plan(qtbot, window, start=date(2027, 5, 11), days=2):
    panel = window.trip_panel
    panel.start_edit.setDate(QDate(start.year, start.month, start.day))
    panel.days_spin.setValue(days)
    with qtbot.waitSignal(panel.planFinished, timeout=30_000):
        qtbot.mouseClick(panel.plan_button, Qt.MouseButton.LeftButton)
    return panel


def tree_texts(panel):
    texts = []
    for d in range(panel.tree.topLevelItemCount()):
        day = panel.tree.topLevelItem(d)
        texts.append(day.text(0))
        texts += ["  " + day.child(i).text(0) for i in range(day.childCount())]
    return texts


def test_add_sites_plan_and_see_the_days(qtbot, window, click_site):
    for site_id in (HALYARD, TESLA, MILITARY):
        add_from_list(qtbot, window, site_id, click_site=click_site)
    panel = window.trip_panel
    assert window.tabs.currentWidget() is panel
    assert [w.site_id for w in panel.wishes()] == [HALYARD, TESLA, MILITARY]
    panel = plan(qtbot, window)
    texts = tree_texts(panel)
    assert texts[0].startswith("Day 1, Tue 11 May") and any(t.startswith("Day 2, Wed 12 May") for t in texts)
    assert sum(len(day) for day in panel.tree.order()) == 3
    assert panel.summary.text().startswith("3 stops over 2 days")
    assert panel.progress.isHidden()


def test_the_map_draws_each_day(qtbot, ready_window, run_js):
    window = ready_window
    for site_id in (HALYARD, TESLA):
        window.add_to_trip(site_id)
    plan(qtbot, window)
    qtbot.waitUntil(lambda: run_js(window.map_view, "window.heritageMap.routeCount()") > 0, timeout=10_000)


def test_drag_a_stop_to_a_closed_day_is_flagged_and_undo_restores(qtbot, window):
    for site_id in (TESLA, MILITARY):
        window.add_to_trip(site_id)
    panel = plan(qtbot, window, start=date(2027, 5, 10), days=2)  # Monday and Tuesday
    tree = panel.tree
    before = tree_texts(panel)
    # The Military Museum is planned on Tuesday; move it to Monday, as a drag would.
    tuesday, monday = tree.topLevelItem(1), tree.topLevelItem(0)
    item = next(
        tuesday.child(i)
        for i in range(tuesday.childCount())
        if tuesday.child(i).data(0, SiteIdRole) == MILITARY
    )
    monday.addChild(tuesday.takeChild(tuesday.indexOfChild(item)))
    tree.orderChanged.emit()
    texts = tree_texts(panel)
    flagged = [t for t in texts if "Military Museum" in t]
    assert flagged and "⚠ closed when you get there" in flagged[0]
    assert "conflict" in panel.summary.text()
    panel.undo_stack.undo()
    assert tree_texts(panel) == before


def test_remove_and_lock_then_replan_keeps_the_lock(qtbot, window):
    for site_id in (HALYARD, TESLA):
        window.add_to_trip(site_id)
    panel = plan(qtbot, window, days=3)
    tree = panel.tree
    item = next(
        tree.topLevelItem(d).child(i)
        for d in range(3) for i in range(tree.topLevelItem(d).childCount())
        if tree.topLevelItem(d).child(i).data(0, SiteIdRole) == TESLA
    )  # fmt: skip
    locked_day = tree.indexOfTopLevelItem(item.parent())
    item.setCheckState(0, Qt.CheckState.Checked)  # lock it on its day (the plan is redrawn)
    assert panel.tree.locked() == {TESLA: locked_day}
    with qtbot.waitSignal(panel.planFinished, timeout=30_000):
        qtbot.mouseClick(panel.replan_button, Qt.MouseButton.LeftButton)
    day_of = {s.site_id: d.index for d in panel.itinerary.days for s in d.stops}
    assert day_of[TESLA] == locked_day
    # Remove a stop with the Delete key.
    halyard = next(
        tree.topLevelItem(d).child(i)
        for d in range(3) for i in range(tree.topLevelItem(d).childCount())
        if tree.topLevelItem(d).child(i).data(0, SiteIdRole) == HALYARD
    )  # fmt: skip
    tree.setCurrentItem(halyard)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    assert HALYARD not in panel.itinerary.stop_ids()
    assert any(
        "removed from the plan" in panel.left_out.item(i).text() for i in range(panel.left_out.count())
    )


def test_a_saved_trip_reopens_on_the_next_start(qtbot, make_window):
    first = make_window()
    first.add_to_trip(TESLA)
    first.trip_panel.name_edit.setText("Tesla day")
    plan(qtbot, first, days=1)
    qtbot.keyClick(first, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [t.name for t in first.trip_store.list()] == ["Tesla day"]
    first.close()
    second = make_window()
    assert second.trip_panel.name_edit.text() == "Tesla day"
    assert second.trip_panel.itinerary.stop_ids() == [TESLA]
    assert [w.site_id for w in second.trip_panel.wishes()] == [TESLA]


def test_an_impossible_request_is_refused_with_a_message(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *args: shown.append(args[2]))
    window.trip_panel.plan()
    assert shown and "add at least one site" in shown[0]


def test_export_from_the_window_writes_every_format(qtbot, window, tmp_path):
    window.add_to_trip(TESLA)
    panel = plan(qtbot, window, days=1)
    with qtbot.waitSignal(panel.exportFinished, timeout=60_000) as done:
        panel.export(str(tmp_path / "out"))
    assert len(done.args[0]) == 7
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [
        ".csv",
        ".geojson",
        ".gpx",
        ".html",
        ".ics",
        ".kml",
        ".pdf",
    ]
    assert panel.progress.isHidden()


def test_a_plan_is_kept_without_saving_so_a_crash_loses_nothing(qtbot, make_window):
    first = make_window()
    first.add_to_trip(TESLA)
    first.trip_panel.name_edit.setText("Unsaved plan")
    plan(qtbot, first, days=1)
    # No Ctrl+S: the window goes away as a crash would take it.
    assert [t.name for t in first.trip_store.list()] == ["Unsaved plan"]
    second = make_window()
    assert second.trip_panel.itinerary.stop_ids() == [TESLA]
