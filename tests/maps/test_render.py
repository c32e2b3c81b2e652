"""The map page: nothing from a CDN, catalog text escaped, the base layer present."""

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
import shapely
from shapely.geometry import shape

from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip
from maps.render import basemap
from maps.render.page import render_map
from maps.render.routes import DAY_COLOURS, route_data
from sites import geography
from sites.models import Site, Source, Theme

THEMES = [Theme("history", "History", "#8c2d04", "H")]


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.remote, self.scripts = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = (
            attrs.get("src")
            if tag in ("script", "img", "iframe")
            else attrs.get("href")
            if tag == "link"
            else None
        )
        if url:
            self.remote.append(url)
        if tag == "script":
            self.scripts.append(attrs)


def _resources(html):
    parser = _Resources()
    parser.feed(html)
    return parser


def test_the_page_loads_nothing_from_the_network(bundled_catalog):
    html = render_map(bundled_catalog.sites(), bundled_catalog.themes())
    assert _resources(html).remote == []
    assert "HT.clusterIndex" in html and "window.heritageMap" in html
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "unpkg" not in html


def test_tiles_are_optional(bundled_catalog):
    assert "tile.openstreetmap.org" in render_map(bundled_catalog.sites(), bundled_catalog.themes())
    assert "tile.openstreetmap.org" not in render_map(
        bundled_catalog.sites(), bundled_catalog.themes(), tiles=False
    )


def test_catalog_text_cannot_become_markup():
    evil = Site(id="evil", name="<script>alert('x')</script>", lat=44.8, lon=20.4, town="Belgrade",
                summary="</script><img src=x onerror=alert(1)>", us_connection='"quoted" & <b>bold</b>',
                themes=("history",), sources=(Source("https://example.org"),))  # fmt: skip
    html = render_map([evil], [Theme("history", "H", "red;}</style><script>", "<i>")])
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "</style><script>" not in html
    assert "<b>bold</b>" not in html
    # The text is still there, as data, for the popup to show as text.
    data = lxml.html.fromstring(html).xpath('//script[@type="application/json"]')[0].text
    assert json.loads(data)[0][4] == "<script>alert('x')</script>"


def test_catalog_text_is_not_read_as_a_template():
    site = Site(id="t", name="{{ 7*7 }} {% if true %}x{% endif %}", lat=44.8, lon=20.4, town="Belgrade")
    html = render_map([site], THEMES)
    data = lxml.html.fromstring(html).xpath('//script[@type="application/json"]')[0].text
    assert json.loads(data)[0][4] == "{{ 7*7 }} {% if true %}x{% endif %}"


def test_the_map_fits_the_sites():
    site = Site(id="a", name="A", lat=43.32, lon=21.9, town="Niš", themes=("history",))
    html = render_map([site, Site(id="b", name="B", lat=45.25, lon=19.84, town="Novi Sad")], THEMES)
    assert "fitBounds" in html and "[43.32, 19.84]" in html and "[45.25, 21.9]" in html


def test_base_layer_holds_serbia_and_its_towns():
    html = render_map([], THEMES, tiles=False)
    assert "htLand" in html and "Kragujevac" in html
    names = [t.name for t in geography.towns()]
    assert names[0] == "Belgrade" and "Niš" in names and "Novi Sad" in names


def _named(layer: str) -> set[str]:
    return {f["properties"]["name"] for f in basemap.region()[layer]["features"]}


def test_the_base_map_draws_the_neighbours_as_land_and_the_adriatic_as_sea():
    land = shapely.union_all([shape(f["geometry"]) for f in basemap.region()["land"]["features"]])
    sea = shape(basemap.region()["sea"]["features"][0]["geometry"])
    sofia, sarajevo, timisoara, bay_of_kotor = (23.32, 42.70), (18.41, 43.86), (21.23, 45.75), (18.6, 42.2)
    for lon, lat in (sofia, sarajevo, timisoara):
        assert land.contains(shapely.Point(lon, lat)) and not sea.contains(shapely.Point(lon, lat))
    assert sea.contains(shapely.Point(*bay_of_kotor))
    assert {"Hungary", "Romania", "Bulgaria", "Croatia", "Montenegro"} <= _named("countries")
    # Names in full, as the United Nations lists its members today, not as Natural Earth 4.0.0 had them.
    assert {"Bosnia and Herzegovina", "North Macedonia"} <= _named("countries")
    assert not {"Macedonia", "Bosnia and Herz."} & _named("countries")
    assert len(basemap.region()["borders"]["features"]) > 10


def test_the_base_map_has_serbias_rivers_and_neighbouring_towns():
    assert {"Danube", "Sava", "Drina", "Morava", "Tisa"} <= _named("rivers")
    danube = [f for f in basemap.region()["rivers"]["features"] if f["properties"]["name"] == "Danube"]
    # The Danube passes Belgrade (44.82 N, 20.45 E) within a few hundred metres of the data's line.
    line = shapely.union_all([shape(f["geometry"]) for f in danube])
    assert line.distance(shapely.Point(20.45, 44.82)) < 0.05
    places = {p.name: p for p in basemap.places()}
    assert {"Belgrade", "Sofia", "Timișoara", "Sarajevo"} <= places.keys()
    populations = [p.population for p in basemap.places()]
    assert populations == sorted(populations, reverse=True)


def test_the_bundled_base_map_is_small():
    folder = Path(basemap.__file__).parents[2] / "resources" / "basemap"
    total = sum(f.stat().st_size for f in folder.iterdir() if f.suffix in (".json", ".geojson"))
    assert total < 1_500_000


@pytest.fixture(scope="module")
def trip_days(bundled_catalog):
    """Three days from Belgrade for two sites: at least one day is left free."""
    wishes = (Wish("nikola-tesla-museum"), Wish("galovica-polje-halyard-memorial"))
    days = plan_trip(TripRequest("Legend", date(2027, 5, 11), 3, ("Belgrade",), wishes), bundled_catalog).days
    assert any(not day.stops for day in days) and any(day.stops for day in days)
    return days


def test_each_drawn_day_has_its_colour_label_and_stop_times(trip_days):
    drawn = route_data(trip_days)
    with_stops = [day for day in trip_days if day.stops]
    assert [d["day"] for d in drawn] == [day.index + 1 for day in with_stops]  # free days draw nothing
    for data, day in zip(drawn, with_stops, strict=True):
        assert data["colour"] == DAY_COLOURS[day.index % len(DAY_COLOURS)]
        assert data["label"] == f"Day {day.index + 1} · {day.date:%a %d %b}"
        assert [s["when"] for s in data["stops"]] == [f"{s.start:%H:%M}–{s.leave:%H:%M}" for s in day.stops]
        assert data["path"][0] == [day.start_base.lat, day.start_base.lon]
