"""Files written whole or not at all; ExportError names the file and says why."""

from pathlib import Path

from sites import files
from sites.errors import HeritageError


class ExportError(HeritageError):
    """A file could not be written; the message names it and says why."""


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write a file whole or not at all; ExportError says which file and why."""
    try:
        files.write_atomically(path, data)
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror or error}") from None
