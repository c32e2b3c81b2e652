"""Drive the window as a traveler would: type, click, read, and look at the map."""

import json
from pathlib import Path

from PySide6.QtCore import Qt

from app.window.site_model import SiteIdRole, SiteListModel
from sites.models import SearchResult


def shown_ids(window):
    return window.model.site_ids()


def test_typing_in_the_search_box_narrows_the_list(qtbot, window, catalog):
    everything = window.model.rowCount()
    assert everything == len(catalog)
    assert window.count_label.text() == f"{everything} sites"
    qtbot.keyClicks(window.search_box, "tesla")
    qtbot.waitUntil(lambda: 0 < window.model.rowCount() < everything)
    assert "nikola-tesla-museum" in shown_ids(window)
    assert all("tesla" in (s.name + s.summary + s.us_connection).lower()
               for s in (window.model.site_at(r) for r in range(window.model.rowCount())))  # fmt: skip
    assert window.count_label.text() == f"{window.model.rowCount()} of {everything} sites match"


def test_a_hostile_query_shows_an_empty_list_not_an_error(qtbot, window):
    qtbot.keyClicks(window.search_box, 'AND( "zzqx*')
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert window.count_label.text().startswith("0 of")


def test_clicking_a_site_fills_the_detail_pane(qtbot, window):
    row = window.model.row_of("nikola-tesla-museum")
    index = window.model.index(row, 0)
    window.list_view.scrollTo(index)
    rect = window.list_view.visualRect(index)
    qtbot.mouseClick(window.list_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = window.detail.toPlainText()
    assert "Nikola Tesla Museum" in text
    assert "Why it matters to Americans" in text
    assert "Last verified 20" in text
    assert "https://" in window.detail.toHtml()
    assert "Krunska 51, Belgrade" in text and "Belgrade, Belgrade" not in text  # the town said once


def test_theme_filter_narrows_the_list(qtbot, window):
    window.theme_box.setCurrentIndex(window.theme_box.findData("halyard"))
    assert window.model.rowCount() > 0
    assert all("halyard" in window.model.site_at(r).themes for r in range(window.model.rowCount()))


def test_the_map_page_loads_with_leaflet(qtbot, window, run_js):
    with qtbot.waitSignal(window.map_view.loadFinished, timeout=30_000) as blocker:
        pass
    assert blocker.args == [True]
    assert run_js(window.map_view, "typeof L") == "object"
    assert run_js(window.map_view, "typeof HT.clusterIndex") == "function"


def test_map_and_list_select_each_other(qtbot, ready_window, click_site, run_js):
    window = ready_window
    assert run_js(window.map_view, "window.heritageMap.count()") == len(window.catalog)
    # A click on a marker selects the site in the list.
    run_js(window.map_view, "window.heritageMap.marker('nikola-tesla-museum').fire('click'); 1")
    qtbot.waitUntil(lambda: window.selected_site() is not None)
    assert window.selected_site().id == "nikola-tesla-museum"
    assert "Nikola Tesla Museum" in window.detail.toPlainText()
    # Selecting in the list highlights the marker, without reloading the page.
    click_site(window, "pupin-birth-house-idvor")
    qtbot.waitUntil(
        lambda: run_js(window.map_view, "window.heritageMap.selected()") == "pupin-birth-house-idvor"
    )
    # The map shows only what the search matches.
    qtbot.keyClicks(window.search_box, "pupin")
    qtbot.waitUntil(lambda: run_js(window.map_view, "window.heritageMap.count()") == window.model.rowCount())


def test_a_point_that_is_the_town_centre_looks_approximate_on_the_map(
    qtbot, ready_window, click_site, run_js
):
    window, rough = ready_window, "politika-building-first-basketball-court-plaque"
    assert window.catalog.site(rough).coord_precision == "town"
    click_site(window, rough)
    shown = "document.querySelector('.ht-marker.ht-selected')"
    qtbot.waitUntil(lambda: run_js(window.map_view, f"!!{shown}"))
    assert "ht-approx" in run_js(window.map_view, f"{shown}.className")
    assert run_js(window.map_view, f"getComputedStyle({shown}).outlineStyle") == "dashed"
    qtbot.waitUntil(
        lambda: run_js(window.map_view, "!!document.querySelector('.leaflet-popup .ht-approx-note')")
    )
    assert "town centre" in run_js(window.map_view, "document.querySelector('.ht-approx-note').textContent")
    # A place with its own point keeps the plain marker.
    click_site(window, "nikola-tesla-museum")
    qtbot.waitUntil(lambda: "Tesla" in run_js(window.map_view, f"{shown}.parentNode.title || ''"))
    assert "ht-approx" not in run_js(window.map_view, f"{shown}.className")


def test_a_window_popup_brings_the_story_from_the_catalog(qtbot, ready_window, click_site, run_js):
    window, site = ready_window, ready_window.catalog.site("nikola-tesla-museum")
    # The window's page leaves the stories out (they are most of its weight at scale) ...
    page = Path(window.map_page).read_text(encoding="utf-8")
    assert site.name in page and site.summary not in page and site.us_connection not in page
    # ... and its popup asks the window for them when it opens.
    click_site(window, site.id)
    text = "(document.querySelector('.leaflet-popup {0}') || {{}}).textContent"
    qtbot.waitUntil(lambda: run_js(window.map_view, text.format(".ht-summary")) == site.summary)
    assert run_js(window.map_view, text.format(".ht-us")) == site.us_connection
    assert window.map_view.errors == []


def test_the_map_reaches_no_remote_host(qtbot, ready_window):
    assert ready_window.map_view.guard.blocked == []


def test_window_geometry_and_splitter_are_remembered(make_window):
    first = make_window(show=False)
    first.resize(700, 500)
    first.splitter.setSizes([150, 200, 350])
    sizes = first.splitter.sizes()
    first.close()
    second = make_window(show=False)
    assert (second.width(), second.height()) == (700, 500)
    assert second.splitter.sizes() == sizes


def test_the_list_model_passes_the_model_tester(qtmodeltester, catalog):
    model = SiteListModel(catalog.themes())
    model.set_results([SearchResult(s, 1.0) for s in catalog.sites()])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0), SiteIdRole) == catalog.sites()[0].id
    model.set_results([])
    qtmodeltester.check(model)


