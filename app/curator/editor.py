"""The curator's site form: every field, validated as the curator types with the problem
beside the field, a preview of the next week's opening hours, undo and redo, and the
site's history with revert."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import errors
from sites import curation, opening_hours, paths
from sites.catalog import Catalog
from sites.errors import HeritageError
from sites.files import write_atomically
from sites.models import COORD_PRECISIONS, STATUSES, WHEELCHAIR_VALUES, Site
from sites.record import parse_site

#: Form fields in order: (field, label, kind)
FIELDS = (
    ("id", "Id", "line"),
    ("status", "Status", "status"),
    ("name", "Name (English)", "line"),
    ("name_sr_latn", "Name (Serbian, Latin)", "line"),
    ("name_sr_cyrl", "Name (Serbian, Cyrillic)", "line"),
    ("themes", "Themes", "themes"),
    ("summary", "Summary", "text"),
    ("us_connection", "US connection", "text"),
    ("description", "Description", "text"),
    ("lat", "Latitude", "line"),
    ("lon", "Longitude", "line"),
    ("coord_precision", "Coordinates of", "precision"),
    ("address", "Address", "line"),
    ("town", "Town", "line"),
    ("region", "Region", "line"),
    ("opening_hours", "Opening hours (OSM)", "line"),
    ("hours_source", "Hours read from", "line"),
    ("hours_checked", "Hours read on", "line"),
    ("visit_minutes", "Typical visit (min)", "line"),
    ("admission", "Admission", "line"),
    ("wheelchair", "Wheelchair", "wheelchair"),
    ("website", "Website", "line"),
    ("wikidata", "Wikidata id", "line"),
    ("part_of", "Part of (site id)", "line"),
    ("prominence", "Search prominence (0-3)", "line"),
    ("sources", "Sources (one per line: URL | what it supports)", "text"),
    ("last_verified", "Last verified", "line"),
)
VALIDATE_DELAY_MS = 150


class FormEdit(QUndoCommand):
    """A change of the form's contents, undoable; consecutive typing merges into one step."""

    ID = 4711

    def __init__(self, editor: "SiteEditor", before: dict, after: dict):
        super().__init__("Edit site")
        self.editor, self.before, self.after = editor, before, after
        self._first = True

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FormEdit):  # Qt only offers commands with the same id()
            return False
        changed = {k for k in self.after if self.after[k] != other.after.get(k)}
        mine = {k for k in self.before if self.before[k] != self.after.get(k)}
        if changed and changed <= mine:  # still typing in the same field
            self.after = other.after
            return True
        return False

    def redo(self) -> None:
        if self._first:  # the form already shows it
            self._first = False
            return
        self.editor.set_values(self.after)

    def undo(self) -> None:
        self.editor.set_values(self.before)


class SaveEdit(QUndoCommand):
    """A save, undoable: undo makes the site as it was at the version before (a new version in
    its history), redo as it was saved; undoing a new site's first save deletes it (restorable)."""

    def __init__(self, editor: "SiteEditor", site_id: str, before: int, after: int):
        super().__init__(f"Save {site_id}")
        self.editor, self.site_id, self.before, self.after = editor, site_id, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:  # just saved
            self._first = False
            return
        if self.before == 0:
            self.editor.restore_created(self.site_id)
        else:
            self.editor.go_to_version(self.after, f"redo: as saved in version {self.after}")

    def undo(self) -> None:
        if self.before == 0:
            self.editor.delete_created(self.site_id)
        else:
            self.editor.go_to_version(self.before, f"undo: back to version {self.before}")


