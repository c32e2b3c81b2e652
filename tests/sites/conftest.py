"""Catalog files the tests of ``sites`` write to: each built from the bundle in its own folder."""

import pytest

from sites.catalog import Catalog


@pytest.fixture
def path(tmp_path):
    """A catalog file built from the bundle and closed, for tests that open it as the app would."""
    path = tmp_path / "catalog.db"
    Catalog.open(path).close()
    return path


@pytest.fixture
def catalog(tmp_path):
    """A catalog built from the bundle and open for writing (a test module may give its own)."""
    catalog = Catalog.open(tmp_path / "catalog.db")
    yield catalog
    catalog.close()
