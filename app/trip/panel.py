"""The trip panel: the traveler's wishes, planning off the GUI thread, and the day-by-day plan
they can rearrange (drag a stop, lock it, remove it) with every change undoable."""

from dataclasses import replace

from PySide6.QtCore import QDate, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QToolButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import errors
from app.jobs import run_job
from app.trip.plan_tree import PlanEdit, PlanTree
from app.window.site_model import SiteIdRole
from maps import options
from maps.planning import shape
from maps.planning.itinerary import Itinerary
from maps.planning.request import TripRequest, Wish
from maps.planning.retime import retime
from maps.planning.trip import plan_trip
from maps.render.routes import route_data
from maps.trip_store import TripStore
from sites import geography
from sites.catalog import Catalog
from sites.errors import HeritageError

#: The wish a row of the wish table stands for (with its trail day and whether it was suggested).
WishRole = Qt.ItemDataRole.UserRole + 10


#: How many catalog sites "Suggest sites" proposes for each day left free.
SUGGESTIONS_PER_FREE_DAY = 2


class TripPanel(QWidget):
    """Plan a trip: what to see, when and from where; then the plan, day by day."""

    routesChanged = Signal(list)  # route_data for the map
    siteActivated = Signal(str)
    planFinished = Signal()
    exportFinished = Signal(list)
    message = Signal(str)

    def __init__(self, catalog: Catalog, store: TripStore, parent=None):
        super().__init__(parent)
        self.catalog, self.store = catalog, store
        self.itinerary: Itinerary | None = None
        self.undo_stack = QUndoStack(self)
        self._build()
        self._reopen_last()

    # -- construction --------------------------------------------------------------------------

    def _build(self) -> None:
        self.name_edit = QLineEdit("My Serbia trip", objectName="tripName")
        self.start_edit = QDateEdit(
            QDate.currentDate().addDays(30), calendarPopup=True, objectName="tripStart"
        )
        self.days_spin = QSpinBox(minimum=1, maximum=options.MAX_DAYS, value=3, objectName="tripDays")
        self.base_box = QComboBox(editable=True, objectName="tripBase")
        self.base_box.addItems([t.name for t in geography.towns()])
        self.base_box.setCurrentText("Belgrade")
        self.base_box.setToolTip(
            "A town or site id; for a different base each night, separate them with commas"
        )
        self.day_start = QTimeEdit(QTime(9, 0), objectName="dayStart")
        self.day_end = QTimeEdit(QTime(17, 30), objectName="dayEnd")
        self.day_end.setToolTip("Back at the base by then; the pace sets it, and you can change it")
        self.max_drive = QDoubleSpinBox(
            minimum=0.5, maximum=14.0, singleStep=0.5, decimals=1, suffix=" h", objectName="maxDrive"
        )
        self.max_drive.setToolTip("The most driving in a day; the pace sets it, and you can change it")
        self.pace_box = QComboBox(objectName="tripPace")
        for pace in options.PACES.values():
            self.pace_box.addItem(pace.label, pace.name)
        self.pace_box.setCurrentIndex(self.pace_box.findData(options.DEFAULT_PACE))
        self._apply_pace()
        self.pace_box.currentIndexChanged.connect(self._apply_pace)
        self.day_start.timeChanged.connect(self._apply_day_end)
        self.lunch_box = QCheckBox("Lunch break from", checked=True, objectName="lunch")
        self.lunch_time = QTimeEdit(QTime(12, 30), objectName="lunchTime")
        self.mode_box = QComboBox(objectName="tripMode")
        for mode, label in options.MODES.items():
            self.mode_box.addItem(label, mode)

        form = QFormLayout()
        form.addRow("Trip", self.name_edit)
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("for"))
        dates.addWidget(self.days_spin)
        dates.addWidget(QLabel("days"))
        form.addRow("First day", dates)
        form.addRow("Nights in", self.base_box)
        hours = QHBoxLayout()
        for widget in (self.day_start, QLabel("to"), self.day_end):
            hours.addWidget(widget)
        form.addRow("Day", hours)
        lunch = QHBoxLayout()
        lunch.addWidget(self.lunch_box)
        lunch.addWidget(self.lunch_time)
        form.addRow("", lunch)
        pace_row = QHBoxLayout()
        for widget in (self.pace_box, QLabel("driving at most"), self.max_drive, QLabel("a day")):
            pace_row.addWidget(widget)
        pace_row.addStretch(1)
        form.addRow("Pace", pace_row)
        form.addRow("Travel", self.mode_box)

        self.wish_table = QTableWidget(0, 3, objectName="wishTable")
        self.wish_table.setHorizontalHeaderLabels(["Site", "Must-see", "Priority"])
        self.wish_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.wish_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.wish_table.setMinimumHeight(100)
        self.wish_table.setMaximumHeight(170)

        self.trail_button = QToolButton(text="Add trail", objectName="addTrail")
        self.trail_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        trails = QMenu(self.trail_button)
        for trail in self.catalog.trails():
            action = trails.addAction(f"{trail.title} ({trail.days} days)")
            action.triggered.connect(lambda _checked=False, t=trail.id: self.add_trail(t))
        self.trail_button.setMenu(trails)
        self.remove_wish_button = QPushButton("Remove", objectName="removeWish")
        self.plan_button = QPushButton("Plan", objectName="planButton")
        self.plan_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.plan_button.setToolTip("Plan the trip (Ctrl+Enter)")
        self.replan_button = QPushButton("Re-plan", objectName="replanButton")
        self.replan_button.setToolTip("Plan again, keeping the stops you locked on their days")
        self.suggest_button = QPushButton("Suggest sites", objectName="suggestButton", enabled=False)
        self.suggest_button.setToolTip(
            "Fill the free days with catalog sites near your bases that fit the trip's stories"
        )
        self.progress = QProgressBar(textVisible=False, objectName="planProgress")
        self.progress.setRange(0, 0)
        self.progress.hide()

        buttons = QHBoxLayout()
        for widget in (self.trail_button, self.remove_wish_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.replan_button)
        buttons.addWidget(self.suggest_button)

        self.tree = PlanTree()
        self.left_out = QListWidget(objectName="leftOut")
        self.left_out.setMaximumHeight(80)
        self.summary = QLabel(objectName="planSummary", wordWrap=True)

        # The wishes above, the plan below, with a handle between them: a long plan can take
        # the room the form needs only while planning (the window remembers where it was left).
        wishes = QWidget()
        top = QVBoxLayout(wishes)
        top.setContentsMargins(0, 0, 0, 0)
        top.addLayout(form)
        top.addWidget(QLabel("Sites to see (add them from the list or the map)"))
        top.addWidget(self.wish_table)
        top.addLayout(buttons)
        top.addWidget(self.progress)
        plan = QWidget()
        bottom = QVBoxLayout(plan)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.summary)
        bottom.addWidget(self.tree, 2)
        bottom.addWidget(self.tree.legend)
        self.left_out_label = QLabel("Not in the plan")
        bottom.addWidget(self.left_out_label)
        bottom.addWidget(self.left_out)
        self.splitter = QSplitter(
            Qt.Orientation.Vertical, objectName="tripSplitter", childrenCollapsible=False
        )
        self.splitter.addWidget(wishes)
        self.splitter.addWidget(plan)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self.remove_wish_button.clicked.connect(self.remove_selected_wish)
        self.plan_button.clicked.connect(lambda: self.plan(keep_locks=False))
        self.replan_button.clicked.connect(lambda: self.plan(keep_locks=True))
        self.suggest_button.clicked.connect(self.suggest_sites)
        self.tree.orderChanged.connect(self._on_manual_edit)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        remove_stop = QAction("Remove stop", self.tree, shortcut=QKeySequence.StandardKey.Delete)
        remove_stop.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove_stop.triggered.connect(self.remove_selected_stop)
        self.tree.addAction(remove_stop)

    def _apply_pace(self) -> None:
        """Set the day's end and the driving budget from the pace (the traveler may change them)."""
        self._apply_day_end()
        self.max_drive.setValue(options.PACES[self.pace_box.currentData()].max_drive_hours)

    def _apply_day_end(self) -> None:
        """End the day the pace's hours after it starts; a new start keeps the driving budget."""
        pace = options.PACES[self.pace_box.currentData()]
        self.day_end.setTime(self.day_start.time().addSecs(pace.active_minutes * 60))

    # -- wishes --------------------------------------------------------------------------------

    def wishes(self) -> list[Wish]:
        """The sites the traveler wants, as the table shows them."""
        result = []
        for row in range(self.wish_table.rowCount()):
            item = self.wish_table.item(row, 0)
            must = self.wish_table.cellWidget(row, 1).isChecked()
            priority = self.wish_table.cellWidget(row, 2).value()
            hint = item.data(WishRole)
            result.append(replace(hint, must=must, priority=priority))
        return result

    def add_site(
        self, site_id: str, must: bool = False, priority: int = 50, wish: Wish | None = None
    ) -> bool:
        """Add a site to the trip (once); returns whether it was new."""
        if site_id in self._site_ids():
            return False
        site = self.catalog.site(site_id)
        wish = wish or Wish(site_id)
        row = self.wish_table.rowCount()
        self.wish_table.insertRow(row)
        label = f"{site.name} ({site.town})" + (" (suggested)" if wish.suggested else "")
        name = QTableWidgetItem(label)
        name.setData(SiteIdRole, site_id)
        name.setData(WishRole, wish)
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.wish_table.setItem(row, 0, name)
        self.wish_table.setCellWidget(row, 1, QCheckBox(checked=must))
        self.wish_table.setCellWidget(row, 2, QSpinBox(minimum=1, maximum=99, value=priority))
        self.message.emit(f"Added {site.name} to the trip")
        return True

    def _site_ids(self) -> set[str]:
        """The ids of the sites in the trip (read from the table's first column only)."""
        return {self.wish_table.item(row, 0).data(SiteIdRole) for row in range(self.wish_table.rowCount())}

    def add_trail(self, trail_id: str) -> None:
        """Add every site of a curated trail with its days and its base: on an empty trip the
        trail sets the days and the nights; otherwise its days follow the trip's."""
        trail = self.catalog.trail(trail_id)
        before = self.days_spin.value() if self.wishes() else 0
        bases = self._bases()
        nights = bases if len(bases) == before else [bases[0] if bases else trail.base] * before
        if before + trail.days > options.MAX_DAYS:
            self.message.emit(f"The trip would run past {options.MAX_DAYS} days: {trail.title} not added")
            return
        trail_shape = shape.shape([trail], trail.days)
        added = 0
        for wish in trail_shape.wishes:
            hint = before + wish.trail_day if wish.trail_day is not None else None
            added += self.add_site(wish.site_id, wish=replace(wish, trail_day=hint))
        self.days_spin.setValue(before + trail.days)
        nights += [trail.base] * trail.days
        self.base_box.setCurrentText(nights[0] if len(set(nights)) == 1 else ", ".join(nights))
        self.message.emit(
            f"Added {added} sites of the {trail.title}: {trail.days} days, nights in {trail.base}"
        )

    def _bases(self) -> list[str]:
        return [b.strip() for b in self.base_box.currentText().split(",") if b.strip()]

    def suggest_sites(self) -> None:
        """Offer the free days catalog sites that fit the trip (about two a free day), off the
        GUI thread: ``shape.plan_with_suggestions`` looks for them and plans them in."""
        if self.itinerary is None:
            return
        free = sum(1 for day in self.itinerary.days if not day.stops)
        try:
            request = self.request(keep_locks=True)
            request.validate()
        except HeritageError as error:
            errors.show_error(self, error, "Suggest sites")
            return
        self._set_busy(True)
        self.summary.setText("Looking for sites for the free days…")
        run_job(suggest_in_background, self.catalog.path, request, SUGGESTIONS_PER_FREE_DAY * max(1, free),
                parent=self, done=self._on_suggested, failed=self._on_failed)  # fmt: skip

    def _on_suggested(self, itinerary: Itinerary) -> None:
        known = self._site_ids()
        found = [w for w in itinerary.request.wishes if w.suggested and w.site_id not in known]
        if not found:
            self._set_busy(False)
            self.show_itinerary(self.itinerary)  # the plan as it was, its summary and buttons
            self.message.emit("No catalog site near your bases fits the trip's stories")
            return
        for wish in found:
            self.add_site(wish.site_id, priority=wish.priority, wish=wish)
        self.message.emit(f"Suggested {len(found)} sites")
        self._on_planned(itinerary)

    def remove_selected_wish(self) -> None:
        """Remove the selected site from the wishes."""
        rows = sorted({i.row() for i in self.wish_table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.wish_table.removeRow(row)

    # -- planning ------------------------------------------------------------------------------

    def request(self, keep_locks: bool = False) -> TripRequest:
        """The trip the form describes (with the plan's locks when re-planning)."""
        pins = self.tree.locked() if keep_locks and self.itinerary else {}
        wishes = tuple(replace(w, day=pins.get(w.site_id)) for w in self.wishes())
        lunch_start = self.lunch_time.time().toPython()
        lunch_end = self.lunch_time.time().addSecs(90 * 60).toPython()
        return TripRequest(
            name=self.name_edit.text().strip() or "My Serbia trip",
            start=self.start_edit.date().toPython(),
            days=self.days_spin.value(),
            bases=tuple(self._bases()),
            wishes=wishes,
            day_start=self.day_start.time().toPython(),
            day_end=self.day_end.time().toPython(),
            max_drive_minutes=round(self.max_drive.value() * 60),
            pace=self.pace_box.currentData(),
            lunch=(lunch_start, lunch_end) if self.lunch_box.isChecked() else None,
            mode=self.mode_box.currentData(),
        )

    def plan(self, keep_locks: bool = False) -> None:
        """Plan (or re-plan) off the GUI thread, with visible progress."""
        try:
            request = self.request(keep_locks)
            request.validate()
        except HeritageError as error:
            errors.show_error(self, error, "Plan")
            return
        self._set_busy(True)
        run_job(plan_in_background, self.catalog.path, request, parent=self,
                done=self._on_planned, failed=self._on_failed)  # fmt: skip

    def _on_planned(self, itinerary: Itinerary) -> None:
        self._set_busy(False)
        # A suggestion the plan could not hold is simply not made: its row goes.
        planned = set(itinerary.stop_ids())
        for row in reversed(range(self.wish_table.rowCount())):
            wish = self.wish_table.item(row, 0).data(WishRole)
            if wish.suggested and wish.site_id not in planned:
                self.wish_table.removeRow(row)
        self.undo_stack.push(PlanEdit(self, self.itinerary, itinerary, "Plan"))
        self.planFinished.emit()

    def _on_failed(self, message: str) -> None:
        self._set_busy(False)
        errors.show_error(self, message, "Plan")
        self.planFinished.emit()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.plan_button.setEnabled(not busy)
        self.replan_button.setEnabled(not busy)
        if busy:  # a suggestion added mid-plan would start a second plan
            self.suggest_button.setEnabled(False)
        if busy:
            self.summary.setText("Planning…")

    # -- the plan ------------------------------------------------------------------------------

    def show_itinerary(self, itinerary: Itinerary | None) -> None:
        """Show a plan in the tree, the left-out list and on the map."""
        self.itinerary = itinerary
        self.suggest_button.setEnabled(itinerary is not None and any(not d.stops for d in itinerary.days))
        self.tree.blockSignals(True)
        self.tree.clear()
        self.left_out.clear()
        # The list of what did not fit takes room from the plan only when it has something.
        has_left_out = bool(itinerary and itinerary.left_out)
        self.left_out_label.setVisible(has_left_out)
        self.left_out.setVisible(has_left_out)
        if itinerary is None:
            self.summary.setText("No plan yet: add sites and press Plan.")
            self.tree.blockSignals(False)
            self.routesChanged.emit([])
            return
        self.tree.show_days(itinerary.days)
        for left in itinerary.left_out:
            self.left_out.addItem(f"{left.name}: {left.reason}")
        self._autosave(itinerary)
        flags = sum(len(s.flags) for d in itinerary.days for s in d.stops) + sum(
            len(d.flags) for d in itinerary.days
        )
        stops = len(itinerary.stop_ids())
        self.summary.setText(
            f"{stops} stops over {len(itinerary.days)} days"
            + (f"; {flags} conflict(s) to look at" if flags else "")
            + (f"; {len(itinerary.left_out)} not in the plan" if itinerary.left_out else "")
        )
        self.tree.blockSignals(False)
        self.routesChanged.emit(route_data(itinerary.days))

    def _autosave(self, itinerary: Itinerary) -> None:
        # Every plan and every edit is kept at once under the trip's name, so a crash or a
        # closed window loses nothing; Save (Ctrl+S) is still there to save under a new name.
        try:
            self.store.save(itinerary, itinerary.request.name)
        except HeritageError as error:
            self.message.emit(f"The trip could not be kept: {error}")

    def conflicts(self) -> list[str]:
        """Every flag in the plan, as the traveler reads it."""
        if not self.itinerary:
            return []
        found = [f"Day {d.index + 1}: {f}" for d in self.itinerary.days for f in d.flags]
        found += [f"{s.name}: {f}" for d in self.itinerary.days for s in d.stops for f in s.flags]
        return found

    def _on_manual_edit(self, text: str = "Move stop") -> None:
        if self.itinerary is None:
            return
        order = self.tree.order()
        pins = self.tree.locked()
        request = replace(
            self.itinerary.request,
            wishes=tuple(replace(w, day=pins.get(w.site_id)) for w in self.itinerary.request.wishes),
        )
        try:
            edited = retime(request, self.catalog, order)
        except HeritageError as error:
            errors.show_error(self, error, "Plan")
            self.show_itinerary(self.itinerary)
            return
        self.undo_stack.push(PlanEdit(self, self.itinerary, edited, text))

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0 and item.parent() is not None:
            # Not at once: the edit redraws the tree, which would delete the very item whose
            # change Qt is still delivering (a crash when a traveler ticks a lock).
            QTimer.singleShot(0, lambda: self._on_manual_edit("Lock stop"))

    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        site_id = item.data(0, SiteIdRole)
        if site_id:
            self.siteActivated.emit(site_id)

    def remove_selected_stop(self) -> None:
        """Take the selected stop out of the plan (undoable)."""
        item = self.tree.currentItem()
        if item is None or (day := item.parent()) is None:
            return
        day.removeChild(item)
        self._on_manual_edit("Remove stop")

    # -- exports -------------------------------------------------------------------------------

    def export(self, folder: str | None = None) -> None:
        """Write the plan as PDF, GPX, KML, GeoJSON, ICS, CSV and HTML into a folder."""
        if self.itinerary is None:
            errors.tell(self, "Export", "Plan the trip first, then export it.")
            return
        if not folder:
            folder = QFileDialog.getExistingDirectory(self, "Export the trip into")
            if not folder:
                return
        self.progress.setRange(0, len(options.FORMATS))
        self.progress.setValue(0)
        self.progress.show()
        run_job(export_in_background, self.catalog.path, self.itinerary, folder, parent=self,
                progress=self._on_export_progress, done=self._on_exported,
                failed=self._on_export_failed)  # fmt: skip

    def _on_export_progress(self, written: tuple[int, str]) -> None:
        done, path = written
        self.progress.setValue(done)
        self.message.emit(f"Wrote {path}")

    def _on_exported(self, paths: list) -> None:
        self.progress.hide()
        self.progress.setRange(0, 0)
        self.message.emit(f"Exported {len(paths)} files to {paths[0].rsplit('/', 1)[0] if paths else ''}")
        self.exportFinished.emit(paths)

    def _on_export_failed(self, message: str) -> None:
        self.progress.hide()
        self.progress.setRange(0, 0)
        errors.show_error(self, message, "Export")
        self.exportFinished.emit([])

    def edit_profile(self) -> None:
        """Set the operator profile (name, contact, footer, logo) every export carries."""
        from maps.exports.profile import OperatorProfile, default_profile, logo_problem, save_profile

        try:
            current = default_profile()
        except HeritageError:
            current = OperatorProfile()
        values = []
        for label, value in (
            ("Operator name", current.name),
            ("Contact line", current.contact),
            ("Footer", current.footer),
            ("Logo file (PNG or JPEG, optional)", current.logo or ""),
        ):
            text, ok = QInputDialog.getText(self, "Operator profile", label, text=value)
            if not ok:
                return
            values.append(text.strip())
        logo = values[3] or None
        problem = logo_problem(logo) if logo else None
        if problem:
            errors.show_error(self, f"The logo {logo} {problem}.", "Operator profile")
            return
        save_profile(OperatorProfile(values[0], values[1], values[2], logo))
        self.message.emit("Operator profile saved")

    # -- saved trips ---------------------------------------------------------------------------

    def save(self) -> None:
        """Save the plan under the trip's name."""
        if self.itinerary is None:
            errors.tell(self, "Save trip", "Plan the trip first, then save it.")
            return
        name = self.store.save(self.itinerary, self.name_edit.text())
        self.message.emit(f"Saved {name!r}")

    def open_trip(self, name: str | None = None) -> None:
        """Reopen a saved trip (asks which when no name is given)."""
        if name is None:
            names = [t.name for t in self.store.list()]
            if not names:
                errors.tell(self, "Open trip", "There are no saved trips yet.")
                return
            name, ok = QInputDialog.getItem(self, "Open trip", "Saved trips:", names, 0, False)
            if not ok:
                return
        try:
            itinerary = self.store.load(name)
        except HeritageError as error:
            errors.show_error(self, error, "Open trip")
            return
        self._load_request(itinerary.request)
        self.undo_stack.clear()
        self.show_itinerary(itinerary)

    def rename_trip(self) -> None:
        """Rename the trip on screen and its saved copy."""
        old = self.name_edit.text().strip()
        new, ok = QInputDialog.getText(self, "Rename trip", "New name:", text=old)
        if not ok or not new.strip() or new.strip() == old:
            return
        try:
            if any(t.name == old for t in self.store.list()):
                self.store.rename(old, new.strip())
        except HeritageError as error:
            errors.show_error(self, error, "Rename trip")
            return
        self.name_edit.setText(new.strip())
        if self.itinerary:
            self.itinerary = replace(
                self.itinerary, request=replace(self.itinerary.request, name=new.strip())
            )

    def copy_trip(self) -> None:
        """Save a copy of this trip under a new name and switch to it."""
        if self.itinerary is None:
            return
        self.save()
        name = self.store.copy(self.name_edit.text().strip())
        self.name_edit.setText(name)
        self.message.emit(f"Copied to {name!r}")

    def delete_trip(self) -> None:
        """Delete the saved trip of this name, after asking."""
        name = self.name_edit.text().strip()
        if not any(t.name == name for t in self.store.list()):
            errors.tell(self, "Delete trip", f"No saved trip is called {name!r}.")
            return
        if errors.ask(self, "Delete trip", f"Delete the saved trip {name!r}?"):
            self.store.delete(name)
            self.message.emit(f"Deleted {name!r}")

    def _load_request(self, request: TripRequest) -> None:
        self.name_edit.setText(request.name)
        self.start_edit.setDate(QDate(request.start.year, request.start.month, request.start.day))
        self.days_spin.setValue(request.days)
        self.base_box.setCurrentText(
            ", ".join(dict.fromkeys(request.bases))
            if len(set(request.bases)) == 1
            else ", ".join(request.bases)
        )
        self.pace_box.setCurrentIndex(max(0, self.pace_box.findData(request.pace)))
        self.day_start.setTime(QTime(request.day_start.hour, request.day_start.minute))
        day_end = request.day_hours()[1]
        self.day_end.setTime(QTime(day_end.hour, day_end.minute))
        self.max_drive.setValue(request.max_drive() / 60)
        self.lunch_box.setChecked(request.lunch is not None)
        if request.lunch:
            self.lunch_time.setTime(QTime(request.lunch[0].hour, request.lunch[0].minute))
        self.mode_box.setCurrentIndex(max(0, self.mode_box.findData(request.mode)))
        self.wish_table.setRowCount(0)
        for wish in request.wishes:
            try:
                self.add_site(wish.site_id, wish.must, wish.priority, wish=wish)
            except HeritageError:
                self.message.emit(f"{wish.site_id} is no longer in the catalog")

    def _reopen_last(self) -> None:
        last = self.store.last()
        if last:
            self.open_trip(last)
        else:
            self.show_itinerary(None)


def plan_in_background(catalog_path: str, request: TripRequest) -> Itinerary:
    """Plan a trip off the GUI thread (with its own catalog connection: SQLite objects stay on
    the thread that made them)."""
    with Catalog.open(catalog_path, sync=False) as catalog:
        return plan_trip(request, catalog)


def suggest_in_background(catalog_path: str, request: TripRequest, count: int) -> Itinerary:
    """The trip planned with up to ``count`` suggested sites, off the GUI thread."""
    with Catalog.open(catalog_path, sync=False) as catalog:
        return shape.plan_with_suggestions(request, catalog, count)


def export_in_background(catalog_path: str, itinerary: Itinerary, folder: str):
    """Write a trip in every format, yielding (files done, path) after each one."""
    from maps import exports

    with Catalog.open(catalog_path, sync=False) as catalog:
        trip = exports.trip_for(itinerary, catalog, exports.default_profile())
    written = []
    for name in options.FORMATS:
        written += [str(p) for p in exports.export_trip(trip, [name], folder)]
        yield len(written), written[-1]
    return written
