"""The offline base layer: Serbia's outline (Natural Earth) and its towns (GeoNames)."""

import json
from dataclasses import dataclass
from functools import cache

import shapely
from shapely.geometry import shape

from sites import paths


@dataclass(frozen=True)
class Town:
    """A town of the base layer."""

    name: str
    lat: float
    lon: float
    population: int


def _read(name: str) -> dict:
    return json.loads((paths.resource_dir() / "basemap" / name).read_text(encoding="utf-8"))


@cache
def outline_geojson() -> dict:
    """Serbia's outline as a GeoJSON FeatureCollection."""
    return _read("serbia.geojson")


@cache
def outline() -> shapely.Geometry:
    """Serbia's outline as a shapely geometry, prepared for fast point tests."""
    geometry = shape(outline_geojson()["features"][0]["geometry"])
    shapely.prepare(geometry)
    return geometry


@cache
def towns() -> tuple[Town, ...]:
    """The towns of Serbia with 15,000 or more people, largest first."""
    return tuple(
        Town(
            name=f["properties"]["name"],
            lon=f["geometry"]["coordinates"][0],
            lat=f["geometry"]["coordinates"][1],
            population=f["properties"]["population"],
        )
        for f in _read("towns.geojson")["features"]
    )
