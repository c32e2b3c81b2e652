"""The offline base map's data (``resources/basemap/region.json``), for the map page and for any
other drawing of the region (the booklet's maps can draw the same land, water and borders).
"""

import json
from dataclasses import dataclass
from functools import cache

from sites import geography, paths


@dataclass(frozen=True)
class Place:
    """A named place of the base map: Serbia's towns (GeoNames) and its neighbours' (Natural Earth)."""

    name: str
    lat: float
    lon: float
    population: int


@cache
def region() -> dict[str, dict]:
    """The base map's layers as GeoJSON FeatureCollections, clipped to the box around Serbia:
    ``land`` and ``sea`` (polygons), ``borders`` (lines, ``kind``), ``lakes`` (polygons, ``name``),
    ``rivers`` (lines, ``name`` and Natural Earth's ``rank``, 0 for the largest), ``countries``
    (label points, ``name`` and ``code``) and ``places`` (points, ``name`` and ``population``)."""
    path = paths.resource_dir() / "basemap" / "region.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def places() -> tuple[Place, ...]:
    """Every named place of the base map, largest first."""
    neighbours = (
        Place(
            f["properties"]["name"],
            f["geometry"]["coordinates"][1],
            f["geometry"]["coordinates"][0],
            f["properties"]["population"],
        )
        for f in region()["places"]["features"]
    )
    serbian = (Place(t.name, t.lat, t.lon, t.population) for t in geography.towns())
    return tuple(sorted([*serbian, *neighbours], key=lambda p: -p.population))
