"""One error hierarchy, with messages fit to show a person.

Every error the app raises on purpose is a ``HeritageError``: ``str(error)`` is a sentence a
person can act on, and the window and the CLI show it as it is. Anything else is a bug (see
``app.errors``).
"""

import sqlite3

#: What to do about a catalog file that is damaged or not a catalog; the backups are kept apart.
WAY_OUT = "restore a backup: `heritage-trails backup restore` (`heritage-trails backup list` shows them)"


class HeritageError(Exception):
    """Base of every error the app raises on purpose, with a message a person can act on."""


class ValidationError(HeritageError):
    """A site record breaks a rule: a field is missing, out of range or malformed."""

    def __init__(self, problems: list[str], *, where: str = ""):
        self.problems = list(problems)
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(prefix + "; ".join(self.problems))


class NotFoundError(HeritageError):
    """A site, theme or trail id that the catalog does not hold."""


class StorageError(HeritageError):
    """The catalog file cannot be read or written: locked, read-only, full or damaged."""

    @classmethod
    def from_sqlite(cls, error: sqlite3.Error, path: str) -> Exception:
        """A sqlite3 error as the user's problem (locked, read-only, full, damaged...) with a
        message that names the file; any other is a bug and comes back as it is.

        Sorted by SQLite's own error name, as qutebrowser does, never by the message's text.
        """
        name = getattr(error, "sqlite_errorname", "") or ""
        reason = next((text for prefix, text in _KNOWN_SQLITE.items() if name.startswith(prefix)), None)
        if reason is None:
            return error
        return cls(f"Catalog {path}: {reason}")


#: SQLite's error names (``sqlite_errorname``) that are about the file or the machine, not a bug.
_KNOWN_SQLITE = {
    "SQLITE_BUSY": "another program is writing to it; try again in a moment",
    "SQLITE_LOCKED": "another program is writing to it; try again in a moment",
    "SQLITE_READONLY": "the file is read-only",
    "SQLITE_FULL": "the disk is full",
    "SQLITE_CORRUPT": f"the file is damaged; to put it right, {WAY_OUT}",
    "SQLITE_NOTADB": f"the file is not a catalog database; to put it right, {WAY_OUT}",
    "SQLITE_CANTOPEN": "the file cannot be opened (does its folder exist and can it be written?)",
    "SQLITE_IOERR": "the disk could not be read or written",
    "SQLITE_PERM": "the app is not allowed to use the file",
    "SQLITE_AUTH": "the app is not allowed to use the file",
    "SQLITE_NOLFS": "the file is too large for this system",
}
