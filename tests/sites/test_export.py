"""Catalog exports, read back with parsers we did not write."""

import csv
import io
import json

from shapely.geometry import shape

from sites.export import to_csv, to_geojson
from sites.models import RECORD_KEYS


def test_geojson_has_a_feature_per_site_with_every_field(bundled_catalog):
    sites = bundled_catalog.sites()
    collection = json.loads(to_geojson(sites))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(sites)
    for feature, site in zip(collection["features"], sites, strict=True):
        point = shape(feature["geometry"])
        assert (point.x, point.y) == (site.lon, site.lat)  # RFC 7946: longitude first
        assert set(feature["properties"]) == set(RECORD_KEYS)
        assert feature["properties"]["sources"][0]["url"] == site.sources[0].url


def test_csv_has_a_row_per_site(bundled_catalog):
    sites = bundled_catalog.sites()
    rows = list(csv.DictReader(io.StringIO(to_csv(sites))))
    assert len(rows) == len(sites)
    assert rows[0]["id"] == sites[0].id
    assert rows[0]["themes"].split(";") == list(sites[0].themes)
    assert float(rows[0]["lat"]) == sites[0].lat
