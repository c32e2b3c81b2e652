"""The catalog of heritage sites: domain objects, the SQLite store, search and validation."""

import sys


def _import_sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils with pandas hidden from it. sqlite-utils imports pandas when it is
    installed (the route planner brings it), only to store pandas' timestamps, which no catalog
    holds; that import is most of a second of every start. pandas is back for whoever needs it."""
    if "pandas" in sys.modules or "sqlite_utils" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # what the import system reads as "not installed"
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]


_import_sqlite_utils_without_pandas()

from sites.catalog import Catalog  # noqa: E402
from sites.errors import HeritageError, NotFoundError, StorageError, ValidationError  # noqa: E402
from sites.models import SearchResult, Site, SiteFilter, Source, Theme  # noqa: E402

__all__ = [
    "Catalog",
    "HeritageError",
    "NotFoundError",
    "SearchResult",
    "Site",
    "SiteFilter",
    "Source",
    "StorageError",
    "Theme",
    "ValidationError",
]
