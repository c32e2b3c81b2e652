"""Start the window."""

import sys
from pathlib import Path

from app.environment import prepare_qt, tiles_enabled


def run(db: Path | None = None) -> int:
    """Open the main window on a catalog; returns the exit status."""
    prepare_qt()
    from PySide6.QtWidgets import QApplication

    from app import errors
    from app.window.main_window import MainWindow
    from sites.catalog import Catalog

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Heritage Trails")
    app.setOrganizationName("heritage-trails")
    try:
        catalog = Catalog.open(db)
    except Exception as error:
        errors.show_error(None, error)
        return 1
    window = MainWindow(catalog, allow_tiles=tiles_enabled())

    # An error no code path expected (a bug in a slot) is logged and reported, not lost in a
    # terminal nobody reads; the window stays open.
    def report_bug(kind, error, trace):
        errors.show_error(app.activeWindow(), error.with_traceback(trace))

    sys.excepthook = report_bug
    window.show()
    status = app.exec()
    # Delete the window (and its web page) now: QtWebEngine crashes at exit if a page outlives
    # its profile, which garbage collection at interpreter exit does not prevent.
    window.deleteLater()
    del window
    app.processEvents()
    catalog.close()
    return status
