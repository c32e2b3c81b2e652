"""The command line: the traveler's, the operator's and the curator's commands."""

from app.cli.main import main

__all__ = ["main"]
