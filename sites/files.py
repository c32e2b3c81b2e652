"""Writing files so that a failure never leaves a half-written file under the final name."""

import errno
import os
import stat
import tempfile
from pathlib import Path

#: What a path that is not a regular file is, in words.
_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def write_atomically(path: str | Path, data: str | bytes) -> Path:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it into place.

    A symlink is written through: its target gets the new content and the link stays. A FIFO,
    device, socket or folder is refused (OSError naming it) and left alone. The new file has
    the permissions a newly created file gets (the umask's: 0644 under umask 022), or keeps
    those of the file it replaces. Raises OSError naming ``path`` (disk full, folder not
    writable...) with nothing left behind. Returns the path written (the symlink's target for a symlink).
    """
    target = Path(os.path.realpath(path))
    mode = _mode_for(target, Path(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:  # named as the file asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.filename is None:  # a full disk, a failing write: say which file it was
            raise OSError(error.errno, f"{error.strerror or error}; nothing was written", str(path)) from None
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _mode_for(target: Path, given: Path) -> int:
    """The permissions the written file gets; raises OSError for what is not a regular file."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return 0o666 & ~_umask()
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise OSError(errno.EINVAL, f"it is {kind}, not a file; choose a file to write", str(given))
    return stat.S_IMODE(info.st_mode)


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
