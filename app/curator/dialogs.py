"""Curators' dialogs: preview and apply an import (every row's problems, warnings and changes),
restore a backup, and review what the bundled catalog changed in sites a curator had edited."""

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app import errors
from sites import curation, importer
from sites.catalog import Catalog
from sites.errors import HeritageError


class ImportSignals(QObject):
    """Signals of an import running in the thread pool."""

    done = Signal(dict)
    failed = Signal(str)


class ImportJob(QRunnable):
    """Apply a checked import off the GUI thread (its own connection to the catalog file).

    The file is checked again on that connection; if it would now do anything other than what
    the curator saw (the catalog changed meanwhile: an id made from a name, a merge's changes),
    nothing is imported and the curator is asked to look again.
    """

    def __init__(self, catalog_path: str, path: Path, actions: dict[int, str], previewed: list[tuple]):
        super().__init__()
        self.catalog_path, self.path, self.actions, self.previewed = catalog_path, path, actions, previewed
        self.signals = ImportSignals()

    def run(self) -> None:
        try:
            with Catalog.open(self.catalog_path, sync=False) as catalog:
                plan = importer.plan_import(catalog, self.path)
                if plan.outcome() != self.previewed:
                    raise importer.ImportConflictError(
                        f"the catalog or {self.path.name} changed since the preview; "
                        "open the import again to see what it would do now"
                    )
                for row in plan.rows:
                    row.action = self.actions.get(row.number, row.action)
                done = importer.apply_import(catalog, plan)
        except HeritageError as error:
            self.signals.failed.emit(str(error))
            return
        self.signals.done.emit(done)


#: The import table's columns.
ROW, SITE, ACTION, LIKE, NOTES, CHANGES = range(6)
#: What each action is called in the table: adding a deleted id brings that site back.
ACTION_NAMES = {"add": "add as a draft", "restore": "restore as a draft", "merge": "merge", "skip": "skip"}


