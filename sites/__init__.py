"""The catalog of heritage sites: domain objects, the SQLite store, search and validation."""

from sites.catalog import Catalog
from sites.errors import HeritageError, NotFoundError, StorageError, ValidationError
from sites.models import SearchResult, Site, SiteFilter, Source, Theme

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