# What the page shows (every cluster's count and every single marker in the DOM), what the
# site layer says it has put on the map, and whether the selected marker is inside the map's frame.
_DRAWN = """(function () {
    var m = window.heritageMap;
    var inView = m.shown().reduce(function (a, b) { return a + b; }, 0);
    var clusters = Array.from(document.querySelectorAll('.marker-cluster')).map(function (e) {
        return parseInt(e.textContent, 10); });
    var selected = document.querySelector('.ht-marker.ht-selected');
    var box = selected && selected.getBoundingClientRect();
    var map = m.map.getContainer().getBoundingClientRect();
    return {drawn: clusters.reduce(function (a, b) { return a + b; }, 0)
                   + document.querySelectorAll('.leaflet-marker-pane .ht-marker').length,
            inView: inView, listed: m.count(), zoom: m.map.getZoom(),
            selectedInView: !!box && box.left >= map.left && box.right <= map.right
                            && box.top >= map.top && box.bottom <= map.bottom};
})()"""


def _only_tesla(window):
    """The list shows what "tesla" finds, and no longer everything or another search's results."""
    ids = window.model.site_ids()
    return (
        "nikola-tesla-museum" in ids
        and len(ids) < len(window.catalog)
        and all(
            "tesla" in (s.name + s.summary + s.us_connection).lower()
            for s in (window.model.site_at(r) for r in range(window.model.rowCount()))
        )
    )


