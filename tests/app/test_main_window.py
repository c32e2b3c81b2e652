"""Drive the window as a traveler would: type, click, read, and look at the map."""

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


def test_theme_filter_narrows_the_list(qtbot, window):
    window.theme_box.setCurrentIndex(window.theme_box.findData("halyard"))
    assert window.model.rowCount() > 0
    assert all("halyard" in window.model.site_at(r).themes for r in range(window.model.rowCount()))


def test_the_map_page_loads_with_leaflet(qtbot, window, run_js):
    with qtbot.waitSignal(window.map_view.loadFinished, timeout=30_000) as blocker:
        pass
    assert blocker.args == [True]
    assert run_js(window.map_view, "typeof L") == "object"
    assert run_js(window.map_view, "typeof L.markerClusterGroup") == "function"


def test_map_and_list_select_each_other(qtbot, ready_window, click_site, run_js):
    window = ready_window
    assert run_js(window.map_view, "window.heritageMap.count()") == len(window.catalog)
    # A click on a marker selects the site in the list.
    run_js(window.map_view, "window.heritageMap.markers['nikola-tesla-museum'].fire('click'); 1")
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
