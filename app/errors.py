"""One error policy for the window and the command line.

A *known* error (``HeritageError`` and its kinds, or an ``OSError`` about a file) is the user's
to act on: its message is shown as it is. Anything else is a bug: its traceback goes to the
error log in the data folder, and the person sees a short report that says where it is.
Every message box the app shows about a failure goes through ``show_error``.
"""

import sqlite3
import traceback
from datetime import UTC, datetime

from sites import paths
from sites.errors import HeritageError, StorageError


def is_known(error: BaseException) -> bool:
    """True for errors whose message a person can act on."""
    return isinstance(error, HeritageError | OSError)


def describe(error: BaseException) -> str:
    """The sentence to show for an error; a bug is logged first and the log named."""
    if isinstance(error, HeritageError):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    if isinstance(error, sqlite3.Error):
        # A catalog damaged while the window is open is met by whatever step reads it next:
        # the file's problem, told as such, not a bug.
        known = StorageError.from_sqlite(error, "in use")  # "Catalog in use: the file is damaged…"
        if isinstance(known, StorageError):
            return str(known)
    log = log_bug(error)
    return (
        f"Something went wrong inside Heritage Trails ({type(error).__name__}). "
        f"Nothing was changed by the step that failed. The details are in {log}; "
        "please send that file with a note of what you were doing."
    )


def log_bug(error: BaseException) -> str:
    """Append an unexpected error's traceback to the error log; returns the log's path."""
    path = paths.error_log_path()
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {stamp}\n{''.join(lines)}\n")
    except OSError:
        return "(the error log could not be written)"
    return str(path)


def show_error(parent, error: BaseException | str, title: str = "Heritage Trails") -> str:
    """Tell the person what went wrong, in a message box over ``parent``; returns the text."""
    from PySide6.QtWidgets import QMessageBox

    text = error if isinstance(error, str) else describe(error)
    QMessageBox.warning(parent, title, text)
    return text


def ask(parent, title: str, question: str) -> bool:
    """A yes/no question; True when the person says yes."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes


def tell(parent, title: str, text: str) -> None:
    """A plain notice that needs acknowledging."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, title, text)
