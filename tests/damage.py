"""Ways a catalog file gets damaged on a user's disk, by name: what the damaged-catalog tests
of the window and of the command line both inflict."""

import sqlite3
from pathlib import Path


def _garbage_inside(path: Path) -> None:
    """Pages in the middle overwritten: the file still starts as SQLite."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page * 8, len(data) - page, page * 3):
        data[start : start + page] = b"\xa5" * page
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    """Another program's SQLite database in the catalog's place."""
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sites (id TEXT)")
    conn.commit()
    conn.close()


DAMAGES = {
    "empty": lambda path: path.write_bytes(b""),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:20_000]),
    "garbage": lambda path: path.write_bytes(b"\x00garbage" * 1000),
    "garbage-inside": _garbage_inside,
    "foreign": _foreign,
}
