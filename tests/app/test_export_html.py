"""The exported HTML trip page, opened in a real browser engine with the network refused: the
timetable beside the map, a legend of the day colours, stops that open their popups from the map
and from the timetable, the operator's logo, and nothing over the map's controls."""

import json
import re
from dataclasses import replace
from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWebEngineWidgets import QWebEngineView

from app.window.map_view import MapPage, RequestGuard
from maps import exports
from maps.exports.output import ExportError
from maps.exports.profile import OperatorProfile
from maps.exports.timetable import Kind, day_lines
from maps.exports.webpage import logo_uri
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip
from maps.render.routes import DAY_COLOURS

SITES = ["nikola-tesla-museum", "galovica-polje-halyard-memorial", "military-museum-belgrade-fortress",
         "ethnographic-museum-belgrade", "museum-of-yugoslavia"]  # fmt: skip
HOSTILE_TRIP = "<img src=x onerror=\"document.body.dataset.pwned='trip'\">Smith & sons"
HOSTILE_STOP = "<b id=evil>Tesla</b><script>document.body.dataset.pwned='stop'</script>"


@pytest.fixture
def logo(tmp_path):
    image = QImage(240, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f4e79"))
    path = tmp_path / "logo.png"
    assert image.save(str(path))
    return path


@pytest.fixture
def make_trip(catalog, logo):
    """A two-day trip of the three sites, with an operator's profile and logo."""

    def make(name="Two days in Serbia", names=None):
        if names:
            catalog.save_sites(replace(catalog.site(i), name=n) for i, n in names.items())
        request = TripRequest(name, date(2027, 5, 11), 2, ("Belgrade",), tuple(Wish(s) for s in SITES))
        profile = OperatorProfile("Danube Heritage Tours", "info@example.org", "Licensed operator", str(logo))
        return exports.trip_for(plan_trip(request, catalog), catalog, profile)

    return make


@pytest.fixture
def open_page(qtbot, tmp_path, run_js):
    """Export a trip to HTML and open it offscreen with only the page's own file allowed;
    after the test, the page must have reported no JavaScript error and asked only for tiles."""
    opened = []

    def open_trip(trip):
        [path] = exports.export_trip(trip, ["html"], tmp_path / "out")
        view = QWebEngineView()
        view.setPage(MapPage(view))
        guard = RequestGuard(allow_tiles=False, parent=view)
        view.page().profile().setUrlRequestInterceptor(guard)
        opened.append((view, guard))
        view.resize(1200, 800)
        view.show()
        qtbot.waitExposed(view)
        with qtbot.waitSignal(view.loadFinished, timeout=30_000) as loaded:
            view.load(QUrl.fromLocalFile(str(path)))
        assert loaded.args == [True]
        qtbot.waitUntil(lambda: run_js(view, "window.heritageMap && window.heritageMap.loaded()") is True)
        return view

    yield open_trip
    errors, blocked = [], []
    for view, guard in opened:
        errors += view.page().errors
        blocked += guard.blocked
        view.page().profile().setUrlRequestInterceptor(None)
        view.close()
        shiboken6.delete(view)  # a page must not outlive its profile at exit
    assert errors == [], "the page's JavaScript reported errors"
    # Only tile requests were attempted (and refused here): the page itself needs no network.
    assert all("tile.openstreetmap.org" in url for url in blocked)


# Scripts the tests run in the page; each returns a value read back as JSON.
RECT = (
    "var r = document.querySelector(%s).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];"
)
TIMETABLE_ROWS = """return [...document.querySelectorAll('.ht-timetable tr')].map(function (r) {
    return [r.cells[0].innerText, r.cells[1].innerText.split('\\n')[0]]; });"""
LOGO = """var i = document.querySelector('img.ht-logo');
    return [i.src.slice(0, 22), i.complete, i.naturalWidth, i.naturalHeight];"""
LEGEND = """return [...document.querySelectorAll('.ht-legend-day')].map(function (b) {
    return [b.textContent, getComputedStyle(b.firstChild).backgroundColor]; });"""
ROUTE_COLOURS = """return [...document.querySelectorAll('.leaflet-htTripRoutes-pane path')].map(function (p) {
    return p.getAttribute('stroke'); });"""
# The stop's numbered marker (known by its title): its centre, and whether it is on top there.
PIN = """var pin = [...document.querySelectorAll('.leaflet-htTripStops-pane .leaflet-marker-icon')]
    .find(function (m) { return m.title === %s; });
    var r = pin.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    return [x, y, pin.contains(document.elementFromPoint(x, y))];"""
# Centre the map on a stop at street level; true once its marker stands at the map's centre.
CENTRE = """var map = heritageMap.map;
    map.closePopup(); map.setView([%s, %s], 16, {animate: false});
    var c = map.getContainer().getBoundingClientRect(), p = map.latLngToContainerPoint([%s, %s]);
    var pin = (function () { %s })();
    return Math.abs(pin[0] - c.left - p.x) < 2 && Math.abs(pin[1] - c.top - p.y) < 2
        && Math.abs(p.x - c.width / 2) < 2 && Math.abs(p.y - c.height / 2) < 2;"""
POPUP = """var p = document.querySelector('.leaflet-popup-content');
    return [p.innerText, [...p.querySelectorAll('.ht-sources a')].map(function (a) { return a.href; })];"""
POPUP_TITLE = "(document.querySelector('.leaflet-popup-content .ht-title') || {}).textContent || ''"
# Whether whatever is drawn at a control's centre belongs to the control.
ON_TOP = "return document.querySelector(%s).contains(document.elementFromPoint(%s, %s));"
CONTROLS = (".leaflet-control-scale", ".leaflet-control-zoom", ".ht-legend", ".leaflet-control-attribution")
UNHARMED = "document.querySelector('#evil') === null && !document.body.dataset.pwned"


def js(run_js, view, script):
    """Run a script that returns a value, and read it back."""
    return json.loads(run_js(view, f"JSON.stringify((function () {{ {script} }})())"))


def rect(run_js, view, selector):
    return js(run_js, view, RECT % json.dumps(selector))


def click(qtbot, view, x, y):
    """A real mouse click at a point of the page, as a person makes it."""
    widget = view.focusProxy()
    point = QPoint(round(x), round(y))
    QTest.mouseMove(widget, point)
    qtbot.wait(50)
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def row(day, number):
    """The CSS selector of a stop's row in the timetable."""
    return f'.ht-timetable tr[data-day="{day}"][data-stop="{number}"]'


def click_row(qtbot, view, run_js, day, number):
    """Click a stop's row in the timetable (on its time, not its name's button)."""
    run_js(view, f"document.querySelector('{row(day, number)}').scrollIntoView({{block: 'center'}}); true")
    left, top, right, bottom = rect(run_js, view, f"{row(day, number)} td.time")
    click(qtbot, view, (left + right) / 2, (top + bottom) / 2)


def row_name(run_js, view, day, number):
    """The name a stop's row in the timetable shows."""
    return js(run_js, view, f"return document.querySelector('{row(day, number)} .ht-goto').textContent;")


def stops(trip):
    return [(day + 1, number, stop) for day, number, stop, _site in trip.stops()]


def test_the_page_names_every_stop_beside_the_map_under_the_logo(make_trip, open_page, run_js):
    trip = make_trip()
    view = open_page(trip)
    text = run_js(view, "document.body.innerText")
    for _day, number, stop in stops(trip):
        assert f"{number}. {stop.name}" in text  # in the timetable
    # Each day's timetable reads as the terminal's: times, stops, lunch, the drives between.
    rows = js(run_js, view, TIMETABLE_ROWS)
    expected = [
        [line.times(), f"{line.number}. {line.text}" if line.kind is Kind.VISIT else line.text]
        for day in trip.itinerary.days
        for line in day_lines(day)
    ]
    assert rows == expected
    assert any(what == "Lunch" and time.count(":") == 2 for time, what in rows)
    assert any(re.fullmatch(r"travel (\d+ h )?\d+ min, [\d.]+ km.*", what) for _time, what in rows)
    assert run_js(view, "document.querySelector('h1').textContent") == "Two days in Serbia"
    assert "Prepared by Danube Heritage Tours · info@example.org" in text
    assert "Licensed operator" in text
    # The logo is in the file itself and decodes as the image it was.
    assert js(run_js, view, LOGO) == ["data:image/png;base64,", True, 240, 80]
    # The timetable stands beside the map, not over it.
    table, fmap = rect(run_js, view, ".ht-timetable"), rect(run_js, view, ".folium-map")
    assert table[2] <= fmap[0] and fmap[2] - fmap[0] > 600
    # One numbered marker per stop, and no catalog marker under them.
    pins = run_js(view, "document.querySelectorAll('.leaflet-htTripStops-pane .ht-stop').length")
    assert pins == len(stops(trip))
    assert run_js(view, "getComputedStyle(heritageMap.map.getPane('markerPane')).display") == "none"


def test_the_legend_names_each_day_in_its_colour(make_trip, open_page, run_js):
    trip = make_trip()
    view = open_page(trip)
    drawn = [day for day in trip.itinerary.days if day.stops]
    assert len(drawn) == 2
    expected = []
    for day in drawn:
        colour = QColor(DAY_COLOURS[day.index])
        rgb = f"rgb({colour.red()}, {colour.green()}, {colour.blue()})"
        expected.append([f"Day {day.index + 1} · {day.date:%a %d %b}", rgb])
    assert js(run_js, view, LEGEND) == expected
    # The routes are drawn in the same colours.
    assert js(run_js, view, ROUTE_COLOURS) == [DAY_COLOURS[day.index] for day in drawn]


def test_a_click_on_a_numbered_stop_opens_its_story_and_sources(qtbot, make_trip, open_page, run_js):
    trip = make_trip()
    view = open_page(trip)
    for day, number, stop in stops(trip):
        pin = PIN % json.dumps(f"Day {day} · {stop.start:%a %d %b}, stop {number}: {stop.name}")
        # Again, if a zoom still under way when the map is moved ends elsewhere.
        centre = CENTRE % (stop.lat, stop.lon, stop.lat, stop.lon, pin)
        qtbot.waitUntil(lambda centre=centre: js(run_js, view, centre) is True, timeout=5_000)
        x, y, on_top = js(run_js, view, pin)
        assert on_top, f"something covers the marker of stop {number} of day {day}"
        click(qtbot, view, x, y)
        qtbot.waitUntil(lambda stop=stop: run_js(view, POPUP_TITLE) == stop.name, timeout=5_000)
        site = trip.sites[stop.site_id]
        text, links = js(run_js, view, POPUP)
        assert (
            f"Day {day} · {stop.start:%a %d %b}, stop {number} · {stop.start:%H:%M}–{stop.leave:%H:%M}"
            in text
        )
        assert site.summary[:40] in text
        assert links == [source.url for source in site.sources]


def test_a_stop_in_the_timetable_opens_its_popup_at_street_level(qtbot, make_trip, open_page, run_js):
    trip = make_trip()
    view = open_page(trip)
    for day, number, stop in stops(trip):
        assert row_name(run_js, view, day, number) == f"{number}. {stop.name}"
        click_row(qtbot, view, run_js, day, number)
        qtbot.waitUntil(lambda stop=stop: run_js(view, POPUP_TITLE) == stop.name, timeout=5_000)
        assert run_js(view, "heritageMap.map.getZoom()") >= 15
        assert js(run_js, view, f"return heritageMap.map.getBounds().contains([{stop.lat}, {stop.lon}]);")


def test_nothing_covers_the_map_controls_and_the_map_zooms_to_street_level(make_trip, open_page, run_js):
    view = open_page(make_trip())
    fmap = rect(run_js, view, ".folium-map")
    outside = [rect(run_js, view, other) for other in (".ht-header", ".ht-timetable", ".ht-footer")]
    for control in CONTROLS:
        left, top, right, bottom = rect(run_js, view, control)
        assert fmap[0] <= left and fmap[1] <= top and right <= fmap[2] and bottom <= fmap[3], control
        for o in outside:
            assert right <= o[0] or o[2] <= left or bottom <= o[1] or o[3] <= top, f"{control} is covered"
        assert js(run_js, view, ON_TOP % (json.dumps(control), (left + right) / 2, (top + bottom) / 2)), (
            control
        )
    assert run_js(view, "heritageMap.map.getMaxZoom()") >= 18
    assert run_js(view, "heritageMap.map.setZoom(18, {animate: false}).getZoom()") == 18
    # With no tile, the vector base map still fills the view at street level.
    assert run_js(view, "document.querySelectorAll('.leaflet-htLand-pane path').length") > 0


def test_hostile_trip_and_stop_names_are_text(qtbot, make_trip, open_page, run_js):
    trip = make_trip(HOSTILE_TRIP, {"nikola-tesla-museum": HOSTILE_STOP})
    view = open_page(trip)
    assert run_js(view, "document.title") == HOSTILE_TRIP
    assert run_js(view, "document.querySelector('h1').textContent") == HOSTILE_TRIP
    assert run_js(view, UNHARMED) is True
    assert run_js(view, "document.querySelectorAll('img:not(.leaflet-tile)').length") == 1  # the logo alone
    [(day, number, _stop)] = [s for s in stops(trip) if s[2].site_id == "nikola-tesla-museum"]
    assert row_name(run_js, view, day, number) == f"{number}. {HOSTILE_STOP}"
    click_row(qtbot, view, run_js, day, number)
    qtbot.waitUntil(lambda: run_js(view, POPUP_TITLE) == HOSTILE_STOP, timeout=5_000)
    assert run_js(view, UNHARMED) is True


def test_a_logo_that_is_not_a_png_or_jpeg_is_refused_with_its_reason(tmp_path, logo):
    assert logo_uri(logo).startswith("data:image/png;base64,")
    svg = tmp_path / "mark.png"  # named as a PNG, but a script-bearing SVG
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8")
    with pytest.raises(ExportError, match="is not a PNG or JPEG image"):
        logo_uri(svg)
    with pytest.raises(ExportError, match="cannot be read"):
        logo_uri(tmp_path / "gone.png")