def _settled(qtbot, view, run_js):
    """The page's state once its markers stop moving (animations and chunked adds are done)."""
    last = None
    for _ in range(40):
        qtbot.wait(250)
        state = json.loads(run_js(view, f"JSON.stringify({_DRAWN})"))
        if state == last:
            return state
        last = state
    return last


def test_searching_and_selecting_leaves_no_stale_cluster(qtbot, ready_window, click_site, run_js):
    window, view = ready_window, ready_window.map_view
    qtbot.keyClicks(window.search_box, "halyard")
    qtbot.waitUntil(lambda: 0 < window.model.rowCount() < len(window.catalog))
    state = _settled(qtbot, view, run_js)
    # The map fits the sites found: each is counted once, in a cluster's number or as a marker.
    assert state["drawn"] == state["inView"] == state["listed"] == window.model.rowCount(), state
    window.search_box.selectAll()  # typing over the query, as a person does
    qtbot.keyClicks(window.search_box, "tesla")
    qtbot.waitUntil(lambda: _only_tesla(window))
    click_site(window, "nikola-tesla-museum")
    state = _settled(qtbot, view, run_js)
    assert state["listed"] == window.model.rowCount()
    assert state["drawn"] == state["inView"], state
    assert state["selectedInView"], state
    # Zooming in from there splits every cluster: nothing stays stuck on the screen.
    for zoom in (15, 18):
        run_js(view, f"window.heritageMap.map.setZoom({zoom}); 1")
        state = _settled(qtbot, view, run_js)
        assert state["drawn"] == state["inView"], state
    assert view.errors == []


def test_clearing_the_search_fits_the_map_to_every_site(qtbot, ready_window, click_site, run_js):
    window, view = ready_window, ready_window.map_view
    qtbot.keyClicks(window.search_box, "tesla")
    qtbot.waitUntil(lambda: _only_tesla(window))
    click_site(window, "nikola-tesla-museum")
    _settled(qtbot, view, run_js)
    assert run_js(view, "window.heritageMap.map.getZoom()") >= 12
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == len(window.catalog))
    state = _settled(qtbot, view, run_js)
    west, south, east, north = json.loads(
        run_js(view, "'[' + window.heritageMap.map.getBounds().toBBoxString() + ']'")
    )
    sites = window.catalog.sites()
    assert [s.id for s in sites if not (south <= s.lat <= north and west <= s.lon <= east)] == []
    # Every site is counted once on the screen: in a cluster's number, or as a marker of its own.
    assert state["drawn"] == state["inView"] == len(sites)


def test_a_page_error_shows_in_the_status_bar(qtbot, ready_window, run_js):
    view = ready_window.map_view
    with qtbot.waitSignal(view.pageError, timeout=5000):
        run_js(view, "setTimeout(function () { null.boom(); }, 0); 1")
    assert "map hit an error" in ready_window.statusBar().currentMessage()
    view.errors.clear()  # this error was wanted; any other fails the test


def test_a_search_that_lands_while_the_map_moves_to_a_selection_breaks_nothing(qtbot, ready_window, run_js):
    # The map is still moving to the Tesla Museum when a search result for "halyard" arrives, as
    # when a person clicks a site and goes on typing: before, the marker cluster lost the marker
    # it was moving to and threw "Cannot read properties of undefined (reading '_icon')".
    window, view = ready_window, ready_window.map_view
    halyard = [r.site.id for r in window.catalog.search("halyard", window.current_filter())]
    later = f"setTimeout(function () {{ window.heritageMap.showOnly({json.dumps(halyard)}); }}, 30)"
    run_js(view, f"window.heritageMap.highlight('nikola-tesla-museum', true); {later}; 1")
    for zoom in (None, 15, 18, 9):
        if zoom:
            run_js(view, f"window.heritageMap.map.setZoom({zoom}); 1")
        state = _settled(qtbot, view, run_js)
        assert state["drawn"] == state["inView"] <= state["listed"] == len(halyard), state
    assert view.errors == []
