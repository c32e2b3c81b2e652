"""Hostile import files: each one either imports or is refused with the app's own error and a
message, never a traceback, and a refused file leaves the catalog row for row as it was."""

import csv
import hashlib
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sites import importer
from sites.catalog import Catalog
from sites.errors import HeritageError
from sites.export import to_csv, to_geojson

TESLA = "nikola-tesla-museum"
TABLES = ("sites", "sources", "site_themes", "site_history", "sites_fts", "meta")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "catalog.db"
    Catalog.open(path).close()
    return path


def fingerprint(catalog: Catalog) -> str:
    """Every row of the catalog's tables, hashed: equal means row for row unchanged."""
    digest = hashlib.sha256()
    for table in TABLES:
        for row in catalog.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
            digest.update(repr(row).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def try_import(template: Path, name: str, content: str | bytes) -> str | None:
    """Import a file into a copy of the catalog; the refusal's message, or None if it imported.

    Fails the test on any error that is not the app's own, and on a refusal that changed the
    catalog.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.db"
        shutil.copyfile(template, path)
        file = Path(folder) / name
        if isinstance(content, str):
            file.write_text(content, encoding="utf-8", errors="surrogatepass")
        else:
            file.write_bytes(content)
        with Catalog.open(path, sync=False) as catalog:
            before = fingerprint(catalog)
            try:
                plan = importer.plan_import(catalog, file)
                importer.apply_import(catalog, plan)
            except HeritageError as error:
                assert str(error).strip(), "a refusal says why"
                assert fingerprint(catalog) == before, "a refused import changed the catalog"
                return str(error)
            assert catalog.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return None


def feature(**changes) -> dict:
    """A good feature of a new site, with some parts replaced."""
    record = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [20.4, 44.8]},
        "properties": {
            "id": "hostile-site", "name": "Hostile Site", "town": "Belgrade", "themes": ["tesla"],
            "summary": "A summary.", "sources": [{"url": "https://example.org/x", "supports": "all"}],
            "last_verified": "2026-11-01",
        },
    }  # fmt: skip
    for key, value in changes.items():
        if key in ("feature", "geometry", "properties"):
            record = value if key == "feature" else {**record, key: value}
        elif key == "coordinates":
            record["geometry"] = {"type": "Point", "coordinates": value}
        else:
            record["properties"] = {**record["properties"], key: value}
    return record


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def csv_text(**changes) -> str:
    fields = dict(id="hostile-site", name="Hostile Site", lat="44.8", lon="20.4", town="Belgrade",
                  themes="tesla", summary="A summary.", sources="https://example.org/x | all",
                  last_verified="2026-11-01")  # fmt: skip
    fields.update(changes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields))
    writer.writeheader()
    writer.writerow(fields)
    return buffer.getvalue()


HOSTILE: dict[str, tuple[str, Callable[[], str | bytes], str]] = {
    "feature-number": ("f.geojson", lambda: collection(42), "feature: is not a JSON object"),
    "feature-null": ("f.geojson", lambda: collection(None), "feature: is not a JSON object"),
    "geometry-string": ("f.geojson", lambda: collection(feature(geometry="POINT")), "geometry: is not"),
    "properties-list": ("f.geojson", lambda: collection(feature(properties=[1])), "properties: is not"),
    "coordinates-number": ("f.geojson", lambda: collection(feature(coordinates=20.4)), "coordinates must"),
    "coordinates-short": ("f.geojson", lambda: collection(feature(coordinates=[20.4])), "coordinates must"),
    "coordinates-text": ("f.geojson", lambda: collection(feature(coordinates=["x", "y"])), "not a number"),
    "name-number": ("f.geojson", lambda: collection(feature(name=7)), "name: must be text"),
    "id-list": ("f.geojson", lambda: collection(feature(id=["a"])), "id: must be text"),
    "id-object": ("f.geojson", lambda: collection(feature(id={"a": 1})), "id: must be text"),
    "source-without-url": ("f.geojson", lambda: collection(feature(sources=[{"supports": "x"}])), '"url"'),
    "source-number": ("f.geojson", lambda: collection(feature(sources=[5])), "source 1 must be"),
    "themes-number": ("f.geojson", lambda: collection(feature(themes=3)), "is not a theme id"),
    "lone-surrogate": ("f.geojson", lambda: collection(feature(name="Bad \ud800 name")), "lone surrogate"),
    "deep-nesting": ("f.geojson", lambda: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "5000-digits": ("f.geojson", lambda: collection(feature()).replace("44.8", "9" * 5000), "cannot be read"),
    "1e400": ("f.geojson", lambda: collection(feature()).replace("44.8", "1e400"), "not a finite number"),
    "nan-literal": ("f.geojson", lambda: collection(feature(lat=float("nan"))), "not a finite number"),
    "top-level-list": ("f.geojson", lambda: "[1, 2]", "not a GeoJSON FeatureCollection"),
    "control-name": ("f.geojson", lambda: collection(feature(name="Evil \x1b[31mred")), "U+001B"),
    "csv-lat-inf": ("f.csv", lambda: csv_text(lat="inf"), "lat: 'inf' is not a finite number"),
    "csv-visit-inf": ("f.csv", lambda: csv_text(visit_minutes="inf"), "is not a finite number"),
    "csv-long-field": ("f.csv", lambda: csv_text(summary="x" * 140_000), "longer than 131,072"),
    "csv-nul": ("f.csv", lambda: csv_text(name="a\x00b"), "f.csv"),
    "csv-extra-cells": ("f.csv", lambda: csv_text() + "a,b,c,d,e,f,g,h,i,j,k\n", "past the header"),
    "csv-not-utf8": ("f.csv", lambda: b"id,name\n\xff\xfe,x\n", "cannot be read"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_every_hostile_file_is_refused_with_a_clear_message(template, kind):
    name, make, said = HOSTILE[kind]
    message = try_import(template, name, make())
    assert message is not None and said in message, message
    assert "Traceback" not in message


def test_a_good_file_imports(template):
    assert try_import(template, "f.geojson", collection(feature())) is None
    assert try_import(template, "f.csv", csv_text()) is None


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
KEYS = st.sampled_from(["id", "name", "lat", "lon", "town", "themes", "sources", "summary",
                        "visit_minutes", "last_verified", "opening_hours", "website", "status"])  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.dictionaries(KEYS, JSON_VALUES, max_size=4),
    shape=st.sampled_from(["properties", "geometry", "feature", "coordinates", None]),
    odd=JSON_VALUES,
)
def test_any_malformed_geojson_row_imports_or_is_refused_in_words(template, changes, shape, odd):
    record = feature(**changes, **({shape: odd} if shape else {}))
    try_import(template, "f.geojson", collection(record))


ODD_CELLS = ["inf", "-inf", "nan", "1e400", "9" * 5000, "", " ", "=1+1", "'=x", "45,2", "Q0", "2026-13-40"]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
CELLS = TEXT | st.sampled_from(ODD_CELLS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.dictionaries(KEYS, CELLS, max_size=5))
def test_any_malformed_csv_row_imports_or_is_refused_in_words(template, changes):
    try_import(template, "f.csv", csv_text(**changes))


def test_an_export_imports_back_unchanged(template, tmp_path):
    path = tmp_path / "catalog.db"
    shutil.copyfile(template, path)
    with Catalog.open(path, sync=False) as catalog:
        sites = [replace(s, name=f"={s.name}") for s in catalog.sites()[:5]]
    assert try_import(template, "f.csv", to_csv(sites)) is None
    assert try_import(template, "f.geojson", to_geojson(sites)) is None
