"""An itinerary in the formats travelers and tour operators already use, one module per format.

GPX 1.1 (``gpx``), KML (``kml``), GeoJSON (``geojson``), iCalendar (``ics``), CSV (``table``), a
standalone HTML page (``webpage``) and a PDF booklet (``booklet``). ``trip`` holds what every
writer reads, ``profile`` an operator's branding. Every file is written to a temporary name and
renamed into place, so a failure never leaves half a file behind.

The booklet and the page are imported at their first use: ReportLab and folium take a second to
import, and the window, which reads ``timetable`` from here, starts without them.
"""

import importlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maps.exports.geojson import to_geojson
from maps.exports.gpx import to_gpx
from maps.exports.ics import to_ics
from maps.exports.kml import to_kml
from maps.exports.output import ExportError, write_atomically
from maps.exports.profile import OperatorProfile, default_profile, save_profile
from maps.exports.table import to_csv
from maps.exports.trip import Trip, fit_for_files, slug, trip_for
from maps.options import FORMATS, PAGE_SIZES

__all__ = [
    "FORMATS",
    "PAGE_SIZES",
    "ExportError",
    "OperatorProfile",
    "Trip",
    "default_profile",
    "export_trip",
    "parse_formats",
    "save_profile",
    "to_csv",
    "to_geojson",
    "to_gpx",
    "to_html",
    "to_ics",
    "to_kml",
    "to_pdf",
    "trip_for",
]

if TYPE_CHECKING:
    from maps.exports.booklet import to_pdf
    from maps.exports.webpage import to_html

Writer = Callable[[Trip], str | bytes]
_LATER = {"to_pdf": "maps.exports.booklet", "to_html": "maps.exports.webpage"}


def __getattr__(name: str) -> Any:
    """``to_pdf`` and ``to_html``, from their modules at the first use."""
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_LATER[name]), name)


def _later(name: str) -> Writer:
    """A writer that imports its module when it first writes."""
    return lambda trip: __getattr__(name)(trip)


#: Each format's writer, in the order files are written (and the extension it takes).
WRITERS: dict[str, Writer] = {
    "pdf": _later("to_pdf"),
    "gpx": to_gpx,
    "kml": to_kml,
    "geojson": to_geojson,
    "ics": to_ics,
    "csv": to_csv,
    "html": _later("to_html"),
}
assert tuple(WRITERS) == FORMATS, "a writer for every format offered"


def parse_formats(text: str) -> list[str]:
    """Formats from a comma-separated list; ExportError names the unknown ones."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in WRITERS]
    if unknown or not wanted:
        raise ExportError(
            f"Unknown format(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(wanted))


def export_trip(
    trip: Trip,
    formats: Sequence[str],
    folder: str | Path,
    progress: Callable[[str, Path], None] | None = None,
    *,
    page_size: str | None = None,
) -> list[Path]:
    """Write a trip in each format into a folder (the PDF on ``page_size`` when given, else
    the trip's); returns the files written, in order.

    Every text goes in fit for files (``fit_for_files``): a control character in a name from an
    old catalog or a trip JSON never breaks the XML of a GPX or KML, a calendar or a PDF."""
    trip = fit_for_files(replace(trip, page_size=page_size) if page_size else trip)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"Cannot write to {folder}: {error.strerror or error}") from None
    written = []
    base = slug(trip.itinerary.request.name)
    for name in formats:
        path = folder / f"{base}.{name}"
        write_atomically(path, WRITERS[name](trip))
        written.append(path)
        if progress:
            progress(name, path)
    return written
