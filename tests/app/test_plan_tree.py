"""The plan tree reads as a timetable: each day's lines in time order, names that can be read
at the panel's default width, free days said, and a legend of the days' map colours."""

import re

import pytest
from PySide6.QtGui import QColor

from app.window.site_model import SiteIdRole
from maps.render.routes import DAY_COLOURS
from tests.maps.test_exports import CHURCH, MUSEUM, PUPIN, ZERO, adds_up, timed_itinerary


@pytest.fixture
def panel(qtbot, window, catalog):
    window.tabs.setCurrentWidget(window.trip_panel)
    window.trip_panel.show_itinerary(timed_itinerary(catalog))
    qtbot.wait(50)  # let the tree lay its rows out at the window's default size
    return window.trip_panel


def rows(day):
    return [(day.child(i).text(1), day.child(i).text(0)) for i in range(day.childCount())]


def test_each_day_is_a_timetable_in_time_order(panel, catalog):
    first = panel.tree.topLevelItem(0)
    lines = rows(first)
    assert adds_up(lines) == [], lines
    texts = [text for _, text in lines]
    assert texts[0] == "Leave Belgrade" and texts[-1] == "Back at Belgrade"
    pupin = next(i for i, t in enumerate(texts) if t.startswith("3. "))
    assert texts[pupin + 1] == "Lunch" and lines[pupin + 1][0] == "13:30–14:30"
    assert first.text(1) == "09:40–16:00"


def test_arrive_shows_only_for_a_wait(panel):
    texts = [text for _, text in rows(panel.tree.topLevelItem(0))]
    waits = [i for i, t in enumerate(texts) if t.startswith("Arrive")]
    assert len(waits) == 1 and texts[waits[0]] == "Arrive, wait 15 min for opening"
    assert texts[waits[0] + 1].startswith("1. Nikola Tesla Museum")


def test_an_empty_leg_is_next_door(panel):
    texts = [text for _, text in rows(panel.tree.topLevelItem(0))]
    assert texts[texts.index("next door") + 1].startswith("3. ")
    assert not any(ZERO.search(t) for t in texts)


def test_a_free_day_says_so_and_the_order_reads_stops_only(panel):
    free = panel.tree.topLevelItem(1)
    assert rows(free) == [("", "Free day: no visits planned")]
    assert panel.tree.order() == [[MUSEUM, CHURCH, PUPIN], []]


def test_long_names_wrap_at_the_default_width_with_the_full_name_as_tooltip(panel, catalog):
    tree = panel.tree
    day = tree.topLevelItem(0)
    church = next(day.child(i) for i in range(day.childCount()) if day.child(i).data(0, SiteIdRole) == CHURCH)
    leave = day.child(0)
    name = catalog.site(CHURCH).name
    assert church.text(0) == f"2. {name}" and name in church.toolTip(0)
    line = tree.fontMetrics().height()
    assert tree.visualItemRect(church).height() >= 2 * line > tree.visualItemRect(leave).height()
    assert tree.horizontalScrollBar().maximum() == 0  # nothing hides to the right either


def test_the_legend_names_each_day_in_its_map_colour(panel):
    legend = panel.tree.legend
    assert legend.isVisible()
    colours = re.findall(r"color:\s*(#[0-9a-f]{6})", legend.text())
    assert colours == [DAY_COLOURS[0], DAY_COLOURS[1]]
    assert re.sub(r"<[^>]+>|&nbsp;", " ", legend.text()).split() == [
        "■",
        "Day",
        "1",
        "■",
        "Day",
        "2",
        "(free)",
    ]
    swatch = panel.tree.topLevelItem(1).icon(0).pixmap(12, 12).toImage().pixelColor(6, 6)
    assert swatch == QColor(DAY_COLOURS[1])
