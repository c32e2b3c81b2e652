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
from sites.validation import validate_site

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
        self.note_edit = QLineEdit(
            objectName="editNote", placeholderText="What changed and why (kept in the history)"
        )
        form.addRow("Note", self.note_edit)
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
        buttons = QHBoxLayout()
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
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
        unsaved_path().unlink(missing_ok=True)
        self.site, self.is_new = site, new
        self.version = 0 if new else curation.latest_version(self.catalog, site.id)
        self.undo_stack.clear()
        self.note_edit.clear()
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
        theme_ids = {t.id for t in self.catalog.themes()}
        found: dict[str, list[tuple[str, str]]] = {}
        for field, message in unreadable.items():
            found.setdefault(field, []).append(("error", message))
        if site is not None:
            for problem in validate_site(site, theme_ids):
                if problem.field in unreadable:
                    continue
                severity = problem.severity
                if site.status == "draft" and problem.field in curation.PUBLISH_ONLY:
                    severity = "warning"
                found.setdefault(problem.field, []).append((severity, problem.message))
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
        self.summary.setText(
            f"{len(blocking)} problem(s) to fix before saving" if blocking else "Ready to save"
        )
        self.save_button.setEnabled(not blocking)
        return blocking

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
        """Save the site; a validation or storage problem is shown and nothing is lost."""
        self.flush()
        if self.validate():
            return False
        site, _ = self.site_from_form()
        note = self.note_edit.text().strip()
        try:
            if self.is_new:
                curation.create(self.catalog, site, note or "created")
            else:
                curation.edit(self.catalog, site, note, expected_version=self.version)
        except HeritageError as error:
            errors.show_error(self, error, "Save site")
            return False
        self.open_site(self.catalog.site(site.id))
        unsaved_path().unlink(missing_ok=True)
        self.message.emit(f"Saved {site.name}")
        self.saved.emit(site.id)
        return True

    def show_history(self) -> None:
        """The site's versions, with revert."""
        if self.site is None or self.is_new:
            return
        dialog = HistoryDialog(self.catalog, self.site.id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.reverted:
            self.open_site(self.catalog.site(self.site.id))
            self.saved.emit(self.site.id)


class HistoryDialog(QDialog):
    """Every version of a site (when, note, fields changed); revert to one."""

    def __init__(self, catalog: Catalog, site_id: str, parent=None):
        super().__init__(parent)
        self.catalog, self.site_id, self.reverted = catalog, site_id, False
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
        self.reverted = True
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


def _items(widget: QListWidget) -> list[QListWidgetItem]:
    """A list's items in order (item(i) is None only for a row out of range)."""
    return [item for i in range(widget.count()) if (item := widget.item(i)) is not None]


def _short(value) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:37] + "…"
