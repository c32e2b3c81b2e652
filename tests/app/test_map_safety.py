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
