"""Every path the app uses, in one place, so tests can redirect them all."""

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "heritage-trails"

#: Set this to a folder to keep all user data there (tests and portable installs do).
DATA_DIR_ENV = "HERITAGE_TRAILS_DATA_DIR"


def data_dir() -> Path:
    """The folder of the user's data (the catalog database, saved trips), created on demand."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """The folder of files the app can rebuild at any time (rendered maps)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override) / "cache"
    else:
        path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_catalog_path() -> Path:
    """The user's catalog database."""
    return data_dir() / "catalog.db"


def resource_dir() -> Path:
    """The bundled resources shipped with the app."""
    return Path(str(resources.files("resources")))


def bundled_catalog_dir() -> Path:
    """The bundled catalog as diffable text (see resources/catalog/README.md)."""
    return resource_dir() / "catalog"


# -- the user's files, each named once ---------------------------------------------------------


def settings_path() -> Path:
    """The window's remembered state (size, splitters, filters, curator mode)."""
    return data_dir() / "settings.ini"


def trips_path() -> Path:
    """Saved trips (plain SQLite)."""
    return data_dir() / "trips.db"


def operator_profile_path() -> Path:
    """The tour operator's branding for PDF and HTML exports."""
    return data_dir() / "operator-profile.json"


def unsaved_edit_path() -> Path:
    """A curator's edit in progress, kept as it is typed so a crash loses nothing."""
    return data_dir() / "unsaved-site-edit.json"


def backups_root() -> Path:
    """The folder of catalog backups (one subfolder per catalog file)."""
    return data_dir() / "backups"


def error_log_path() -> Path:
    """Where unexpected errors (bugs) are logged with their traceback."""
    return data_dir() / "errors.log"


def map_page_path(window_id: str) -> Path:
    """The rendered map page of one open window (rebuilt at will; removed when it closes)."""
    return cache_dir() / f"map-{window_id}.html"
