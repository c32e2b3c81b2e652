"""Catalog text is only ever text on the map: markup in a description never runs."""

from dataclasses import replace

import shiboken6
from PySide6.QtCore import QUrl

from app.window.map_view import MapView
from maps.render.page import render_map

PAYLOAD = '<img src=x onerror="window.pwned = 1"><script>window.pwned = 2</script>'


def test_markup_in_catalog_text_is_shown_not_run(qtbot, catalog, tmp_path, run_js):
    sites = [
        replace(s, summary=PAYLOAD, us_connection=PAYLOAD, name=PAYLOAD + s.name) for s in catalog.sites()[:3]
    ]
    page = tmp_path / "map.html"
    page.write_text(render_map(sites, catalog.themes(), tiles=False, sources=True), encoding="utf-8")
    view = MapView(allow_tiles=False)
    try:
        view.resize(800, 600)
        view.show()
        with qtbot.waitSignal(view.mapReady, timeout=30_000):
            view.load(QUrl.fromLocalFile(str(page)))
        site_id = sites[0].id
        view.highlight(site_id)  # zooms to the marker and opens its popup, as a selection does
        popup = "document.querySelector('.ht-popup') ? document.querySelector('.ht-popup').textContent : ''"
        for _ in range(50):
            text = run_js(view, popup)
            if text:
                break
            qtbot.wait(100)
        assert PAYLOAD in text
        assert run_js(view, "typeof window.pwned") == "undefined"
        assert run_js(view, "document.querySelectorAll('.ht-popup img, .ht-popup script').length") == 0
        assert view.guard.blocked == []
    finally:
        view.close()
        shiboken6.delete(view)


def test_a_trip_draws_above_the_catalog_which_can_be_hidden(qtbot, catalog, open_map, run_js):
    sites = catalog.sites()
    view = open_map(render_map(sites, catalog.themes(), tiles=False))
    a, b = sites[0], sites[1]
    day = {"day": 1, "colour": "#d62728", "path": [[a.lat, a.lon], [b.lat, b.lon]],
           "stops": [{"number": 1, "lat": a.lat, "lon": a.lon, "name": a.name, "id": a.id}]}  # fmt: skip
    view.show_routes([day])
    qtbot.waitUntil(lambda: run_js(view, "document.querySelectorAll('.ht-stop').length") == 1)
    # The stop's pane stacks above the pane of the catalog's markers and clusters.
    z = "(function (e) { while (e && !/leaflet-pane/.test(e.className)) { e = e.parentElement; }" \
        " return parseInt(getComputedStyle(e).zIndex, 10); })"  # fmt: skip
    stop_z = run_js(view, f"{z}(document.querySelector('.ht-stop'))")
    marker_z = run_js(view, f"{z}(document.querySelector('.ht-marker, .marker-cluster'))")
    assert stop_z > marker_z
    toggle = "document.querySelector('.ht-catalog-toggle')"
    assert run_js(view, f"{toggle}.textContent") == "Show only the trip"
    run_js(view, f"{toggle}.click(); 1")
    hidden = "document.querySelector('.leaflet-marker-pane').offsetParent === null"
    assert run_js(view, hidden) is True
    assert run_js(view, "document.querySelector('.ht-stop').offsetParent !== null") is True
    run_js(view, f"{toggle}.click(); 1")
    assert run_js(view, hidden) is False
    view.show_routes([])
    qtbot.waitUntil(lambda: run_js(view, f"{toggle} === null") is True)
    assert view.errors == []


def test_markers_carry_letters_and_no_tile_credit_shows_without_tiles(qtbot, catalog, open_map, run_js):
    view = open_map(render_map(catalog.sites(), catalog.themes(), tiles=True))
    view.highlight(catalog.sites()[0].id)
    qtbot.waitUntil(lambda: run_js(view, "document.querySelectorAll('.ht-marker').length") > 0)
    glyphs = run_js(
        view, "Array.from(document.querySelectorAll('.ht-marker')).map(e => e.textContent).join('')"
    )
    assert glyphs and all("A" <= glyph <= "Z" for glyph in glyphs)
    credit = run_js(view, "document.querySelector('.leaflet-control-attribution').textContent")
    assert "OpenStreetMap" not in credit
    assert view.errors == []
