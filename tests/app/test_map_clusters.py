"""The map's clusters, read off the page as a person sees them: numbered discs whose numbers add up
to the sites shown, that fall apart as the map zooms in, and that zoom in to where they split."""

import json
import math

import pytest

from maps.render.page import render_map
from sites.models import Site, Theme

THEMES = [Theme("history", "History", "#8c2d04", "H")]
RADIUS_PX = 45  # sites closer than this on the screen share a cluster
CLUSTER_ZOOM = 15  # beyond it every site stands alone


def _site(site_id, lat, lon):
    return Site(id=site_id, name=site_id.title(), lat=lat, lon=lon, town="Town", themes=("history",))


# Three sites a few dozen metres apart in Belgrade, two a kilometre apart in Novi Sad, one in Niš.
BELGRADE = [_site("kalemegdan", 44.8230, 20.4500), _site("fortress", 44.8232, 20.4503),
            _site("gate", 44.8228, 20.4505)]  # fmt: skip
NOVI_SAD = [_site("petrovaradin", 45.2517, 19.8620), _site("danube-park", 45.2550, 19.8500)]
NIS = [_site("nis-fortress", 43.3247, 21.8958)]
SITES = BELGRADE + NOVI_SAD + NIS

# What the page shows: the number on each cluster, and how many single markers.
_SEEN = """JSON.stringify({
    clusters: Array.from(document.querySelectorAll('.marker-cluster')).map(function (e) {
        return parseInt(e.textContent, 10); }).sort(function (a, b) { return a - b; }),
    markers: document.querySelectorAll('.leaflet-marker-pane .ht-marker').length,
    zoom: window.heritageMap.map.getZoom()})"""


def _pixels_apart(a: Site, b: Site, zoom: int) -> float:
    """How far apart two sites are on the screen at ``zoom``, in Web Mercator pixels."""

    def xy(site):
        sin = math.sin(math.radians(site.lat))
        return site.lon / 360 + 0.5, 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)

    (ax, ay), (bx, by) = xy(a), xy(b)
    return math.hypot(ax - bx, ay - by) * 256 * 2**zoom


def _split_zoom(group):
    """The first zoom at which no two of ``group`` are within the cluster radius."""
    return next(
        (z for z in range(5, CLUSTER_ZOOM + 1)
         if all(_pixels_apart(a, b, z) > RADIUS_PX for a in group for b in group if a is not b)),
        CLUSTER_ZOOM + 1,
    )  # fmt: skip


@pytest.fixture
def view(open_map):
    view = open_map(render_map(SITES, THEMES, tiles=False))
    yield view
    assert list(view.errors) == []


def _seen(qtbot, view, run_js, zoom=None, centre=None):
    if zoom is not None:
        lat, lon = centre or (44.3, 20.9)
        run_js(view, f"window.heritageMap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); 1")
    last = None
    for _ in range(40):  # until what is drawn stops changing
        qtbot.wait(100)
        seen = json.loads(run_js(view, _SEEN))
        if seen == last:
            return seen
        last = seen
    return last


def test_cluster_numbers_add_up_to_the_sites_at_every_zoom(qtbot, view, run_js):
    for zoom in range(5, 9):  # all of Serbia is in view
        seen = _seen(qtbot, view, run_js, zoom)
        assert sum(seen["clusters"]) + seen["markers"] == len(SITES), seen
    # At zoom 8 the towns stand apart, but the sites of each town share a cluster.
    assert _split_zoom(NOVI_SAD) > 8
    assert min(_pixels_apart(BELGRADE[0], other, 8) for other in (NOVI_SAD[0], NIS[0])) > 2 * RADIUS_PX
    assert _seen(qtbot, view, run_js, 8) == {"clusters": [2, 3], "markers": 1, "zoom": 8}


def test_a_cluster_splits_as_the_map_zooms_in(qtbot, view, run_js):
    split = _split_zoom(NOVI_SAD)
    centre = (NOVI_SAD[0].lat, NOVI_SAD[0].lon)
    assert 8 < split <= CLUSTER_ZOOM
    assert _seen(qtbot, view, run_js, split - 1, centre)["clusters"] == [2]
    assert _seen(qtbot, view, run_js, split, centre) == {"clusters": [], "markers": 2, "zoom": split}
    # Belgrade's three sites, a few metres apart, stand alone only beyond the clustered zooms.
    centre = (BELGRADE[0].lat, BELGRADE[0].lon)
    assert _seen(qtbot, view, run_js, CLUSTER_ZOOM, centre)["clusters"] == [3]
    assert _seen(qtbot, view, run_js, CLUSTER_ZOOM + 1, centre)["markers"] == 3


def test_a_click_on_a_cluster_zooms_to_where_it_splits(qtbot, view, run_js):
    _seen(qtbot, view, run_js, 8)
    run_js(view, "Array.from(document.querySelectorAll('.marker-cluster'))"
                 ".filter(function (e) { return e.textContent === '2'; })[0].click(); 1")  # fmt: skip
    seen = _seen(qtbot, view, run_js)
    assert seen["zoom"] == _split_zoom(NOVI_SAD)
    assert seen["clusters"] == [] and seen["markers"] == 2


def test_a_filter_and_a_selection_leave_the_right_clusters(qtbot, view, run_js):
    view.show_only([s.id for s in BELGRADE + NOVI_SAD[:1]])
    seen = _seen(qtbot, view, run_js)
    assert sum(seen["clusters"]) + seen["markers"] == 4
    # The selected site stands alone, highlighted; its neighbours stay together.
    view.highlight("fortress")
    qtbot.waitUntil(lambda: run_js(view, "window.heritageMap.selected()") == "fortress")
    run_js(view, f"window.heritageMap.map.setZoom({CLUSTER_ZOOM}, {{animate: false}}); 1")
    seen = _seen(qtbot, view, run_js)
    assert seen["clusters"] == [2] and seen["markers"] == 1
    assert run_js(view, "document.querySelector('.ht-marker.ht-selected').parentElement.title") == "Fortress"
    # Showing everything again puts every site back, the selection still standing alone.
    view.show_only(None)
    seen = _seen(qtbot, view, run_js)
    assert sum(seen["clusters"]) + seen["markers"] == len(SITES)
    assert run_js(view, "document.querySelectorAll('.ht-marker.ht-selected').length") == 1
