"""The window's map names the colour of each day of the trip drawn on it, as the exported page does."""

import json
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor

from maps.render.routes import DAY_COLOURS

LEGEND = """JSON.stringify([...document.querySelectorAll('.ht-legend-day')].map(function (b) {
    return [b.textContent, getComputedStyle(b.firstChild).backgroundColor]; }))"""


def legend(run_js, window):
    return json.loads(run_js(window.map_view, LEGEND))


def test_a_planned_trip_shows_its_day_colours_on_the_map(qtbot, ready_window, run_js):
    window = ready_window
    assert legend(run_js, window) == []  # no trip, no legend
    for site_id in ("galovica-polje-halyard-memorial", "nikola-tesla-museum"):
        window.add_to_trip(site_id)
    panel = window.trip_panel
    panel.start_edit.setDate(QDate(2027, 5, 11))
    panel.days_spin.setValue(2)
    with qtbot.waitSignal(panel.planFinished, timeout=30_000):
        qtbot.mouseClick(panel.plan_button, Qt.MouseButton.LeftButton)
    drawn = [day for day in panel.itinerary.days if day.stops]
    expected = []
    for day in drawn:
        colour = QColor(DAY_COLOURS[day.index])
        rgb = f"rgb({colour.red()}, {colour.green()}, {colour.blue()})"
        expected.append([f"Day {day.index + 1} · {day.date:%a %d %b}", rgb])
    assert drawn and drawn[0].date == date(2027, 5, 11)
    qtbot.waitUntil(lambda: legend(run_js, window) == expected, timeout=10_000)
    # The catalog stays on the map beside the trip, with its toggle.
    assert run_js(window.map_view, "document.querySelector('.ht-catalog-toggle') !== null") is True
