"""Backups of the catalog file with SQLite's online backup API: one before every import, the
last few kept, any of them restorable."""

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sites import paths
from sites.errors import NotFoundError, StorageError

KEEP = 5


@dataclass(frozen=True)
class Backup:
    """A backup file and when it was taken."""

    name: str
    path: Path
    taken: str
    size: int


def backup_dir(catalog_path: str | Path) -> Path:
    """Where a catalog's backups live: ``backups/`` beside the user's data."""
    folder = paths.backups_root() / Path(catalog_path).stem
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def take(conn: sqlite3.Connection, catalog_path: str | Path, reason: str = "backup") -> Backup:
    """Copy the live catalog to a new backup file (consistent even while others read it)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = backup_dir(catalog_path) / f"{stamp}-{reason}.db"
    try:
        target = sqlite3.connect(str(path))
        with target:
            conn.backup(target)
        target.close()
    except sqlite3.Error as error:
        path.unlink(missing_ok=True)
        raise StorageError.from_sqlite(error, str(path)) from None
    _prune(catalog_path)
    return _describe(path)


def list_backups(catalog_path: str | Path) -> list[Backup]:
    """The kept backups, newest first."""
    return [_describe(p) for p in sorted(backup_dir(catalog_path).glob("*.db"), reverse=True)]


def restore(conn: sqlite3.Connection, catalog_path: str | Path, name: str | None = None) -> Backup:
    """Put a backup (the newest if no name is given) back into the live catalog."""
    backups = list_backups(catalog_path)
    chosen = next((b for b in backups if name in (None, b.name, b.path.name)), None)
    if chosen is None:
        known = ", ".join(b.name for b in backups) or "none"
        raise NotFoundError(f"There is no backup {name!r}; backups are: {known}")
    take(conn, catalog_path, "before-restore")
    try:
        source = sqlite3.connect(str(chosen.path))
        source.backup(conn)
        source.close()
    except sqlite3.Error as error:
        raise StorageError.from_sqlite(error, str(catalog_path)) from None
    return chosen


def _prune(catalog_path) -> None:
    for old in sorted(backup_dir(catalog_path).glob("*.db"), reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)


def _describe(path: Path) -> Backup:
    stamp = path.stem[:15]
    taken = datetime.strptime(stamp, "%Y%m%d-%H%M%S").isoformat(sep=" ")
    return Backup(path.stem, path, taken, path.stat().st_size)
