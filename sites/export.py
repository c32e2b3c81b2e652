"""The catalog as GeoJSON (RFC 7946) and CSV, every field included; CSV cells a spreadsheet
would run as a formula are guarded."""

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
    """One row per site; themes joined with ``;``, sources as ``url | supports`` joined with `` ; ``
    (a URL holds no space, so one that holds "|" reads back whole)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(RECORD_KEYS), lineterminator="\n")
    writer.writeheader()
    for site in sites:
        record = site.to_record()
        record["themes"] = ";".join(site.themes)
        record["sources"] = " ; ".join(f"{s.url} | {s.supports}" for s in site.sources)
        writer.writerow({k: _cell(k, v) for k, v in record.items()})
    return buffer.getvalue()


#: A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Columns written as numbers: a minus there is a sign, not a formula.
_NUMBER_COLUMNS = ("lat", "lon", "visit_minutes", "prominence")


def _cell(column: str, value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a text cell starting with a formula
    character (or with the quote that marks one) gets a leading ``'``, which the import
    removes again (``unquote_cell``)."""
    if value is None:
        return ""
    if column in _NUMBER_COLUMNS or not isinstance(value, str):
        return value
    return "'" + value if value.startswith((*FORMULA_STARTS, "'")) else value


def unquote_cell(text: str) -> str:
    """A cell as ``to_csv`` was given it: the ``'`` that guards a formula character dropped."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text
