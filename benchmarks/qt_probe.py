"""Qt measurements that need a process of their own: map loading and window start-up."""

import time

START = time.perf_counter()

import sys  # noqa: E402

from app.environment import prepare_qt  # noqa: E402


def _app():
    prepare_qt()
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(sys.argv)


def load_map(path: str) -> str:
    """Seconds from loading a map page to every marker placed in its cluster layer."""
    app = _app()
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView

    view = QWebEngineView()
    view.resize(1200, 800)
    view.show()
    outcome = {}
    began = time.perf_counter()

    def poll():
        view.page().runJavaScript(
            "window.heritageMap && window.heritageMap.loaded() ? window.heritageMap.count() : -1", 0, check
        )

    def check(count):
        if isinstance(count, (int, float)) and count > 0:
            outcome["seconds"] = time.perf_counter() - began
            outcome["markers"] = int(count)
            app.quit()
        else:
            QTimer.singleShot(20, poll)

    view.loadFinished.connect(lambda ok: poll())
    view.load(QUrl.fromLocalFile(path))
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    view.deleteLater()
    app.processEvents()
    if not outcome:
        return "did not finish in 120 s"
    return f"{outcome['seconds'] * 1000:.0f} ms for {outcome['markers']:,} markers"


def start_window() -> str:
    """Seconds from process start to the list interactive (painted, and a key typed into the search
    box as the window showed handled), and to the map ready."""
    import tempfile

    from sites import paths

    app = _app()
    import os

    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtGui import QKeyEvent

    from app.window.main_window import MainWindow
    from sites.catalog import Catalog

    os.environ[paths.DATA_DIR_ENV] = tempfile.mkdtemp()
    before_build = time.perf_counter()
    Catalog.open().close()  # the first-run build is not part of every start; leave it out
    build = time.perf_counter() - before_build
    catalog = Catalog.open()
    window = MainWindow(catalog, allow_tiles=False)
    marks = {}
    window.search_box.textChanged.connect(lambda _text: marks.setdefault("typed", time.perf_counter()))

    def ready():
        marks["map"] = time.perf_counter()
        app.quit()

    class PaintWatch(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                marks.setdefault("painted", time.perf_counter())
            return False

    watch = PaintWatch()
    window.list_view.viewport().installEventFilter(watch)
    window.map_view.mapReady.connect(ready)
    window.show()
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_T, Qt.KeyboardModifier.NoModifier, "t")
    app.postEvent(window.search_box, key)
    QTimer.singleShot(60_000, app.quit)
    app.exec()
    window.deleteLater()
    del window
    app.processEvents()
    if "painted" in marks and "typed" in marks:
        marks["interactive"] = max(marks["painted"], marks["typed"])
    line = ", ".join(
        f"{label} {(marks[mark] - START - build) * 1000:.0f} ms"
        for label, mark in (("list interactive", "interactive"), ("map ready", "map"))
        if mark in marks
    )
    return f"{line} after process start ({len(catalog)} sites; first-run catalog build excluded)"


if __name__ == "__main__":
    result = {"load_map": load_map, "start_window": start_window}[sys.argv[1]](*sys.argv[2:])
    print("RESULT " + result)
