"""The main window: search and filters, the list of sites, the selected site's story, the map."""

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import errors
from app.curator.dialogs import BackupsDialog, BundledReviewDialog, ImportDialog
from app.curator.editor import SiteEditor, unsaved_path
from app.jobs import run_job
from app.trip.panel import TripPanel
from app.window.detail_pane import DetailPane
from app.window.map_view import MapView, write_map_page
from app.window.site_model import SiteListModel
from maps.render.tiles import TileFileError, embedded_layer, open_tiles
from maps.trip_store import TripStore
from sites import curation, paths
from sites.audit import health
from sites.catalog import Catalog
from sites.errors import HeritageError
from sites.models import Site, SiteFilter, Theme

SEARCH_DELAY_MS = 120


def menu_action(owner, menu, text: str, slot, shortcut=None, *, enabled: bool = True) -> QAction:
    """A menu item that calls ``slot()`` with no arguments.

    ``QAction.triggered`` passes ``checked``; connected straight to a slot with an optional
    first parameter (``import_sites(path=None)``) it arrives as ``path=False``. Every menu item
    is made here, so none receives it.
    """
    action = QAction(text, owner, enabled=enabled)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def settings() -> QSettings:
    """The app's window settings, kept beside the user's data."""
    return QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """Find sites by story, read them, and see them on the map."""

    searchApplied = Signal(int)  # number of matching sites

    def __init__(self, catalog: Catalog, *, allow_tiles: bool = True):
        super().__init__()
        self.catalog = catalog
        self.allow_tiles = allow_tiles
        self.themes = catalog.themes()
        self._map_generation = 0
        self.map_page = paths.map_page_path(f"{os.getpid()}-{id(self)}")
        self.setWindowTitle("Heritage Trails")
        self._build_widgets()
        self._build_menus()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self._connect()
        self._restore_state()
        self.apply_search()
        QTimer.singleShot(0, self.rebuild_map)
        self._recover_unsaved_edit()

    # -- construction --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.search_box = QLineEdit(placeholderText="Search by story, place or name (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setObjectName("searchBox")
        self.theme_box = QComboBox(objectName="themeFilter")
        self.theme_box.addItem("All themes", None)
        for theme in self.themes:
            self.theme_box.addItem(f"{theme.icon}  {theme.name}", theme.id)
        self.region_box = QComboBox(objectName="regionFilter")
        self.region_box.addItem("Anywhere", None)
        for region in self.catalog.regions():
            self.region_box.addItem(region, region)
        self.wheelchair_box = QCheckBox("Wheelchair accessible", objectName="wheelchairFilter")
        self._describe_wheelchair_filter()
        self.open_on_box = QCheckBox("Open on", objectName="openOnFilter")
        self.open_on_date = QDateEdit(QDate.currentDate(), calendarPopup=True, objectName="openOnDate")
        self.open_on_date.setEnabled(False)

        filters = QHBoxLayout()
        for box in (self.theme_box, self.region_box):
            filters.addWidget(box, 1)
        open_row = QHBoxLayout()
        for widget in (self.wheelchair_box, self.open_on_box, self.open_on_date):
            open_row.addWidget(widget)
        open_row.addStretch(1)

        self.model = SiteListModel(self.themes, self)
        self.list_view = QListView(objectName="siteList")
        self.list_view.setModel(self.model)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setSelectionMode(QListView.SelectionMode.SingleSelection)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.search_box)
        column.addLayout(filters)
        column.addLayout(open_row)
        column.addWidget(self.list_view, 1)

        self.detail = DetailPane(self.themes)
        self.trip_store = TripStore()
        self.trip_panel = TripPanel(self.catalog, self.trip_store)
        self.tabs = QTabWidget(objectName="middleTabs")
        self.editor = SiteEditor(self.catalog)
        self.tabs.addTab(self.detail, "Site")
        self.tabs.addTab(self.trip_panel, "Trip")
        self.tabs.addTab(self.editor, "Edit")
        self.tabs.setTabVisible(2, False)
        # One Undo/Redo for the window, acting on the tab in front (the plan or the site form).
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.trip_panel.undo_stack)
        self.undo_group.addStack(self.editor.undo_stack)
        self.undo_group.setActiveStack(self.trip_panel.undo_stack)
        self.map_view = MapView(self.allow_tiles)
        self.map_view.bridge.texts = self._site_texts
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        for widget in (left, self.tabs, self.map_view):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([320, 440, 640])
        self.setCentralWidget(self.splitter)

        self.count_label = QLabel(objectName="matchCount")
        self.progress = QProgressBar(maximumWidth=160, textVisible=False)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.count_label)
        self.resize(1400, 860)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self.save_action = menu_action(
            self, file_menu, "&Save", self.save_front_tab, QKeySequence.StandardKey.Save
        )
        self.save_action.setToolTip("Save what the front tab holds: the site in Edit, otherwise the trip")
        menu_action(self, file_menu, "Export &map as HTML…", self.export_map, "Ctrl+E")
        file_menu.addSeparator()
        menu_action(self, file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        view_menu = self.menuBar().addMenu("&View")
        menu_action(self, view_menu, "&Find", self._focus_search, QKeySequence.StandardKey.Find)
        menu_action(self, view_menu, "&Clear search and filters", self.clear_filters, "Ctrl+Shift+L")
        menu_action(self, view_menu, "&Redraw map", self.rebuild_map, "F5")
        settings_menu = self.menuBar().addMenu("&Settings")
        menu_action(self, settings_menu, "&Offline map…", self.choose_offline_map)
        menu_action(self, settings_menu, "Use &no offline map", lambda: self.set_offline_map(None))

        trip_menu = self.menuBar().addMenu("&Trip")
        panel = self.trip_panel
        self.add_action = menu_action(
            self, trip_menu, "&Add selected site to trip", self.add_selected_to_trip, "Ctrl+T"
        )
        menu_action(self, trip_menu, "&Plan", lambda: panel.plan(keep_locks=False), "Ctrl+P")
        menu_action(
            self,
            trip_menu,
            "&Re-plan keeping locked stops",
            lambda: panel.plan(keep_locks=True),
            "Ctrl+Shift+P",
        )
        trip_menu.addSeparator()
        menu_action(self, trip_menu, "&Save trip", panel.save)
        menu_action(self, trip_menu, "&Open trip…", panel.open_trip, QKeySequence.StandardKey.Open)
        menu_action(self, trip_menu, "Re&name trip…", panel.rename_trip)
        menu_action(self, trip_menu, "&Copy trip", panel.copy_trip)
        menu_action(self, trip_menu, "&Delete trip…", panel.delete_trip)
        menu_action(self, trip_menu, "E&xport trip (PDF, GPX, KML, ICS…)…", panel.export, "Ctrl+Shift+E")
        menu_action(self, trip_menu, "Operator &profile…", panel.edit_profile)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.list_view.addAction(self.add_action)

        curator_menu = self.menuBar().addMenu("&Curator")
        self.curator_action = QAction(
            "&Curator mode", self, checkable=True, shortcut=QKeySequence("Ctrl+Shift+K")
        )
        # Works wherever the focus is in the window (a Trip field included).
        self.curator_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.curator_action.toggled.connect(self.set_curator_mode)
        curator_menu.addAction(self.curator_action)
        curator_menu.addSeparator()
        self.curator_actions = [
            menu_action(self, curator_menu, text, slot, key, enabled=False)
            for text, slot, key in (
                ("&Edit selected site", self.edit_selected, "F2"),
                ("&New site", lambda: self._show_editor(self.editor.new_site), QKeySequence.StandardKey.New),
                ("&Duplicate selected site", self.duplicate_selected, None),
                ("De&lete selected site…", self.delete_selected, None),
                ("&Restore a deleted site…", self.restore_deleted, None),
                ("&Import sites from CSV or GeoJSON…", self.import_sites, "Ctrl+I"),
                ("&Backups…", self.show_backups, None),
                ("Re&view the bundled catalog's changes…", self.review_bundled, None),
                ("Catalog &health…", self.show_health, None),
            )
        ]

    def _connect(self) -> None:
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.returnPressed.connect(self._select_first)
        for box in (self.theme_box, self.region_box):
            box.currentIndexChanged.connect(lambda _i: self.apply_search())
        self.wheelchair_box.toggled.connect(lambda _on: self.apply_search())
        self.open_on_box.toggled.connect(self.open_on_date.setEnabled)
        self.open_on_box.toggled.connect(lambda _on: self.apply_search())
        self.open_on_date.dateChanged.connect(lambda _d: self.apply_search())
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.map_view.siteClicked.connect(self.select_site)
        self.map_view.addRequested.connect(self.add_to_trip)
        self.map_view.mapClicked.connect(self._on_map_point)
        self.map_view.markerMoved.connect(self._on_map_point)
        self.map_view.pageError.connect(
            lambda error: self.statusBar().showMessage(f"The map hit an error: {error}", 10000)
        )
        self.map_view.tilesFailed.connect(self._on_tiles_failed)
        self.editor.coordinatesChanged.connect(self.map_view.edit_marker)
        self.editor.saved.connect(self._on_site_saved)
        self.editor.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.trip_panel.routesChanged.connect(self.map_view.show_routes)
        self.trip_panel.siteActivated.connect(self.select_site)
        self.trip_panel.message.connect(lambda text: self.statusBar().showMessage(text, 4000))

    # -- behaviour -----------------------------------------------------------------------------

    def current_filter(self) -> SiteFilter:
        """The filter the widgets describe."""
        theme = self.theme_box.currentData()
        return SiteFilter(
            themes=frozenset([theme]) if theme else frozenset(),
            region=self.region_box.currentData(),
            wheelchair="yes" if self.wheelchair_box.isChecked() else None,
            open_on=self.open_on_date.date().toPython() if self.open_on_box.isChecked() else None,
        )

    def apply_search(self) -> None:
        """Run the search box's query with the filters and show the matches."""
        self._search_timer.stop()
        selected = self.selected_site()
        results = self.catalog.search(self.search_box.text(), self.current_filter(), drafts=self.curator)
        self.model.set_results(results)
        total = len(self.catalog.all_sites()) if self.curator else len(self.catalog)
        shown = len(results)
        self.count_label.setText(f"{shown} of {total} sites match" if shown != total else f"{total} sites")
        filtered = shown != total
        self.map_view.show_only(self.model.site_ids() if filtered else None)
        if selected and (row := self.model.row_of(selected.id)) is not None:
            self._select_row(row)
        self.searchApplied.emit(shown)

    def selected_site(self) -> Site | None:
        """The site selected in the list, if any."""
        index = self.list_view.currentIndex()
        return self.model.site_at(index.row()) if index.isValid() else None

    def select_site(self, site_id: str) -> None:
        """Select a site (as a click on its marker does): in the list if shown, and in the detail pane."""
        try:
            site = self.catalog.site(site_id)
        except HeritageError:
            return
        row = self.model.row_of(site_id)
        if row is None:
            self.list_view.clearSelection()
            self.detail.show_site(site)
            self.map_view.highlight(site_id)
        else:
            self._select_row(row)

    # -- curator mode --------------------------------------------------------------------------

    @property
    def curator(self) -> bool:
        """Whether the window is in curator mode (drafts listed, the site form shown)."""
        return self.curator_action.isChecked()

    def set_curator_mode(self, on: bool) -> None:
        """Show or hide the curator's tools; drafts are listed only in curator mode."""
        if self.curator_action.isChecked() != on:
            self.curator_action.setChecked(on)
            return
        for action in self.curator_actions:
            action.setEnabled(on)
        self.tabs.setTabVisible(2, on)
        if not on:
            self.map_view.edit_marker(None)
        self.apply_search()
        if self.catalog.all_sites() != self.catalog.sites():
            self.rebuild_map()  # drafts appear on the curator's map only
        self.statusBar().showMessage("Curator mode" if on else "Traveler mode", 3000)

    def edit_selected(self) -> None:
        """Open the selected site in the form."""
        site = self.selected_site()
        if site is not None:
            self._show_editor(lambda: self.editor.open_site(site))

    def duplicate_selected(self) -> None:
        """Copy the selected site into a new draft and open it."""
        site = self.selected_site()
        if site is None:
            return
        try:
            copy = curation.duplicate(self.catalog, site.id)
        except HeritageError as error:
            errors.show_error(self, error, "Duplicate")
            return
        self._on_site_saved(copy.id)
        self._show_editor(lambda: self.editor.open_site(copy))

    def delete_selected(self) -> None:
        """Soft-delete the selected site after asking (it can be restored)."""
        site = self.selected_site()
        if site is None:
            return
        if not errors.ask(self, "Delete site", f"Delete {site.name}? It can be restored later."):
            return
        curation.delete(self.catalog, site.id)
        self._on_site_saved(None)
        self.statusBar().showMessage(f"Deleted {site.name}", 4000)

    def restore_deleted(self) -> None:
        """Bring back a deleted site, chosen from a list."""
        deleted = curation.deleted_sites(self.catalog)
        if not deleted:
            errors.tell(self, "Restore", "No site has been deleted.")
            return
        site_id, ok = QInputDialog.getItem(
            self, "Restore a deleted site", "Deleted sites:", deleted, 0, False
        )
        if ok:
            curation.restore(self.catalog, site_id)
            self._on_site_saved(site_id)

    def import_sites(self, path: str | None = None) -> ImportDialog | None:
        """Preview an import file and apply it all or nothing."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import sites", "", "Sites (*.csv *.geojson *.json)")
            if not path:
                return None
        try:
            dialog = ImportDialog(self.catalog, path, self)
        except HeritageError as error:
            errors.show_error(self, error, "Import")
            return None
        dialog.imported.connect(lambda done: self._on_site_saved(None))
        dialog.imported.connect(
            lambda done: self.statusBar().showMessage(
                f"Imported {len(done['added'])} new drafts, merged {len(done['merged'])}", 6000
            )
        )
        dialog.open()
        return dialog

    def show_backups(self) -> BackupsDialog:
        """List the catalog's backups and restore one."""
        dialog = BackupsDialog(self.catalog, self)
        dialog.restored.connect(lambda name: self._on_site_saved(None))
        dialog.open()
        return dialog

    def _describe_wheelchair_filter(self) -> None:
        """Say how many sites the wheelchair filter can judge: most have no source on access."""
        sites = self.catalog.sites()
        known = sum(1 for s in sites if s.wheelchair)
        self.wheelchair_box.setToolTip(
            f"Only sites a source describes as accessible: access is known for {known} of "
            f"{len(sites)} sites; the others are left out when this is ticked"
        )
        self.wheelchair_box.setText(f"Wheelchair accessible ({known} of {len(sites)} known)")

    def show_health(self) -> None:
        """The catalog audit's counts, as `heritage-trails sites audit` prints them."""
        report = health(self.catalog.all_sites(), date.today())
        lines = [f"{name}: {count}" for name, count in report.counts().items()]
        errors.tell(
            self,
            "Catalog health",
            "\n".join(lines) + "\n\nThe lists behind each figure: heritage-trails sites audit",
        )

    def review_bundled(self) -> BundledReviewDialog | None:
        """Side by side, the sites the bundled catalog changed after a curator edited them."""
        try:
            dialog = BundledReviewDialog(self.catalog, parent=self)
        except HeritageError as error:
            errors.show_error(self, error, "Review")
            return None
        if not dialog.changes:
            dialog.deleteLater()
            errors.tell(self, "Review", "The bundled catalog changed no site that a curator had edited.")
            return None
        dialog.applied.connect(self._on_site_saved)
        dialog.applied.connect(lambda site_id: self.statusBar().showMessage(f"Settled {site_id}", 4000))
        dialog.open()
        return dialog

    def _recover_unsaved_edit(self) -> None:
        if unsaved_path().exists():
            recovered = []
            self._show_editor(lambda: recovered.append(self.editor.recover_unsaved()))
            if recovered[0]:
                self.statusBar().showMessage(f"Recovered your unsaved edit of {recovered[0]}", 8000)

    def _show_editor(self, load) -> None:
        if not self.curator:
            self.set_curator_mode(True)
        load()
        self.tabs.setCurrentWidget(self.editor)
        if self.editor.site is not None:
            self.map_view.edit_marker(self.editor.site.lat, self.editor.site.lon)

    def _on_map_point(self, lat: float, lon: float) -> None:
        if self.curator and self.tabs.currentWidget() is self.editor and self.editor.isEnabled():
            self.editor.set_coordinates(lat, lon)

    def _on_site_saved(self, site_id: str | None) -> None:
        self._describe_wheelchair_filter()
        self.apply_search()
        self.rebuild_map()
        if site_id and (row := self.model.row_of(site_id)) is not None:
            self._select_row(row)

    def _on_tab_changed(self, _index: int) -> None:
        stack = (
            self.editor.undo_stack if self.tabs.currentWidget() is self.editor else self.trip_panel.undo_stack
        )
        self.undo_group.setActiveStack(stack)

    def save_front_tab(self) -> None:
        """Ctrl+S: save the site in the Edit tab when it is in front, otherwise the trip."""
        if self.tabs.currentWidget() is self.editor:
            self.editor.save()
        else:
            self.trip_panel.save()

    def add_to_trip(self, site_id: str) -> None:
        """Add a site to the trip and show the trip tab."""
        try:
            self.trip_panel.add_site(site_id)
        except HeritageError as error:
            self.statusBar().showMessage(str(error), 5000)
            return
        self.tabs.setCurrentWidget(self.trip_panel)

    def add_selected_to_trip(self) -> None:
        """Add the site selected in the list to the trip."""
        site = self.selected_site()
        if site is not None:
            self.add_to_trip(site.id)

    def clear_filters(self) -> None:
        """Empty the search box and reset every filter."""
        self.search_box.clear()
        self.theme_box.setCurrentIndex(0)
        self.region_box.setCurrentIndex(0)
        self.wheelchair_box.setChecked(False)
        self.open_on_box.setChecked(False)
        self.apply_search()

    def rebuild_map(self) -> None:
        """Draw the map page again, off the GUI thread."""
        self._map_generation += 1
        generation = self._map_generation
        sites = self.catalog.all_sites() if self.curator else self.catalog.sites()
        self.progress.show()
        self._status_if_idle("Drawing the map…")
        offline = self.map_view.tile_layer()
        # A chosen tile file replaces OpenStreetMap: nothing reaches the network.
        online = self.allow_tiles and offline is None
        run_job(
            write_map_page, sites, self.themes, self.map_page, online, offline, False, parent=self,
            done=lambda path: self._on_map_built(path, generation),
            failed=lambda message: self._on_map_failed(message, generation),
        )  # fmt: skip

    def _site_texts(self, site_id: str) -> tuple[str, str]:
        """A site's summary and American story, which the window's map page asks for when a
        popup opens (the page leaves them out to load faster): always the catalog's latest."""
        site = self.catalog.find(site_id)
        return (site.summary, site.us_connection) if site else ("", "")

    def choose_offline_map(self) -> None:
        """Settings → Offline map: pick an MBTiles or PMTiles file for street level offline."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Offline map", "", "Tile archives (*.mbtiles *.pmtiles);;All files (*)"
        )
        if path:
            self.set_offline_map(path)

    def set_offline_map(self, path: str | None) -> bool:
        """Show street-level tiles from a tile file (None: none) and remember the choice; a file
        that cannot be used is explained, and the map shows its base map alone, as it will at the
        next start. True when the file is used."""
        problem = self._load_tile_file(path)
        store = settings()
        store.setValue("map/tile_file", "" if problem else path or "")
        store.sync()
        if problem:
            errors.show_error(self, problem, "Offline map")
        else:
            self._announce_tiles()
        self.rebuild_map()
        return not problem

    def _load_tile_file(self, path: str | None) -> str:
        """Open a tile file for the map (None: none); returns what went wrong, or ''."""
        try:
            archive = open_tiles(path) if path else None
        except TileFileError as error:
            self.map_view.set_tiles(None)
            return f"{error} The map shows its own base map."
        self.map_view.set_tiles(archive)
        return ""

    def _announce_tiles(self) -> None:
        archive = self.map_view.tile_archive
        if archive is None:
            self.statusBar().showMessage("No offline map: the map shows its own base map", 5000)
            return
        info = archive.info
        self.statusBar().showMessage(
            f"Offline map {archive.path.name}: zoom {info.min_zoom}–{info.max_zoom}", 8000
        )

    def _on_tiles_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"{message} The map shows its own base map.", 15000)
        self.rebuild_map()

    def export_map(self) -> None:
        """Save the sites now listed as a standalone HTML map that works offline."""
        path, _ = QFileDialog.getSaveFileName(self, "Export map", "heritage-trails-map.html", "HTML (*.html)")
        if not path:
            return
        sites = [self.model.site_at(row) for row in range(self.model.rowCount())]
        archive = self.map_view.tile_archive
        self.statusBar().showMessage(f"Saving {len(sites)} sites to {path}…")
        run_job(
            export_map_page, sites, self.themes, path, archive.path if archive else None, parent=self,
            done=lambda notes: self.statusBar().showMessage(
                " · ".join([f"Saved {len(sites)} sites to {path}", *notes]), 8000
            ),
            failed=self._on_export_map_failed,
        )  # fmt: skip

    def _on_export_map_failed(self, message: str) -> None:
        errors.show_error(self, message, "Export map")

    # -- slots and events ----------------------------------------------------------------------

    def _on_current_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        site = self.model.site_at(current.row())
        self.detail.show_site(site)
        if self.tabs.currentWidget() is not self.editor:
            self.tabs.setCurrentWidget(self.detail)
        self.map_view.highlight(site.id)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.list_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list_view.scrollTo(index)

    def _select_first(self) -> None:
        if self.model.rowCount():
            self._select_row(0)
            self.list_view.setFocus()

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _on_map_built(self, path: str, generation: int) -> None:
        if generation != self._map_generation:
            return
        self.map_view.load_page(path)
        self.map_view.mapReady.connect(self._on_map_ready, Qt.ConnectionType.SingleShotConnection)

    def _on_map_ready(self) -> None:
        self.progress.hide()
        self._status_if_idle("Map ready", 3000)

    def _status_if_idle(self, text: str, timeout: int = 0) -> None:
        # The map's own progress never hides what the person just did ("Saved version 3…").
        if self.statusBar().currentMessage() in ("", "Drawing the map…", "Map ready"):
            self.statusBar().showMessage(text, timeout)

    def _on_map_failed(self, message: str, generation: int) -> None:
        if generation != self._map_generation:
            return
        self.progress.hide()
        errors.show_error(self, message, "Map")

    def _restore_state(self) -> None:
        store = settings()
        geometry = store.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = store.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        trip_splitter = store.value("window/trip_splitter")
        if trip_splitter is not None:
            self.trip_panel.splitter.restoreState(trip_splitter)
        # The tile file chosen before; if it is gone (a drive not plugged in), the choice is kept
        # for next time and the status bar says why the streets are missing.
        tile_file = store.value("map/tile_file") or None
        problem = self._load_tile_file(str(tile_file) if tile_file else None)
        if problem:
            self.statusBar().showMessage(problem, 15000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.map_page.unlink(missing_ok=True)
        self.map_view.set_tiles(None)
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/splitter", self.splitter.saveState())
        store.setValue("window/trip_splitter", self.trip_panel.splitter.saveState())
        store.sync()
        self.trip_store.close()
        super().closeEvent(event)


def export_map_page(sites: list[Site], themes: list[Theme], path: str, tile_file: Path | None) -> list[str]:
    """Write a standalone map of some sites (off the GUI thread); with the offline map's tile
    file, its streets around the sites go into the page, so it needs no tile server. Returns
    notes on what was embedded."""
    offline: dict | None = None
    notes: list[str] = []
    if tile_file is not None:
        offline, notes = embedded_layer(tile_file, [(s.lat, s.lon) for s in sites])
    write_map_page(sites, themes, path, tiles=offline is None, offline_tiles=offline)
    return notes
