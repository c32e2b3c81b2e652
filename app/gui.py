"""Start the window."""

import sys
from pathlib import Path

from app.environment import prepare_qt, tiles_enabled


def run(db: Path | None = None) -> int:
    """Open the main window on a catalog; returns the exit status."""
    prepare_qt()
    from PySide6.QtWidgets import QApplication

    from app import errors
    from app.damaged_catalog import open_catalog
    from app.window.main_window import MainWindow
    from sites import paths

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Heritage Trails")
    app.setOrganizationName("heritage-trails")
    try:
        # A damaged or foreign file is named here, with its backups offered in a dialog.
        opened = open_catalog(Path(db) if db else paths.default_catalog_path())
    except Exception as error:
        errors.show_error(None, error)
        return 1
    if opened is None:
        return 1
    catalog, done = opened
    window = MainWindow(catalog, allow_tiles=tiles_enabled())
    if done:
        window.statusBar().showMessage(done, 15000)

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
