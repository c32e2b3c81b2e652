"""The catalog as GeoJSON (RFC 7946) and CSV, every field included."""

import csv
import io
import json
from collections.abc import Sequence

from sites.models import RECORD_KEYS, Site


def to_geojson(sites: Sequence[Site]) -> str:
    """A FeatureCollection with a Point per site and every field as a property."""
    features = []
    for site in sites:
        properties = site.to_record()
        features.append(
            {
                "type": "Feature",
                "id": site.id,
                "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                "properties": properties,
            }
        )
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"
    )


def to_csv(sites: Sequence[Site]) -> str:
    """One row per site; themes joined with ``;``, sources as ``url|supports`` joined with `` ; ``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(RECORD_KEYS), lineterminator="\n")
    writer.writeheader()
    for site in sites:
        record = site.to_record()
        record["themes"] = ";".join(site.themes)
        record["sources"] = " ; ".join(f"{s.url}|{s.supports}" for s in site.sources)
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
    return buffer.getvalue()
