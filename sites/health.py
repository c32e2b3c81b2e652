"""Whether a file is a catalog at all, told before SQLite touches it: an empty, cut-short or
garbled file, or another program's database, is named as such with the way out, rather than
opened as an empty catalog or failing later with SQLite's own words."""

import sqlite3
from pathlib import Path

from sites.errors import WAY_OUT, StorageError

_HEADER = b"SQLite format 3\x00"
#: The migration set every catalog records (see ``sites.schema``).
_MIGRATION_SET = "heritage_trails"


def problem(path: str | Path, *, thorough: bool = False) -> str | None:
    """What is wrong with an existing catalog file, in words, or None when it looks sound.

    Reads the file only (never creates or changes it). ``thorough`` also runs SQLite's
    ``quick_check`` over every page, which finds garbage in the middle of the file; the quick
    look reads the header and the list of tables.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as error:
        return f"it cannot be read ({error.strerror or error})"
    if size == 0:
        return "it is empty (0 bytes)"
    if not header.startswith(_HEADER) or len(header) < 100:
        return "it is not a SQLite database: its first bytes are something else"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages, counter, valid_for = (int.from_bytes(header[n : n + 4], "big") for n in (28, 24, 92))
    if counter == valid_for and pages and size < pages * page_size:
        return f"it is cut short ({size:,} of {pages * page_size:,} bytes)"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return f"it cannot be opened ({error})"
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if (
            "_sqlite_migrations" not in tables
            or not conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ?", [_MIGRATION_SET]
            ).fetchone()
        ):
            if not tables:
                return "it holds no tables at all"
            shown = ", ".join(sorted(tables)[:5])
            return f"it is another program's SQLite database (tables {shown}), not a Heritage Trails catalog"
        if thorough:
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if verdict != "ok":
                return f"SQLite finds it damaged ({' '.join(verdict.split())})"
    except sqlite3.Error as error:
        return f"SQLite finds it damaged ({error})"
    finally:
        conn.close()
    return None


def check(path: str | Path, *, thorough: bool = False) -> None:
    """Raise StorageError naming the file, what is wrong and the way out, unless it looks sound."""
    found = problem(path, thorough=thorough)
    if found is not None:
        raise StorageError(f"Catalog {path} cannot be used: {found}. To put it right, {WAY_OUT}")