class ImportDialog(QDialog):
    """Every row of a file as the CLI previews it: its action (which the curator may change), the
    site it is likely a duplicate of, its problems and warnings (defaults filled in, swapped
    coordinates...) and, for a merge or a deleted site brought back, each field that changes.
    The row selected is shown in full below. Applied all or nothing."""

    imported = Signal(dict)

    def __init__(self, catalog: Catalog, path: str | Path, parent=None):
        super().__init__(parent)
        self.catalog, self.path = catalog, Path(path)
        self.setWindowTitle(f"Import {self.path.name}")
        self.plan = importer.plan_import(catalog, self.path)
        self.previewed = self.plan.outcome()
        self.table = QTableWidget(len(self.plan.rows), 6, objectName="importTable")
        self.table.setHorizontalHeaderLabels(
            ["Row", "Site", "Action", "Like existing", "Problems and warnings", "Changes"]
        )
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.action_choices: dict[int, QComboBox] = {}
        for n, row in enumerate(self.plan.rows):
            cells = {
                ROW: str(row.number),
                SITE: row.site.id if row.site else "?",
                ACTION: "" if row.site and not row.problems else "refused",
                LIKE: row.duplicate_of or "",
                NOTES: "\n".join(notes(row)),
                CHANGES: "",
            }
            for column, text in cells.items():
                self._set(n, column, text, bad=bool(row.problems))
            if row.site and not row.problems:
                choice = QComboBox()
                for action in self._actions(row):
                    shown = "restore" if action == "add" and row.deleted else action
                    choice.addItem(ACTION_NAMES[shown], action)
                choice.setCurrentIndex(choice.findData(row.action))
                choice.currentIndexChanged.connect(lambda _i, n=n: self._chosen(n))
                self.table.setCellWidget(n, ACTION, choice)
                self.action_choices[row.number] = choice
            self._set(n, CHANGES, "\n".join(self.changes(n)))
        self.table.resizeColumnsToContents()
        for column in (NOTES, CHANGES):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 340))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeRowsToContents()
        self.details = QPlainTextEdit(objectName="importDetails", readOnly=True)
        self.details.setPlaceholderText("Select a row to read all it would do.")
        self.table.currentCellChanged.connect(lambda row, *_: self._show_details(row))
        self.summary = QLabel(objectName="importSummary", wordWrap=True)
        self.progress = QProgressBar(textVisible=False)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("applyImport")
        self.apply_button.setEnabled(not self.plan.bad_rows)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._summarise()
        if self.plan.rows:
            self.table.selectRow(0)
        self.resize(1100, 620)

    @staticmethod
    def _actions(row: importer.ImportRow) -> list[str]:
        """What a row may do: a site of the same id is merged or left; one only like another
        may also be added."""
        if row.duplicate_of == (row.site.id if row.site else None):
            return ["merge", "skip"]
        return ["add", "merge", "skip"] if row.duplicate_of else ["add", "skip"]

    def _set(self, n: int, column: int, text: str, *, bad: bool = False) -> None:
        item = QTableWidgetItem(text)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        item.setToolTip(text)
        if bad:
            item.setForeground(Qt.GlobalColor.darkRed)
        self.table.setItem(n, column, item)

    def action(self, n: int) -> str:
        """The action chosen for the n-th row of the table (as the plan has it if it has no choice)."""
        row = self.plan.rows[n]
        choice = self.action_choices.get(row.number)
        return choice.currentData() if choice else row.action

    def changes(self, n: int, limit: int | None = 80) -> list[str]:
        """What the n-th row would do to the catalog with the action chosen: a line saying what,
        then each field that changes (values cut to ``limit`` characters)."""
        row, action = self.plan.rows[n], self.action(n)
        if row.problems or row.site is None:
            return ["nothing: the row has problems"]
        if action == "skip":
            like = f" as likely the same as {row.duplicate_of}" if row.duplicate_of else ""
            return [f"nothing: left out{like}"]
        if action == "add" and not row.deleted:
            return [f"a new draft, {row.site.name}"]
        if action == "merge":
            changed = row.changes if row.action == "merge" else importer.merge_changes(self.catalog, row)
            head = f"merged into {row.duplicate_of}" + ("" if changed else ": no field changes")
        else:
            changed, head = row.changes, f"the deleted site {row.site.id} comes back as a draft"
        return [head, *(change_line(f, old, new, limit) for f, (old, new) in changed.items())]

    def _chosen(self, n: int) -> None:
        """A curator chose another action for the n-th row: show what it does now."""
        self._set(n, CHANGES, "\n".join(self.changes(n)))
        self._summarise()
        self._show_details(self.table.currentRow())

    def _show_details(self, n: int) -> None:
        """The selected row in full: no value cut short."""
        if not 0 <= n < len(self.plan.rows):
            self.details.clear()
            return
        row = self.plan.rows[n]
        title = f"Row {row.number}: " + (f"{row.site.id} ({row.site.name})" if row.site else "?")
        lines = [title, *self.changes(n, limit=None)]
        if row.problems or row.warnings:
            lines += ["", *notes(row)]
        self.details.setPlainText("\n".join(lines))

    def _summarise(self) -> None:
        bad, total = len(self.plan.bad_rows), len(self.plan.rows)
        if bad:
            self.summary.setText(
                f"{bad} of {total} rows have problems: fix the file and import it again. Nothing is changed."
            )
            return
        chosen = [(self.plan.rows[n], self.action(n)) for n in range(total)]
        counts = {
            "new draft(s)": sum(a == "add" and not r.deleted for r, a in chosen),
            "merge(s)": sum(a == "merge" for r, a in chosen),
            "deleted site(s) back as drafts": sum(a == "add" and r.deleted for r, a in chosen),
            "skipped as likely duplicates": sum(a == "skip" for r, a in chosen),
        }
        what = ", ".join(f"{count} {label}" for label, count in counts.items() if count)
        warned = sum(len(row.warnings) for row in self.plan.rows)
        warnings = f"; {warned} warning(s) to read (a value filled in, a place to check)" if warned else ""
        self.summary.setText(
            f"{total} rows are ready: {what or 'nothing to do'}{warnings}. "
            "New sites arrive as drafts, published once complete; a backup is taken first."
        )

    def apply(self) -> None:
        """Import off the GUI thread; the dialog closes when it is done."""
        actions = {number: box.currentData() for number, box in self.action_choices.items()}
        job = ImportJob(self.catalog.path, self.path, actions, self.previewed)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self.apply_button.setEnabled(False)
        self.progress.show()
        QThreadPool.globalInstance().start(job)

    def _done(self, done: dict) -> None:
        self.progress.hide()
        self.imported.emit(done)
        self.accept()

    def _failed(self, message: str) -> None:
        self.progress.hide()
        errors.show_error(self, f"Nothing was imported: {message}", "Import")
        self.apply_button.setEnabled(True)


def notes(row: importer.ImportRow) -> list[str]:
    """A row's problems, then its warnings, as the CLI words them."""
    return [f"{c}: {m}" for c, m in row.problems] + [f"{c}: warning: {m}" for c, m in row.warnings]


def change_line(name: str, old: object, new: object, limit: int | None = 80) -> str:
    """One field's change, ``field: old -> new``, each value cut to ``limit`` characters."""
    return f"{name}: {_value(old, limit)} -> {_value(new, limit)}"


