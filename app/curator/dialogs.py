"""Curators' dialogs: preview and apply an import, restore a backup, and review what the bundled
catalog changed in sites a curator had edited."""

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
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
    """Apply a checked import off the GUI thread (its own connection to the catalog file)."""

    def __init__(self, catalog_path: str, path: Path, actions: dict[int, str]):
        super().__init__()
        self.catalog_path, self.path, self.actions = catalog_path, path, actions
        self.signals = ImportSignals()

    def run(self) -> None:
        try:
            with Catalog.open(self.catalog_path, sync=False) as catalog:
                plan = importer.plan_import(catalog, self.path)
                for row in plan.rows:
                    row.action = self.actions.get(row.number, row.action)
                done = importer.apply_import(catalog, plan)
        except HeritageError as error:
            self.signals.failed.emit(str(error))
            return
        self.signals.done.emit(done)


class ImportDialog(QDialog):
    """Every row of a file with its problems and likely duplicate; apply all or nothing."""

    imported = Signal(dict)

    def __init__(self, catalog: Catalog, path: str | Path, parent=None):
        super().__init__(parent)
        self.catalog, self.path = catalog, Path(path)
        self.setWindowTitle(f"Import {self.path.name}")
        self.plan = importer.plan_import(catalog, self.path)
        self.table = QTableWidget(len(self.plan.rows), 5, objectName="importTable")
        self.table.setHorizontalHeaderLabels(["Row", "Site", "Action", "Like existing", "Problems"])
        self.action_choices: dict[int, QComboBox] = {}
        for n, row in enumerate(self.plan.rows):
            cells = [
                str(row.number),
                row.site.id if row.site else "?",
                "",
                row.duplicate_of or "",
                "\n".join(f"{c}: {m}" for c, m in row.problems),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if row.problems:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(n, column, item)
            if row.site and not row.problems:
                choice = QComboBox()
                choice.addItems(["add", "merge", "skip"] if row.duplicate_of else ["add", "skip"])
                choice.setCurrentText(row.action)
                self.table.setCellWidget(n, 2, choice)
                self.action_choices[row.number] = choice
        self.table.resizeColumnsToContents()
        bad = len(self.plan.bad_rows)
        self.summary = QLabel(objectName="importSummary", wordWrap=True)
        self.summary.setText(
            f"{bad} of {len(self.plan.rows)} rows have problems: fix the file and import it again. "
            "Nothing is changed."
            if bad
            else f"{len(self.plan.rows)} rows are ready. New sites arrive as drafts; a backup is taken first."
        )
        self.progress = QProgressBar(textVisible=False)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("applyImport")
        self.apply_button.setEnabled(bad == 0)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.resize(900, 480)

    def apply(self) -> None:
        """Import off the GUI thread; the dialog closes when it is done."""
        actions = {number: box.currentText() for number, box in self.action_choices.items()}
        job = ImportJob(self.catalog.path, self.path, actions)
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
