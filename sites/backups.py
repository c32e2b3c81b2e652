"""Backups of the catalog file with SQLite's online backup API: one before every import, the
last few kept, any of them restorable.

Each catalog file has its own folder of backups, named from its full path, so a second catalog
(``--db``) never prunes or restores the user's own. A restore works from a copy of the chosen
backup taken first (pruning cannot remove it half-way), never creates an empty file where one is
missing, and works when the catalog file itself is damaged: the damaged file is moved aside and
the backup copied in its place.
"""

import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sites import health, paths
from sites.errors import NotFoundError, StorageError

KEEP = 5
_NAME = re.compile(r"^(\d{8}-\d{6})-\d{6}-[a-z-]+$")


@dataclass(frozen=True)
class Backup:
    """A backup file and when it was taken."""

    name: str
    path: Path
    taken: str
    size: int


@dataclass(frozen=True)
class Restored:
    """A restore done: the backup put back, and where a damaged catalog file was moved (if any)."""

    backup: Backup
    kept_aside: Path | None = None


def backup_dir(catalog_path: str | Path) -> Path:
    """Where a catalog's backups live: ``backups/<stem>-<hash of its full path>/`` beside the
    user's data (backups of the user's own catalog taken before folders had the hash move in)."""
    resolved = Path(catalog_path).resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    folder = paths.backups_root() / f"{resolved.stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    _adopt_old_folder(resolved, folder)
    return folder


def take(
    conn: sqlite3.Connection, catalog_path: str | Path, reason: str = "backup", *, keep: Path | None = None
) -> Backup:
    """Copy the live catalog to a new backup file (consistent even while others read it).

    The oldest backups past the last ``KEEP`` are removed, except ``keep``.
    """
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
    _prune(catalog_path, keep)
    return _describe(path)


def list_backups(catalog_path: str | Path) -> list[Backup]:
    """The kept backups, newest first (the catalog file itself is not read)."""
    return [_describe(p) for p in _files(catalog_path)]


def restore(conn: sqlite3.Connection, catalog_path: str | Path, name: str | None = None) -> Backup:
    """Put a backup (the newest if no name is given) back into an open, sound catalog; the
    catalog as it is now is backed up first."""
    chosen = _choose(catalog_path, name)
    with _checked_copy(chosen) as copy:
        take(conn, catalog_path, "before-restore", keep=chosen.path)
        try:
            source = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
            try:
                source.backup(conn)
            finally:
                source.close()
        except sqlite3.Error as error:
            raise StorageError.from_sqlite(error, str(catalog_path)) from None
    return chosen


def restore_file(catalog_path: str | Path, name: str | None = None) -> Restored:
    """Restore a backup into a catalog file that is not open here, whatever state it is in.

    A sound catalog is backed up first and restored into with SQLite (other readers stay
    consistent); a damaged, foreign or empty file is moved aside (``<name>.damaged-<time>``)
    and the backup copied in its place; a missing file is simply created from the backup.
    """
    path = Path(catalog_path)
    chosen = _choose(path, name)
    if path.exists() and health.problem(path, thorough=True) is None:
        conn = sqlite3.connect(str(path))
        try:
            return Restored(restore(conn, path, chosen.name))
        finally:
            conn.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, part = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    kept_aside = None
    try:
        with _checked_copy(chosen) as copy:
            shutil.copyfile(copy, part)
        if path.exists():
            kept_aside = set_aside(path)
        os.replace(part, path)
    finally:
        Path(part).unlink(missing_ok=True)
    return Restored(chosen, kept_aside)


def set_aside(catalog_path: str | Path) -> Path:
    """Move a damaged catalog file (with its ``-wal`` and ``-shm``) out of the way, to
    ``<name>.damaged-<time>`` beside it, so nothing in it is lost; returns where it went."""
    path = Path(catalog_path)
    kept_aside = path.with_name(f"{path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
    os.replace(path, kept_aside)
    for suffix in ("-wal", "-shm"):
        leftover = Path(f"{path}{suffix}")
        if leftover.exists():
            os.replace(leftover, Path(f"{kept_aside}{suffix}"))
    return kept_aside


def _choose(catalog_path: str | Path, name: str | None) -> Backup:
    backups = list_backups(catalog_path)
    chosen = next((b for b in backups if name in (None, b.name, b.path.name)), None)
    if chosen is None:
        known = ", ".join(b.name for b in backups) or "none"
        raise NotFoundError(f"There is no backup {name!r}; backups are: {known}")
    return chosen


@contextmanager
def _checked_copy(backup: Backup) -> Iterator[Path]:
    """A private copy of a backup beside the catalog's backups, checked to be a sound catalog;
    removed on leaving."""
    handle, name = tempfile.mkstemp(dir=backup.path.parent, prefix=".restoring-", suffix=".tmp")
    os.close(handle)
    copy = Path(name)
    try:
        try:
            shutil.copyfile(backup.path, copy)
        except OSError as error:
            raise StorageError(f"Backup {backup.name} cannot be copied: {error.strerror}") from None
        found = health.problem(copy, thorough=True)
        if found is not None:
            raise StorageError(f"Backup {backup.name} cannot be restored: {found}; choose another")
        yield copy
    finally:
        copy.unlink(missing_ok=True)


def _files(catalog_path: str | Path) -> list[Path]:
    """Backup files, newest first; anything else in the folder is left alone."""
    found = [p for p in backup_dir(catalog_path).glob("*.db") if _NAME.match(p.stem)]
    return sorted(found, reverse=True)


def _prune(catalog_path: str | Path, keep: Path | None = None) -> None:
    for old in _files(catalog_path)[KEEP:]:
        if old != keep:
            old.unlink(missing_ok=True)


def _adopt_old_folder(resolved: Path, folder: Path) -> None:
    """Move the user's own catalog's backups from the folder named by stem alone, if any."""
    old = paths.backups_root() / resolved.stem
    if not old.is_dir() or resolved != paths.default_catalog_path().resolve():
        return
    for file in old.glob("*.db"):
        if _NAME.match(file.stem) and not (folder / file.name).exists():
            os.replace(file, folder / file.name)


def _describe(path: Path) -> Backup:
    match = _NAME.match(path.stem)
    assert match is not None, "only files named as backups are listed"
    taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").isoformat(sep=" ")
    return Backup(path.stem, path, taken, path.stat().st_size)
