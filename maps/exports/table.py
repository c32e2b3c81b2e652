"""CSV for a spreadsheet: a row per visit, lunch and free day.

UTF-8 with a byte-order mark, so Excel reads "Galovića" rather than "GaloviÄ‡a"; a text cell
that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return)
starts with an apostrophe, so catalog text can never run as one (OWASP's CSV injection advice).
"""

import csv
import io

from maps.exports.timetable import Kind, day_lines, is_next_door
from maps.exports.trip import Trip, street
from maps.planning.itinerary import PlannedStop
from sites.models import Site

CSV_COLUMNS = (
    "day",
    "date",
    "order",
    "site_id",
    "name",
    "arrive",
    "start",
    "leave",
    "travel_minutes",
    "travel_km",
    "address",
    "town",
    "opening_hours",
    "admission",
    "wheelchair",
    "lat",
    "lon",
    "us_connection",
    "sources",
)
BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def to_csv(trip: Trip) -> str:
    """A row per visit, with lunch and free days as rows of their own in time order. The
    arrival is filled in only when it differs from the start (a wait for opening), and the
    travel only when there is a journey (not for the site next door)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for day in trip.itinerary.days:
        for line in day_lines(day):
            when = [day.index + 1, day.date.isoformat()]
            if line.kind in (Kind.LUNCH, Kind.FREE):
                times = [f"{line.start:%H:%M}", f"{line.end:%H:%M}"] if line.start and line.end else ["", ""]
                writer.writerow([*when, "", "", line.text, "", *times, *[""] * (len(CSV_COLUMNS) - 8)])
            elif line.kind is Kind.VISIT and line.stop:
                visit = _visit(line.stop, trip.sites[line.stop.site_id])
                writer.writerow([*when, line.number, *map(neutralise, visit)])
    return buffer.getvalue()


def neutralise(cell):
    """A cell as a spreadsheet should show it: text that would start a formula gets a leading
    apostrophe (numbers are left as they are)."""
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(_FORMULA) else cell


def _visit(stop: PlannedStop, site: Site) -> list:
    """A visit's columns from site_id on."""
    journey = not is_next_door(stop.travel_seconds, stop.travel_metres)
    return [
        site.id,
        site.name,
        f"{stop.arrive:%H:%M}" if stop.start > stop.arrive else "",
        f"{stop.start:%H:%M}",
        f"{stop.leave:%H:%M}",
        round(stop.travel_seconds / 60) if journey else "",
        round(stop.travel_metres / 1000, 1) if journey else "",
        street(site),
        site.town,
        site.opening_hours or "",
        site.admission or "",
        site.wheelchair or "",
        site.lat,
        site.lon,
        site.us_connection,
        " ".join(s.url for s in site.sources),
    ]
