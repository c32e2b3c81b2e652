"""An itinerary in the formats travelers and tour operators already use.

GPX 1.1 (gpxpy), KML (simplekml), GeoJSON (RFC 7946), iCalendar (icalendar), CSV, a
standalone HTML map and a PDF booklet (see ``maps.booklet``). Every file is written to a
temporary name and renamed into place, so a failure never leaves half a file behind.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from maps.render import DAY_COLOURS, render_map, route_data
from maps.trips import Itinerary, PlannedStop
from sites import files
from sites.errors import CatalogError
from sites.folding import fold
from sites.models import Site, Theme

FORMATS = ("pdf", "gpx", "kml", "geojson", "ics", "csv", "html")
CREATOR = "Heritage Trails"


class ExportError(CatalogError):
    """A file could not be written; the message names it and says why."""


@dataclass(frozen=True)
class OperatorProfile:
    """A tour operator's branding, carried by PDF and HTML exports."""

    name: str = ""
    contact: str = ""
    footer: str = ""
    logo: str | None = None  # path to a PNG or JPEG

    @classmethod
    def load(cls, path: str | Path) -> "OperatorProfile":
        """Read a profile from a JSON file with the keys name, contact, footer and logo."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            profile = cls(
                name=data.get("name", ""),
                contact=data.get("contact", ""),
                footer=data.get("footer", ""),
                logo=data.get("logo") or None,
            )
        except (OSError, json.JSONDecodeError, TypeError, AttributeError) as error:
            raise ExportError(f"Operator profile {path}: cannot be read ({error})") from None
        if profile.logo and not Path(profile.logo).is_absolute():
            profile = OperatorProfile(
                profile.name, profile.contact, profile.footer, str(path.parent / profile.logo)
            )
        if profile.logo and not Path(profile.logo).exists():
            raise ExportError(f"Operator profile {path}: the logo {profile.logo} does not exist")
        return profile


@dataclass(frozen=True)
class Trip:
    """What every writer needs: the plan, the catalog entries of its stops, the themes."""

    itinerary: Itinerary
    sites: dict[str, Site]
    themes: Sequence[Theme] = ()
    profile: OperatorProfile = OperatorProfile()

    def stops(self) -> Iterable[tuple[int, int, PlannedStop, Site]]:
        """(day index, number within the day, stop, site) for every stop, in order."""
        for day in self.itinerary.days:
            for number, stop in enumerate(day.stops, start=1):
                yield day.index, number, stop, self.sites[stop.site_id]


def story(site: Site) -> str:
    """A stop's text as plain text: summary, US connection, address, hours, sources."""
    lines = [site.summary, "", f"Why it matters to Americans: {site.us_connection}"]
    where = ", ".join(p for p in (site.address, site.town) if p)
    lines += [
        "",
        f"Where: {where}",
        f"Opening hours: {site.opening_hours or 'not published; check before you go'}",
    ]
    if site.admission:
        lines.append(f"Admission: {site.admission}")
    lines += ["", "Sources:"] + [f"- {s.url}" for s in site.sources]
    return "\n".join(lines)


