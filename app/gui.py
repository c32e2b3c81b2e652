"""Start the window."""

import sys
from pathlib import Path

from app.environment import prepare_qt, tiles_enabled


def run(db: Path | None = None) -> int:
    """Open the main window on a catalog; returns the exit status."""
    prepare_qt()
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.window.main_window import MainWindow
    from sites.catalog import Catalog
    from sites.errors import HeritageError

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Heritage Trails")
    app.setOrganizationName("heritage-trails")
    try:
        catalog = Catalog.open(db)
    except HeritageError as error:
        QMessageBox.critical(None, "Heritage Trails", str(error))
        return 1
    window = MainWindow(catalog, allow_tiles=tiles_enabled())
    window.show()
    status = app.exec()
    # Delete the window (and its web page) now: QtWebEngine crashes at exit if a page outlives
    # its profile, which garbage collection at interpreter exit does not prevent.
    window.deleteLater()
    del window
    app.processEvents()
    catalog.close()
    return status
