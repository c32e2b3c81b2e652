"""The window's start on a catalog file that cannot be used (empty, cut short, garbled, another
program's database): the file is named with what is wrong, and the way out is offered in a
dialog (restore one of its backups, or start again from the bundled catalog), never a traceback
or a bug report. The damaged file is always kept beside, renamed, never deleted."""

import shlex
import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout

from app import errors
from sites import backups, health, paths
from sites.catalog import Catalog
from sites.errors import HeritageError, StorageError


def open_catalog(path: Path, parent=None) -> tuple[Catalog, str] | None:
    """Open the catalog at ``path`` for the window, with a sentence saying what was put right
    (empty when nothing was); None when the person chose to quit.

    A file that is not a sound catalog is checked page by page first (a few milliseconds), so
    damage is found here, before the window reads it, and the dialog asks what to do; after a
    restore or a fresh start the file is checked again. Raises StorageError for what a person
    must put right outside the app (a locked or read-only file).
    """
    done = ""
    while True:
        found = health.problem(path, thorough=True) if path.exists() else None
        if found is None:
            try:
                return Catalog.open(path), done
            except sqlite3.Error as error:
                raise StorageError.from_sqlite(error, str(path)) from error
        dialog = DamagedCatalogDialog(path, found, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        done = dialog.done_text


class DamagedCatalogDialog(QDialog):
    """What is wrong with the catalog file, its backups newest first, and three ways on:
    Restore the chosen backup, start from the bundled catalog, or Quit. Accepted once the file
    has been put right (the damaged one kept beside it); ``done_text`` says what was done."""

    def __init__(self, path: Path, problem: str, parent=None):
        super().__init__(parent)
        self.path = path
        self.done_text = ""
        self.setWindowTitle("The catalog cannot be used")
        self.items = backups.list_backups(path)
        self.list = QListWidget(objectName="damagedBackups")
        for item in self.items:
            self.list.addItem(f"{item.taken}  {item.name}  ({item.size // 1024} kB)")
        self.list.setCurrentRow(0)
        if self.items:
            advice = (
                "Restore one of its backups (the newest is chosen). The file as it is now is kept "
                "beside it, renamed, so nothing in it is lost."
            )
        else:
            advice = (
                "It has no backups. You can start again from the catalog that comes with Heritage "
                "Trails (the file as it is now is kept beside it, renamed), or quit and put it back yourself."
            )
        self.message = QLabel(
            f"The catalog {path} cannot be used: {problem}.\n\n{advice}",
            objectName="damagedMessage",
            wordWrap=True,
        )
        self.hint = QLabel(f"From a terminal: {restore_command(path)}", objectName="damagedHint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Quit")
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreDamaged")
        self.restore_button.setEnabled(bool(self.items))
        self.restore_button.setDefault(bool(self.items))
        self.restore_button.clicked.connect(self.restore)
        self.fresh_button = buttons.addButton(
            "Start from the bundled catalog", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.fresh_button.setObjectName("startFresh")
        self.fresh_button.clicked.connect(self.start_fresh)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        if self.items:
            layout.addWidget(self.list)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)

    def restore(self) -> None:
        """Put the chosen backup in the file's place; a backup that is itself damaged is named
        and the dialog stays open for another choice."""
        row = self.list.currentRow()
        if row < 0:
            return
        try:
            done = backups.restore_file(self.path, self.items[row].name)
        except (HeritageError, OSError) as error:
            errors.show_error(self, error, "Restore")
            return
        kept = f"; the file that was there is kept as {done.kept_aside}" if done.kept_aside else ""
        self.done_text = f"Restored the backup of {done.backup.taken}{kept}."
        self.accept()

    def start_fresh(self) -> None:
        """Move the file aside; opening the catalog then builds it from the bundled catalog."""
        try:
            kept = backups.set_aside(self.path)
        except OSError as error:
            errors.show_error(self, error, "Start again")
            return
        self.done_text = f"Started from the bundled catalog; the file that was there is kept as {kept}."
        self.accept()


def restore_command(path: Path) -> str:
    """The command that restores this catalog's newest backup (naming the file unless it is
    the user's own)."""
    if path.resolve() == paths.default_catalog_path().resolve():
        return "heritage-trails backup restore"
    return f"heritage-trails --db {shlex.quote(str(path))} backup restore"