def slug(text: str) -> str:
    """A file-name-safe version of a trip name."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "trip"


# -- writers ----------------------------------------------------------------------------------


def to_gpx(trip: Trip) -> str:
    """GPX 1.1: a waypoint per stop and a route per day (base, stops, base)."""
    import gpxpy.gpx

    gpx = gpxpy.gpx.GPX()
    gpx.creator = CREATOR
    gpx.name = trip.itinerary.request.name
    gpx.description = f"{len(trip.itinerary.days)}-day trip from {trip.itinerary.request.start.isoformat()}"
    for day_index, number, stop, site in trip.stops():
        point = gpxpy.gpx.GPXWaypoint(
            latitude=site.lat,
            longitude=site.lon,
            name=f"D{day_index + 1}.{number} {site.name}",
            time=stop.start.astimezone(UTC),
            description=story(site),
        )
        point.comment = f"Day {day_index + 1}, {stop.start:%H:%M}-{stop.leave:%H:%M}"
        point.type = site.themes[0] if site.themes else None
        point.source = site.sources[0].url if site.sources else None
        gpx.waypoints.append(point)
    for day in trip.itinerary.days:
        if not day.stops:
            continue
        route = gpxpy.gpx.GPXRoute(name=f"Day {day.index + 1}, {day.date:%A %d %B}", number=day.index + 1)
        route.points.append(
            gpxpy.gpx.GPXRoutePoint(day.start_base.lat, day.start_base.lon, name=day.start_base.name)
        )
        for stop in day.stops:
            route.points.append(
                gpxpy.gpx.GPXRoutePoint(stop.lat, stop.lon, name=stop.name, time=stop.arrive.astimezone(UTC))
            )
        route.points.append(
            gpxpy.gpx.GPXRoutePoint(day.end_base.lat, day.end_base.lon, name=day.end_base.name)
        )
        gpx.routes.append(route)
    return gpx.to_xml(version="1.1")


def to_kml(trip: Trip) -> str:
    """KML: a folder per day with styled, numbered placemarks and the day's line."""
    import simplekml

    kml = simplekml.Kml(name=trip.itinerary.request.name)
    for day in trip.itinerary.days:
        folder = kml.newfolder(name=f"Day {day.index + 1}, {day.date:%A %d %B}")
        colour = DAY_COLOURS[day.index % len(DAY_COLOURS)]
        kml_colour = "ff" + colour[5:7] + colour[3:5] + colour[1:3]  # KML is aabbggrr
        if day.stops:
            path = [
                (day.start_base.lon, day.start_base.lat),
                *((s.lon, s.lat) for s in day.stops),
                (day.end_base.lon, day.end_base.lat),
            ]
            line = folder.newlinestring(name=f"Day {day.index + 1} route", coords=path)
            line.style.linestyle.color = kml_colour
            line.style.linestyle.width = 4
        for number, stop in enumerate(day.stops, start=1):
            site = trip.sites[stop.site_id]
            mark = folder.newpoint(name=f"{number}. {site.name}", coords=[(site.lon, site.lat)])
            # KML descriptions are shown as HTML: the text goes in escaped, line breaks kept.
            mark.description = escape(f"{stop.start:%H:%M}-{stop.leave:%H:%M}\n\n{story(site)}").replace(
                "\n", "<br/>"
            )
            mark.style.iconstyle.color = kml_colour
            mark.timespan.begin = stop.start.isoformat()
            mark.timespan.end = stop.leave.isoformat()
    return kml.kml()


def to_geojson(trip: Trip) -> str:
    """RFC 7946 GeoJSON: a Point per stop (with the site's fields) and a LineString per day."""
    features = []
    for day in trip.itinerary.days:
        if day.stops:
            path = [
                [day.start_base.lon, day.start_base.lat],
                *([s.lon, s.lat] for s in day.stops),
                [day.end_base.lon, day.end_base.lat],
            ]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": path},
                    "properties": {
                        "kind": "route",
                        "day": day.index + 1,
                        "date": day.date.isoformat(),
                        "colour": DAY_COLOURS[day.index % len(DAY_COLOURS)],
                    },
                }
            )
    for day_index, number, stop, site in trip.stops():
        properties = site.to_record()
        properties.update(
            {
                "kind": "stop",
                "day": day_index + 1,
                "order": number,
                "arrive": stop.arrive.isoformat(),
                "start": stop.start.isoformat(),
                "leave": stop.leave.isoformat(),
                "travel_minutes": round(stop.travel_seconds / 60),
                "travel_km": round(stop.travel_metres / 1000, 1),
            }
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                "properties": properties,
            }
        )
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"
    )


