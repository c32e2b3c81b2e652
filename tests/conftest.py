"""Every test runs with its own data folder, offscreen, and with no map tiles (no network)."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HERITAGE_TRAILS_OFFLINE"] = "1"

from app.environment import prepare_qt
from sites import paths
from sites.catalog import Catalog

prepare_qt()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Redirect the user's data and cache folders to a temporary folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture(scope="session")
def bundled_catalog(tmp_path_factory) -> Catalog:
    """The bundled catalog, built once into a real SQLite file (read-only use)."""
    path = tmp_path_factory.mktemp("bundled") / "catalog.db"
    catalog = Catalog.open(path)
    yield catalog
    catalog.close()
