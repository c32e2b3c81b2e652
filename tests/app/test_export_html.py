"""The exported HTML map opens in a real browser engine with no network and shows the trip."""

from datetime import date

import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView

from maps import exports
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip

SITES = ["nikola-tesla-museum", "galovica-polje-halyard-memorial", "military-museum-belgrade-fortress"]


def test_the_html_export_loads_offline_with_markers_and_routes(qtbot, catalog, tmp_path, run_js):
    request = TripRequest("Offline map", date(2027, 5, 11), 2, ("Belgrade",), tuple(Wish(s) for s in SITES))
    trip = exports.trip_for(plan_trip(request, catalog), catalog)
    [path] = exports.export_trip(trip, ["html"], tmp_path)
    view = QWebEngineView()
    try:
        _check(qtbot, view, path, run_js=run_js)
    finally:
        view.close()
        shiboken6.delete(view)  # a page must not outlive its profile at exit


def _check(qtbot, view, path, run_js):
    blocked = []
    from app.window.map_view import RequestGuard

    guard = RequestGuard(allow_tiles=False)
    view.page().profile().setUrlRequestInterceptor(guard)
    with qtbot.waitSignal(view.loadFinished, timeout=30_000) as loaded:
        view.load(QUrl.fromLocalFile(str(path)))
    assert loaded.args == [True]
    qtbot.waitUntil(lambda: run_js(view, "window.heritageMap && window.heritageMap.loaded()") is True)
    assert run_js(view, "window.heritageMap.count()") == len(SITES)
    assert run_js(view, "window.heritageMap.routeCount()") > len(SITES)
    assert run_js(view, "document.querySelector('.ht-banner').textContent") == "Offline map"
    blocked += guard.blocked
    view.page().profile().setUrlRequestInterceptor(None)
    # Only tile requests were attempted (and refused here): the page itself needs no network.
    assert all("tile.openstreetmap.org" in url for url in blocked)
