"""Files written whole or not at all, with the user's umask; ExportError names the file and says why."""

from pathlib import Path

from sites import files
from sites.errors import HeritageError


class ExportError(HeritageError):
    """A file could not be written; the message names it and says why."""


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write a file whole or not at all (``sites.files.write_atomically``: a temporary name, then
    a rename; symlinks written through, FIFOs and devices refused, the umask's permissions);
    ExportError says which file and why."""
    try:
        files.write_atomically(path, data)
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror or error}") from None
