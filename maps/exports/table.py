"""CSV for a spreadsheet: a row per stop."""

import csv
import io

from maps.exports.trip import Trip

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


def to_csv(trip: Trip) -> str:
    """A row per stop, for a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for day_index, number, stop, site in trip.stops():
        day = trip.itinerary.days[day_index]
        writer.writerow(
            [
                day_index + 1,
                day.date.isoformat(),
                number,
                site.id,
                site.name,
                f"{stop.arrive:%H:%M}",
                f"{stop.start:%H:%M}",
                f"{stop.leave:%H:%M}",
                round(stop.travel_seconds / 60),
                round(stop.travel_metres / 1000, 1),
                site.address or "",
                site.town,
                site.opening_hours or "",
                site.admission or "",
                site.wheelchair or "",
                site.lat,
                site.lon,
                site.us_connection,
                " ".join(s.url for s in site.sources),
            ]
        )
    return buffer.getvalue()