def _value(value: object, limit: int | None) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    text = _text(value) if isinstance(value, list) else repr(value) if isinstance(value, str) else str(value)
    text = text.replace("\n", " / ")
    return text if limit is None or len(text) <= limit else text[: limit - 3] + "..."


class BackupsDialog(QDialog):
    """The kept backups of the catalog; restore one."""

    restored = Signal(str)

    def __init__(self, catalog: Catalog, parent=None):
        super().__init__(parent)
        self.catalog = catalog
        self.setWindowTitle("Catalog backups")
        self.list = QListWidget(objectName="backupList")
        self.items = catalog.backups()
        for item in self.items:
            self.list.addItem(f"{item.taken}  {item.name}  ({item.size // 1024} kB)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.clicked.connect(self.restore)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A backup is taken before every import; the last five are kept."))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def restore(self) -> None:
        """Restore the selected backup (the current catalog is backed up first)."""
        row = self.list.currentRow()
        if row < 0:
            return
        try:
            chosen = self.catalog.restore_backup(self.items[row].name)
        except HeritageError as error:
            errors.show_error(self, error, "Restore")
            return
        self.restored.emit(chosen.name)
        self.accept()


KEEP_MINE, TAKE_BUNDLE = "keep mine", "take the bundle's"


class BundledReviewDialog(QDialog):
    """Sites the bundled catalog changed after a curator edited them, side by side: for each
    field that differs, the curator's value and the bundle's, and "keep mine" or "take the
    bundle's"; Apply settles the site (recorded in its history) and shows the next."""

    applied = Signal(str)  # site id

    def __init__(self, catalog: Catalog, folder: Path | None = None, parent=None):
        super().__init__(parent)
        self.catalog, self.folder = catalog, folder
        self.setWindowTitle("Review the bundled catalog's changes")
        self.changes = curation.bundled_changes(catalog, folder)
        self.site_choice = QComboBox(objectName="reviewSite")
        self.site_choice.currentIndexChanged.connect(self._show_site)
        self.table = QTableWidget(0, 4, objectName="reviewTable")
        self.table.setHorizontalHeaderLabels(["Field", "Mine", "The bundle's", "Use"])
        self.table.setWordWrap(True)
        self.choices: dict[str, QComboBox] = {}
        self.summary = QLabel(objectName="reviewSummary", wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = buttons.addButton("Apply to this site", QDialogButtonBox.ButtonRole.ActionRole)
        self.apply_button.setObjectName("applyReview")
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("The bundled catalog changed these sites after you edited them. Choose, field by field.")
        )
        layout.addWidget(self.site_choice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self._fill_sites()
        self.resize(900, 480)

    def _fill_sites(self) -> None:
        self.site_choice.blockSignals(True)
        self.site_choice.clear()
        for change in self.changes:
            self.site_choice.addItem(f"{change.mine.name} ({len(change.fields)} field(s))", change.mine.id)
        self.site_choice.blockSignals(False)
        self._show_site()

    def current(self) -> curation.BundledChange | None:
        """The site shown."""
        row = self.site_choice.currentIndex()
        return self.changes[row] if 0 <= row < len(self.changes) else None

    def _show_site(self, _row: int = 0) -> None:
        change = self.current()
        self.choices = {}
        self.table.setRowCount(len(change.fields) if change else 0)
        self.apply_button.setEnabled(change is not None)
        if change is None:
            self.summary.setText("Nothing left to review: every site is settled.")
            return
        mine, theirs = change.mine.to_record(), change.bundle.to_record()
        for row, field in enumerate(change.fields):
            for column, text in enumerate((field, _text(mine[field]), _text(theirs[field]))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            choice = QComboBox()
            choice.addItems([KEEP_MINE, TAKE_BUNDLE])
            self.table.setCellWidget(row, 3, choice)
            self.choices[field] = choice
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.summary.setText(
            f"{len(self.changes)} site(s) to review; your values are kept unless you choose otherwise."
        )

    def apply(self) -> None:
        """Settle the site shown with the choices made; the next one is shown."""
        change = self.current()
        if change is None:
            return
        take = {field for field, choice in self.choices.items() if choice.currentText() == TAKE_BUNDLE}
        try:
            curation.resolve_bundled(self.catalog, change, take)
        except HeritageError as error:
            errors.show_error(self, error, "Review")
            return
        self.changes.remove(change)
        self.applied.emit(change.mine.id)
        self._fill_sites()


def _text(value) -> str:
    if isinstance(value, list):
        return "\n".join(f"{v['url']} | {v['supports']}" if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else str(value)
