"""Serbia's geography from real data: its outline (Natural Earth), its towns (GeoNames) and
the gazetteer of the towns the catalog names; used to check where a site is said to be and to
draw the offline base map."""

import json
from dataclasses import dataclass
from functools import cache

import shapely
from shapely.geometry import shape

from sites import paths

#: How far outside the (simplified) outline a site may lie before a curator is warned.
OUTLINE_TOLERANCE_KM = 2.0


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


@cache
def gazetteer() -> dict[str, dict]:
    """The catalog's towns (resources/catalog/towns.json): centre, radius and source."""
    path = paths.bundled_catalog_dir() / "towns.json"
    return {t["name"]: t for t in json.loads(path.read_text(encoding="utf-8"))}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def place_warnings(lat: float, lon: float, town: str) -> list[str]:
    """Warnings for a point outside Serbia's outline or far from the town it names."""
    warnings = []
    outline_shape = outline()
    if not shapely.contains_xy(outline_shape, lon, lat):
        off = shapely.distance(outline_shape, shapely.Point(lon, lat)) * 111.32
        if off > OUTLINE_TOLERANCE_KM:
            warnings.append(f"{lat:.5f}, {lon:.5f} lies about {off:.0f} km outside Serbia's border")
    known = gazetteer().get(town)
    centre = (known["lat"], known["lon"], known["radius_km"]) if known else None
    if centre is None:
        match = next((t for t in towns() if t.name == town), None)
        centre = (match.lat, match.lon, 10) if match else None
    if centre is not None:
        km = distance_km(lat, lon, centre[0], centre[1])
        if km > centre[2]:
            warnings.append(f"{km:.0f} km from the centre of {town} (more than {centre[2]} km)")
    return warnings
