"""A main window on a real catalog file, offscreen, with no map tiles."""

import pytest
import shiboken6
from PySide6.QtCore import Qt, QUrl

from app.window.main_window import MainWindow
from app.window.map_view import MapView
from sites.catalog import Catalog


@pytest.fixture
def catalog(tmp_path):
    catalog = Catalog.open(tmp_path / "catalog.db")
    yield catalog
    catalog.close()


@pytest.fixture
def make_window(qtbot, catalog):
    """Open main windows; each is closed and its web page deleted after the test.

    QtWebEngine crashes at exit when a page outlives its profile, so windows are deleted
    here rather than left to the garbage collector. A test whose map page reported a JavaScript
    error fails here.
    """
    windows = []

    def make(show=True):
        window = MainWindow(catalog, allow_tiles=False)
        windows.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
            # Window shortcuts (F2, Ctrl+T, Ctrl+S...) reach only the active window.
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow)
        return window

    yield make
    errors = [error for window in windows if shiboken6.isValid(window) for error in window.map_view.errors]
    for window in windows:
        if shiboken6.isValid(window):
            window.close()
            shiboken6.delete(window)
    assert errors == [], "the map page's JavaScript reported errors"


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def ready_window(qtbot, window):
    """The window once its map page has loaded and connected its bridge."""
    if not window.map_view.is_ready:
        with qtbot.waitSignal(window.map_view.mapReady, timeout=30_000):
            pass
    return window


@pytest.fixture
def run_js(qtbot):
    """Run JavaScript in a map page and wait for its result: ``run_js(view, script)``."""

    def run(view, script):
        box = []
        view.page().runJavaScript(script, 0, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=10_000)
        return box[0]

    return run


@pytest.fixture
def click_site(qtbot):
    """Click a site's row in the window's list, as a person would: ``click_site(window, id)``."""

    def click(window, site_id):
        index = window.model.index(window.model.row_of(site_id), 0)
        window.list_view.scrollTo(index)
        rect = window.list_view.visualRect(index)
        qtbot.mouseClick(window.list_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.selected_site().id == site_id

    return click


def pytest_collection_modifyitems(items):
    """Every test that drives a Qt widget is a ``gui`` test (``pytest -m "not gui"`` skips them)."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def open_map(qtbot, tmp_path):
    """Load a map page's HTML in an 800x600 map view and wait until it is ready:
    ``view = open_map(html)``; the views are closed when the test ends."""
    views = []

    def open_(html):
        page = tmp_path / f"map{len(views)}.html"
        page.write_text(html, encoding="utf-8")
        view = MapView(allow_tiles=False)
        views.append(view)
        view.resize(800, 600)
        view.show()
        with qtbot.waitSignal(view.mapReady, timeout=30_000):
            view.load(QUrl.fromLocalFile(str(page)))
        return view

    yield open_
    for view in views:
        view.close()
        shiboken6.delete(view)