def to_ics(trip: Trip) -> bytes:
    """iCalendar: an event per visit in Belgrade time, the travel before it, and lunch."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//{CREATOR}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", trip.itinerary.request.name)
    trip_id = slug(trip.itinerary.request.name)
    stamp = datetime.now(UTC)
    previous = {}
    for day_index, number, stop, site in trip.stops():
        departed = (
            previous.get(day_index) or next(d for d in trip.itinerary.days if d.index == day_index).leave
        )
        if stop.arrive > departed:
            travel = Event()
            travel.add("uid", f"{trip_id}-d{day_index + 1}-{number}-travel@heritage-trails")
            travel.add("dtstamp", stamp)
            travel.add(
                "summary",
                f"Travel to {site.name} ({round(stop.travel_seconds / 60)} min, "
                f"{stop.travel_metres / 1000:.0f} km)",
            )
            travel.add("dtstart", departed)
            travel.add("dtend", stop.arrive)
            travel.add("transp", "TRANSPARENT")
            calendar.add_component(travel)
        event = Event()
        event.add("uid", f"{trip_id}-d{day_index + 1}-{number}@heritage-trails")
        event.add("dtstamp", stamp)
        event.add("summary", site.name)
        event.add("dtstart", stop.start)
        event.add("dtend", stop.leave)
        event.add("location", ", ".join(p for p in (site.address, site.town) if p))
        event.add("geo", (site.lat, site.lon))
        event.add("description", story(site))
        if site.website:
            event.add("url", site.website)
        calendar.add_component(event)
        previous[day_index] = stop.leave
    for day in trip.itinerary.days:
        if day.lunch and day.stops:
            lunch = Event()
            lunch.add("uid", f"{trip_id}-d{day.index + 1}-lunch@heritage-trails")
            lunch.add("dtstamp", stamp)
            lunch.add("summary", "Lunch")
            lunch.add("dtstart", day.lunch[0])
            lunch.add("dtend", day.lunch[1])
            calendar.add_component(lunch)
    calendar.add_missing_timezones()
    return calendar.to_ical()


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


def to_html(trip: Trip) -> str:
    """A standalone map of the trip that works offline, each day drawn in its colour."""
    sites = [trip.sites[i] for i in dict.fromkeys(trip.itinerary.stop_ids())]
    profile = trip.profile
    banner = " · ".join(p for p in (trip.itinerary.request.name, profile.name, profile.contact) if p)
    return render_map(
        sites,
        list(trip.themes),
        tiles=True,
        title=trip.itinerary.request.name,
        routes=route_data(trip.itinerary.days),
        banner=banner,
        sources=True,
        footer=profile.footer,
    )


def to_pdf(trip: Trip, page_size: str = "letter") -> bytes:
    """The PDF booklet (see ``maps.booklet``)."""
    from maps.booklet import booklet

    return booklet(trip, page_size)


WRITERS: dict[str, tuple[str, Callable[[Trip], str | bytes]]] = {
    "pdf": ("pdf", to_pdf),
    "gpx": ("gpx", to_gpx),
    "kml": ("kml", to_kml),
    "geojson": ("geojson", to_geojson),
    "ics": ("ics", to_ics),
    "csv": ("csv", to_csv),
    "html": ("html", to_html),
}


def parse_formats(text: str) -> list[str]:
    """Formats from a comma-separated list; ValidationError-style message for unknown ones."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in WRITERS]
    if unknown or not wanted:
        raise ExportError(
            f"Unknown format(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(wanted))


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write a file whole or not at all; ExportError says which file and why."""
    try:
        files.write_atomically(path, data)
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror or error}") from None


def export_trip(
    trip: Trip,
    formats: Sequence[str],
    folder: str | Path,
    progress: Callable[[str, Path], None] | None = None,
    writers: dict | None = None,
) -> list[Path]:
    """Write a trip in each format into a folder; returns the files written, in order."""
    writers = writers or WRITERS
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"Cannot write to {folder}: {error.strerror or error}") from None
    written = []
    base = slug(trip.itinerary.request.name)
    for name in formats:
        extension, writer = writers[name]
        path = folder / f"{base}.{extension}"
        write_atomically(path, writer(trip))
        written.append(path)
        if progress:
            progress(name, path)
    return written


PROFILE_FILE = "operator-profile.json"


def default_profile() -> OperatorProfile:
    """The operator profile saved in the user's data folder, or an empty one."""
    from sites import paths

    path = paths.data_dir() / PROFILE_FILE
    return OperatorProfile.load(path) if path.exists() else OperatorProfile()


def save_profile(profile: OperatorProfile) -> Path:
    """Keep an operator profile in the user's data folder for every later export."""
    from dataclasses import asdict

    from sites import paths

    path = paths.data_dir() / PROFILE_FILE
    write_atomically(path, json.dumps(asdict(profile), ensure_ascii=False, indent=2) + "\n")
    return path


def trip_for(itinerary: Itinerary, catalog, profile: OperatorProfile | None = None) -> Trip:
    """Gather what the writers need from the catalog (every stop must still be in it)."""
    sites = {i: catalog.site(i) for i in dict.fromkeys(itinerary.stop_ids())}
    return Trip(itinerary, sites, catalog.themes(), profile or OperatorProfile())
