"""One error hierarchy for the catalog, with messages fit to show a person."""


class CatalogError(Exception):
    """Base of every error the catalog raises on purpose.

    ``str(error)`` is a sentence a person can act on; the app shows it as it is.
    """


class ValidationError(CatalogError):
    """A site record breaks a rule: a field is missing, out of range or malformed."""

    def __init__(self, problems: list[str], *, where: str = ""):
        self.problems = list(problems)
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(prefix + "; ".join(self.problems))


class NotFoundError(CatalogError):
    """A site, theme or trail id that the catalog does not hold."""


class StorageError(CatalogError):
    """The catalog file cannot be read or written: locked, read-only, full or damaged."""

    @classmethod
    def from_sqlite(cls, error: Exception, path: str) -> "StorageError":
        """Turn a sqlite3 error into a message that says what happened to which file."""
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            reason = "another program is writing to it; try again in a moment"
        elif "readonly" in text or "read-only" in text:
            reason = "the file is read-only"
        elif "full" in text:
            reason = "the disk is full"
        elif "not a database" in text or "malformed" in text:
            reason = "the file is not a catalog database or is damaged"
        elif "unable to open" in text:
            reason = "the file cannot be opened (does its folder exist and can it be written?)"
        else:
            reason = str(error)
        return cls(f"Catalog {path}: {reason}")
