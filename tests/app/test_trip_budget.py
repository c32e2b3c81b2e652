"""The pace as a budget in the Trip panel, trails that bring their base and days, and free
days offered back with suggestions: driven as a traveler would."""

from datetime import date

from PySide6.QtCore import QDate, Qt, QTime

TESLA = "nikola-tesla-museum"


def plan(qtbot, panel, start=date(2027, 5, 11), days=None):
    panel.start_edit.setDate(QDate(start.year, start.month, start.day))
    if days:
        panel.days_spin.setValue(days)
    with qtbot.waitSignal(panel.planFinished, timeout=30_000):
        qtbot.mouseClick(panel.plan_button, Qt.MouseButton.LeftButton)


def test_the_pace_sets_the_days_end_and_driving_and_both_can_be_changed(qtbot, window):
    panel = window.trip_panel
    panel.day_start.setTime(QTime(9, 0))
    panel.pace_box.setCurrentIndex(panel.pace_box.findData("relaxed"))
    assert panel.day_end.time() == QTime(15, 0)
    assert panel.max_drive.value() == 2.5
    panel.pace_box.setCurrentIndex(panel.pace_box.findData("packed"))
    assert (panel.day_end.time(), panel.max_drive.value()) == (QTime(19, 30), 5.5)
    panel.max_drive.setValue(7.0)
    panel.add_site(TESLA)
    assert panel.request().max_drive_minutes == 7 * 60
    # A later start moves the day's end with it and keeps the driving the traveler set.
    panel.day_start.setTime(QTime(10, 0))
    assert (panel.day_end.time(), panel.max_drive.value()) == (QTime(20, 30), 7.0)


def test_adding_a_trail_proposes_its_base_and_days_and_plans_from_there(qtbot, window):
    panel = window.trip_panel
    panel.wish_table.setRowCount(0)
    [action] = [a for a in panel.trail_button.menu().actions() if a.text().startswith("Užice and Mokra Gora")]
    action.trigger()
    assert panel.base_box.currentText() == "Mokra Gora"
    assert panel.days_spin.value() == 2
    plan(qtbot, panel)
    itinerary = panel.itinerary
    assert {d.start_base.name for d in itinerary.days} == {"Mokra Gora"}
    trail = window.catalog.trail("mokra-gora")
    assert sorted(itinerary.stop_ids()) == sorted(trail.sites)
    for day in itinerary.days:
        assert all(trail.day_of(s.site_id) == day.index + 1 for s in day.stops)


def test_free_days_are_offered_back_as_suggestions(qtbot, window):
    panel = window.trip_panel
    panel.wish_table.setRowCount(0)
    panel.base_box.setCurrentText("Belgrade")
    panel.add_site(TESLA)
    plan(qtbot, panel, days=3)
    assert sum(1 for d in panel.itinerary.days if not d.stops) == 2
    assert panel.suggest_button.isEnabled()
    with qtbot.waitSignal(panel.planFinished, timeout=30_000):
        qtbot.mouseClick(panel.suggest_button, Qt.MouseButton.LeftButton)
    suggested = [s for d in panel.itinerary.days for s in d.stops if s.suggested]
    assert suggested
    labels = [panel.wish_table.item(r, 0).text() for r in range(panel.wish_table.rowCount())]
    assert sum(label.endswith("(suggested)") for label in labels) == len(suggested)
    assert not any(w.must for w in panel.wishes() if w.suggested)