class SiteEditor(QWidget):
    """Edit one site; save records it in the site's history."""

    saved = Signal(str)  # site id
    coordinatesChanged = Signal(float, float)
    message = Signal(str)

    def __init__(self, catalog: Catalog, parent=None):
        super().__init__(parent)
        self.catalog = catalog
        self.site: Site | None = None
        self.version = 0
        self.is_new = False
        self.undo_stack = QUndoStack(self)
        self._values: dict = {}
        self._loading = False
        self._timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self._after_change)
        self._build()
        self.setEnabled(False)

    # -- construction --------------------------------------------------------------------------

    def _build(self) -> None:
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for field, label, kind in FIELDS:
            widget = self._make(kind)
            widget.setObjectName(f"edit_{field}")
            error = QLabel(objectName=f"error_{field}", wordWrap=True)
            error.setStyleSheet("color: #b00020")
            error.hide()
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            if field == "opening_hours":
                self.hours_preview = QLabel(objectName="hoursPreview", wordWrap=True)
                self.hours_preview.setStyleSheet("color: #555")
                box.addWidget(self.hours_preview)
            form.addRow(label, box)
            self.widgets[field], self.errors[field] = widget, error
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(inner)
        self.title = QLabel(objectName="editorTitle")
        self.title.setStyleSheet("font-weight: bold")
        self.summary = QLabel(objectName="editorSummary", wordWrap=True)
        self.save_button = QPushButton("Save", objectName="saveSite")
        self.save_button.setToolTip("Save the site (Ctrl+Enter); the change goes into its history")
        self.save_button.setShortcut("Ctrl+Return")
        self.history_button = QPushButton("History…", objectName="siteHistory")
        self.save_button.clicked.connect(self.save)
        self.history_button.clicked.connect(self.show_history)
        # The note sits beside Save: a note is offered (what changed) and the curator may say why.
        self.note_edit = QLineEdit(
            objectName="editNote", placeholderText="What changed and why (kept in the history)"
        )
        self.note_edit.setToolTip("Kept in the site's history with this save; a note is offered")
        self._offered_note = ""
        buttons = QHBoxLayout()
        buttons.addWidget(self.history_button)
        buttons.addWidget(QLabel("Note:"))
        buttons.addWidget(self.note_edit, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

    def _make(self, kind: str) -> QWidget:
        if kind == "text":
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(70)
            text.textChanged.connect(self._changed)
            return text
        if kind == "themes":
            themes = QListWidget()
            themes.setFixedHeight(90)
            for theme in self.catalog.themes():
                item = QListWidgetItem(theme.name)
                item.setData(Qt.ItemDataRole.UserRole, theme.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                themes.addItem(item)
            themes.itemChanged.connect(self._changed)
            return themes
        if kind in ("status", "precision", "wheelchair"):
            choice = QComboBox()
            values = {
                "status": STATUSES,
                "precision": COORD_PRECISIONS,
                "wheelchair": ("", *WHEELCHAIR_VALUES),
            }[kind]
            choice.addItems(list(values))
            choice.currentIndexChanged.connect(self._changed)
            return choice
        line = QLineEdit()
        line.textChanged.connect(self._changed)
        return line

    def _line_edit(self, field: str) -> QLineEdit:
        """The one-line text box of a field of kind "line" in FIELDS."""
        widget = self.widgets[field]
        assert isinstance(widget, QLineEdit)
        return widget

    # -- values --------------------------------------------------------------------------------

    def values(self) -> dict:
        """The form's contents as text values, by field."""
        result: dict[str, str | list[str]] = {}
        for field, widget in self.widgets.items():  # in the order of FIELDS
            if isinstance(widget, QPlainTextEdit):  # kind "text"
                result[field] = widget.toPlainText()
            elif isinstance(widget, QListWidget):  # kind "themes"
                result[field] = [
                    item.data(Qt.ItemDataRole.UserRole)
                    for item in _items(widget)
                    if item.checkState() == Qt.CheckState.Checked
                ]
            elif isinstance(widget, QComboBox):
                result[field] = widget.currentText()
            elif isinstance(widget, QLineEdit):
                result[field] = widget.text()
        return result

    def set_values(self, values: dict) -> None:
        """Fill the form (without recording an undo step)."""
        self._loading = True
        for field, widget in self.widgets.items():  # in the order of FIELDS
            value = values.get(field, "")
            if isinstance(widget, QPlainTextEdit):  # kind "text"
                if widget.toPlainText() != value:
                    widget.setPlainText(value)
            elif isinstance(widget, QListWidget):  # kind "themes"
                for item in _items(widget):
                    on = item.data(Qt.ItemDataRole.UserRole) in value
                    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(value or "")
            elif isinstance(widget, QLineEdit) and widget.text() != value:
                widget.setText(value)
        self._loading = False
        self._values = self.values()
        self.validate()

    def site_from_form(self) -> tuple[Site, dict[str, str]]:
        """The site the form describes, and the fields whose text cannot be read."""
        site, problems = parse_site(self.values(), lenient=True)
        assert site is not None  # lenient parsing always gives a site to check
        return site, dict(problems)

    # -- opening a site ------------------------------------------------------------------------

    def open_site(self, site: Site, *, new: bool = False) -> None:
        """Edit a site (a new one is saved as a new site)."""
        self.undo_stack.clear()
        self._show(site, new=new)

    def _show(self, site: Site, *, new: bool = False) -> None:
        """Fill the form with a site as stored (or new), keeping the undo history."""
        unsaved_path().unlink(missing_ok=True)
        self.site, self.is_new = site, new
        self.version = 0 if new else curation.latest_version(self.catalog, site.id)
        self.note_edit.clear()
        self._offered_note = ""
        self._line_edit("id").setReadOnly(not new)
        self.set_values(_to_values(site))
        self.title.setText(("New site" if new else f"Editing {site.name}") + f" ({site.status})")
        self.setEnabled(True)

    def new_site(self, lat: float = 44.8176, lon: float = 20.4633) -> None:
        """Start a new draft (at Belgrade's centre unless a place is given)."""
        today = date.today()
        self.open_site(
            Site(id="new-site", name="", lat=lat, lon=lon, town="", status="draft", last_verified=today),
            new=True,
        )

    def set_coordinates(self, lat: float, lon: float) -> None:
        """Place the site at a point (a click on the map or a dragged marker)."""
        if not self.isEnabled():
            return
        self._line_edit("lat").setText(f"{lat:.6f}")
        self._line_edit("lon").setText(f"{lon:.6f}")

    def _keep_unsaved(self, values: dict) -> None:
        # The form's contents go to a small file at every change, so a crash loses no typing;
        # the next start offers them back (see recover_unsaved).
        data = {
            "site_id": self.site.id if self.site else None,
            "is_new": self.is_new,
            "version": self.version,
            "values": values,
        }
        try:
            write_atomically(unsaved_path(), json.dumps(data, ensure_ascii=False))
        except OSError as error:
            self.message.emit(f"Unsaved changes could not be kept: {error.strerror}")

    def recover_unsaved(self) -> str | None:
        """Reload an edit that was never saved (after a crash); returns the site's id."""
        path = unsaved_path()
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            site = Site(id="new-site", name="", lat=0.0, lon=0.0, town="", status="draft")
            if not data["is_new"]:
                site = self.catalog.site(data["site_id"])
        except (OSError, ValueError, KeyError, HeritageError):
            path.unlink(missing_ok=True)
            return None
        values = data["values"]
        self.open_site(site, new=data["is_new"])
        self.version = data["version"]
        self.set_values(values)
        self._values = values
        self._keep_unsaved(values)
        self.title.setText(
            self.title.text()
            + " — recovered unsaved changes: save them, or open the site again to discard them"
        )
        return values.get("id") or site.id

    # -- validation ----------------------------------------------------------------------------

    def _changed(self, *_args) -> None:
        if self._loading:
            return
        self._timer.start()

    def _after_change(self) -> None:
        after = self.values()
        if after != self._values:
            self.undo_stack.push(FormEdit(self, self._values, after))
            self._keep_unsaved(after)
            before_coords = (self._values.get("lat"), self._values.get("lon"))
            self._values = after
            if (after["lat"], after["lon"]) != before_coords:
                site, problems = self.site_from_form()
                if "lat" not in problems and "lon" not in problems:
                    self.coordinatesChanged.emit(site.lat, site.lon)
        self.validate()

    def flush(self) -> None:
        """Apply a pending change now (before saving, or in tests)."""
        if self._timer.isActive():
            self._timer.stop()
            self._after_change()

    def validate(self) -> list[str]:
        """Show every problem beside its field; returns the blocking ones."""
        site, unreadable = self.site_from_form()
        found: dict[str, list[tuple[str, str]]] = {}
        for field, message in unreadable.items():
            found.setdefault(field, []).append(("error", message))
        # A point half read (latitude or longitude) has no place to check.
        skip = set(unreadable) | ({"lat", "lon"} if {"lat", "lon"} & set(unreadable) else set())
        for problem in curation.site_problems(self.catalog, site):
            if problem.field not in skip:
                found.setdefault(problem.field, []).append((problem.severity, problem.message))
        for field, label in self.errors.items():
            messages = found.get(field, [])
            label.setVisible(bool(messages))
            label.setText("\n".join(("⚠ " if s == "warning" else "✖ ") + m for s, m in messages))
            label.setStyleSheet(
                "color: #8a5a00"
                if messages and all(s == "warning" for s, _ in messages)
                else "color: #b00020"
            )
        self._preview_hours(site.opening_hours if site and "opening_hours" not in found else None)
        blocking = [f"{f}: {m}" for f, items in found.items() for s, m in items if s == "error"]
        changed = self.changed_fields()
        if blocking:
            text = f"{len(blocking)} problem(s) to fix before saving"
        elif not changed:
            text = f"Version {self.version}, no unsaved changes"
        else:
            text = "Unsaved changes: Save (Ctrl+S) records them in the site's history"
        self.summary.setText(text)
        self.save_button.setEnabled(not blocking and bool(changed))
        self._offer_note(changed)
        return blocking

    def changed_fields(self) -> list[str]:
        """Labels of the fields that differ from the site as stored (every field of a new site)."""
        if self.site is None:
            return []
        if self.is_new:
            return ["new site"]
        stored, now = _to_values(self.site), self.values()
        return [label for field, label, _kind in FIELDS if stored.get(field) != now.get(field)]

    def _offer_note(self, changed: list[str]) -> None:
        # Until the curator writes a note of their own, the note says what changed.
        if self.note_edit.text() not in ("", self._offered_note):
            return
        if self.is_new:
            offer = "created"
        elif changed == ["Status"]:
            offer = "published" if self.values()["status"] == "published" else "taken back to draft"
        elif changed:
            offer = "changed " + ", ".join(label.split(" (")[0].lower() for label in changed)
        else:
            offer = ""
        self._offered_note = offer
        self.note_edit.setText(offer)

    def _preview_hours(self, text: str | None) -> None:
        if not text:
            self.hours_preview.setText("")
            return
        start = datetime.combine(date.today(), datetime.min.time(), opening_hours.TIMEZONE)
        lines = []
        for offset in range(7):
            day_start = start + timedelta(days=offset)
            windows = opening_hours.open_windows(text, day_start, day_start + timedelta(days=1))
            hours = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in windows) or "closed"
            lines.append(f"{day_start:%a %d %b}: {hours}")
        self.hours_preview.setText("Next 7 days: " + "; ".join(lines))

    # -- saving --------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the site with the note beside Save (undoable); a validation or storage problem
        is shown and nothing is lost."""
        self.flush()
        if self.site is None:
            return False
        blocking = self.validate()
        if blocking:
            self.message.emit(f"Not saved: {blocking[0]}" + (" (and more)" if len(blocking) > 1 else ""))
            return False
        if not self.changed_fields():
            self.message.emit(f"Nothing to save: {self.site.name} is as stored (version {self.version})")
            return False
        site, _ = self.site_from_form()
        note = self.note_edit.text().strip()
        before = self.version
        try:
            if self.is_new:
                version = curation.create(self.catalog, site, note or "created")
            else:
                version = curation.edit(self.catalog, site, note, expected_version=before)
        except HeritageError as error:
            errors.show_error(self, error, "Save site")
            return False
        self._show(self.catalog.site(site.id))
        # The typing is saved: what is left to undo are the saves, this one last.
        saves = [(c.site_id, c.before, c.after) for c in _saves(self.undo_stack)]
        self.undo_stack.clear()
        for site_id, earlier, later in [*saves, (site.id, before, version)]:
            self.undo_stack.push(SaveEdit(self, site_id, earlier, later))
        self.message.emit(f"Saved version {version} of {site.name}")
        self.saved.emit(site.id)
        return True

    def go_to_version(self, version: int, note: str) -> None:
        """Make the open site as it was at a version (Undo and Redo of a save)."""
        if self.site is None:
            return
        site_id = self.site.id
        try:
            now = curation.latest_version(self.catalog, site_id)
            if now != self.version:
                raise curation.ConflictError(
                    f"{site_id} was changed elsewhere (now at version {now}); reopen it to see the change"
                )
            saved = curation.revert(self.catalog, site_id, version, note)
        except HeritageError as error:
            self.message.emit(f"Could not {note.split(':')[0]}: {error}")
            return
        self._show(self.catalog.site(site_id))
        self.message.emit(f"Saved version {saved}: {self.site.name} as in version {version}")
        self.saved.emit(site_id)

    def delete_created(self, site_id: str) -> None:
        """Undo the first save of a new site: it is deleted (and can be restored)."""
        try:
            curation.delete(self.catalog, site_id, "undo: created")
        except HeritageError as error:
            self.message.emit(f"Could not undo: {error}")
            return
        self.site = None
        self.title.setText(f"{site_id} deleted (Redo, or Curator → Restore a deleted site, brings it back)")
        self.setEnabled(False)
        self.message.emit(f"Undid the creation of {site_id}: it is deleted")
        self.saved.emit(site_id)

    def restore_created(self, site_id: str) -> None:
        """Redo the first save of a new site after its undo."""
        try:
            curation.restore(self.catalog, site_id, "redo: created")
        except HeritageError as error:
            self.message.emit(f"Could not redo: {error}")
            return
        self._show(self.catalog.site(site_id))
        self.message.emit(f"Restored {site_id}")
        self.saved.emit(site_id)

    def show_history(self) -> None:
        """The site's versions, with revert."""
        if self.site is None or self.is_new:
            return
        dialog = HistoryDialog(self.catalog, self.site.id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.reverted:
            self.open_site(self.catalog.site(self.site.id))
            self.message.emit(f"Saved version {self.version}: {dialog.reverted}")
            self.saved.emit(self.site.id)


class HistoryDialog(QDialog):
    """Every version of a site (when, note, fields changed); revert to one."""

    def __init__(self, catalog: Catalog, site_id: str, parent=None):
        super().__init__(parent)
        self.catalog, self.site_id = catalog, site_id
        self.reverted = ""  # what was done, once a version is chosen
        self.setWindowTitle(f"History of {site_id}")
        self.changes = curation.history(catalog, site_id)
        self.table = QTableWidget(len(self.changes), 4, objectName="historyTable")
        self.table.setHorizontalHeaderLabels(["Version", "When", "Note", "Changes"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, change in enumerate(reversed(self.changes)):
            described = "; ".join(f"{k}: {_short(o)} → {_short(n)}" for k, (o, n) in change.changes.items())
            for column, text in enumerate((str(change.version), change.changed_at, change.note, described)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.revert_button = buttons.addButton(
            "Revert to this version", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.revert_button.setObjectName("revertButton")
        self.revert_button.clicked.connect(self.revert_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(800, 400)

    def revert_selected(self) -> None:
        """Make the site as it was at the selected version."""
        row = self.table.currentRow()
        if row < 0:
            return
        version = int(self.table.item(row, 0).text())
        try:
            curation.revert(self.catalog, self.site_id, version)
        except HeritageError as error:
            errors.show_error(self, error, "Revert")
            return
        self.reverted = f"reverted to version {version}"
        self.accept()


def unsaved_path() -> Path:
    """Where the site form keeps an edit that has not been saved yet."""
    return paths.unsaved_edit_path()


def _to_values(site: Site) -> dict:
    record = site.to_record()
    values: dict[str, str | list[str]] = {}
    for field, _label, kind in FIELDS:
        value = record.get(field)
        if kind == "themes":
            values[field] = list(value or [])
        elif field == "sources":
            values[field] = "\n".join(
                f"{s['url']} | {s['supports']}" if s["supports"] else s["url"] for s in value or []
            )
        else:
            values[field] = "" if value is None else str(value)
    return values


def _saves(stack: QUndoStack) -> list[SaveEdit]:
    """The saves a stack can undo, oldest first."""
    return [command for i in range(stack.index()) if isinstance(command := stack.command(i), SaveEdit)]


def _items(widget: QListWidget) -> list[QListWidgetItem]:
    """A list's items in order (item(i) is None only for a row out of range)."""
    return [item for i in range(widget.count()) if (item := widget.item(i)) is not None]


def _short(value) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:37] + "…"
