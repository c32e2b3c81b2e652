"""Files written whole or not at all, with the user's umask; ExportError names the file and says why."""

import os
import secrets
from pathlib import Path

from sites.errors import HeritageError

#: Create a new file, binary (on Windows too), never following an existing name.
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class ExportError(HeritageError):
    """A file could not be written; the message names it and says why."""


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write a file whole or not at all; ExportError says which file and why."""
    try:
        _write(Path(path), data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror or error}") from None


def _write(target: Path, payload: bytes) -> None:
    """Write to a temporary file beside ``target``, flush it to disk, then rename it into place.

    The temporary file is created with mode 0666 so the kernel applies the user's umask (an
    exported page or booklet is shared or served like any other file; ``mkstemp`` would make
    it owner-only). Raises OSError with nothing left behind.
    """
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            handle = os.open(temporary, _FLAGS, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
