"""The CLI's commands, each a function of an open catalog and parsed arguments."""

import argparse
import json
import math
import sys
from dataclasses import replace
from datetime import date, time

from app.cli.curator import json_text, printable
from maps.exports.timetable import format_timetable
from maps.planning import shape
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip
from maps.render.page import render_map
from maps.render.tiles import embedded_layer
from maps.trip_store import TripStore
from sites import export
from sites.catalog import Catalog
from sites.errors import ValidationError
from sites.files import write_atomically
from sites.models import SiteFilter


def _theme_filter(catalog: Catalog, themes: list[str] | None) -> SiteFilter:
    for theme in themes or []:
        catalog.theme(theme)  # raises NotFoundError naming the known themes
    return SiteFilter(themes=frozenset(themes or []))


def search(catalog: Catalog, args: argparse.Namespace) -> int:
    """Print matches, best first, as lines or as JSON."""
    results = catalog.search(args.query, _theme_filter(catalog, args.theme), limit=args.limit)
    if args.json:
        rows = [
            {
                "id": r.site.id,
                "name": r.site.name,
                "town": r.site.town,
                "region": r.site.region,
                "themes": list(r.site.themes),
                "score": round(r.score, 4),
                "summary": r.site.summary,
            }
            for r in results
        ]
        sys.stdout.write(json_text(rows) + "\n")
        return 0
    if not results:
        print(f"No sites match {printable(repr(args.query))}.", file=sys.stderr)
        return 0
    width = max(len(r.site.id) for r in results)
    for r in results:
        # A catalog written before control characters were refused may still hold some.
        print(printable(f"{r.site.id:<{width}}  {r.site.name} ({r.site.town})"))
    if args.limit is not None and len(results) == args.limit and not args.theme:
        total = catalog.count(args.query)
        if total > len(results):
            print(f"The first {len(results)} of {total:,} matches; --limit sets how many.", file=sys.stderr)
    return 0


def export_sites(catalog: Catalog, args: argparse.Namespace) -> int:
    """Write the whole catalog as GeoJSON or CSV, to a file or standard output."""
    sites = catalog.sites()
    text = export.to_geojson(sites) if args.format == "geojson" else export.to_csv(sites)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_atomically(args.out, text)
        print(printable(f"Wrote {len(sites)} sites to {args.out}"), file=sys.stderr)
    return 0


def write_map(catalog: Catalog, args: argparse.Namespace) -> int:
    """Write a standalone map of the catalog (or of some themes) that works offline."""
    site_filter = _theme_filter(catalog, args.theme)
    sites = [r.site for r in catalog.search("", site_filter)]
    points = [(site.lat, site.lon) for site in sites]
    offline = _embedded_tiles(points, args.tiles, args.tiles_zoom) if args.tiles else None
    # With a tile file the page carries its streets itself and asks no server for tiles.
    online = not args.no_tiles and not args.tiles
    page = render_map(sites, catalog.themes(), tiles=online, sources=True, offline_tiles=offline)
    write_atomically(args.out, page)
    print(printable(f"Wrote a map of {len(sites)} sites to {args.out}"), file=sys.stderr)
    return 0


def _embedded_tiles(points: list[tuple[float, float]], path, max_zoom: int) -> dict | None:
    """The page's tile layer with the tile file's tiles around the points embedded, or None
    when the file has none there; what went in is told on standard error."""
    if not 0 <= max_zoom <= 22:
        raise ValidationError([f"--tiles-zoom takes a zoom from 0 to 22, not {max_zoom}"])
    layer, notes = embedded_layer(path, points, max_zoom)
    for note in notes:
        print(printable(note), file=sys.stderr)
    return layer


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _hours_as_minutes(hours: float | None, option: str) -> int | None:
    if hours is None:
        return None
    if not math.isfinite(hours) or not 0 < hours <= 24:
        raise ValidationError([f"{option} takes hours between 0 and 24, like 3.5, not {hours}"])
    return round(hours * 60)


def _clock(text: str, option: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise ValidationError([f"{option} {text!r} is not a time like 09:30"]) from None


def plan(catalog: Catalog, args: argparse.Namespace) -> int:
    """Plan a trip from the command line and print (and maybe save) it."""
    try:
        start = date.fromisoformat(args.start)
    except ValueError:
        raise ValidationError([f"--start {args.start!r} is not a date like 2027-05-03"]) from None
    trails = [catalog.trail(trail_id) for trail_id in args.trail or []]
    trail_shape = shape.shape(trails, args.days)
    if args.base:
        bases = tuple(_ids(args.base))
        # Another base than the trails' own: their days no longer hold, their stops do.
        trail_wishes = [replace(w, trail_day=None) for w in trail_shape.wishes]
    elif trails:
        bases = trail_shape.bases or (trails[0].base,)
        trail_wishes = list(trail_shape.wishes)
    else:
        raise ValidationError(["say where the nights are spent with --base (a town like Belgrade)"])
    wishes: dict[str, Wish] = {w.site_id: w for w in trail_wishes}
    for site_id in _ids(args.sites):
        wishes.setdefault(site_id, Wish(site_id))
    for site_id in _ids(args.must):
        wishes[site_id] = replace(wishes.get(site_id, Wish(site_id)), must=True)
    for site_id in wishes:
        catalog.site(site_id)  # an unknown id is named before any planning starts
    if args.suggest < 0:
        raise ValidationError([f"--suggest takes a number of sites, not {args.suggest}"])
    request = TripRequest(
        name=args.save or f"Trip from {start.isoformat()}",
        start=start,
        days=args.days,
        bases=bases,
        wishes=tuple(wishes.values()),
        day_start=_clock(args.day_start, "--day-start"),
        day_end=_clock(args.day_end, "--day-end") if args.day_end else None,
        max_drive_minutes=_hours_as_minutes(args.max_drive, "--max-drive"),
        pace=args.pace,
        mode=args.mode,
        lunch=None if args.no_lunch else TripRequest.lunch,
        osrm_url=args.osrm,
    )
    if args.suggest:
        itinerary = shape.plan_with_suggestions(request, catalog, args.suggest)
    else:
        itinerary = plan_trip(request, catalog)
    if args.save:
        store = TripStore()
        store.save(itinerary, args.save)
        store.close()
        print(printable(f"Saved as {args.save!r}"), file=sys.stderr)
    sys.stdout.write(json_text(itinerary.to_json()) + "\n" if args.json else format_timetable(itinerary))
    return 0


def trips(args: argparse.Namespace) -> int:
    """List, show or delete saved trips."""
    store = TripStore()
    try:
        if args.action == "list":
            saved = store.list()
            if not saved:
                print("No saved trips.", file=sys.stderr)
            for trip in saved:
                name = printable(trip.name)
                print(f"{name}\t{trip.start}\t{trip.days} day(s)\t{trip.stops} stops\tsaved {trip.updated}")
            return 0
        if not args.name:
            raise ValidationError([f"trips {args.action} needs the name of a trip"])
        if args.action == "show":
            itinerary = store.load(args.name)
            sys.stdout.write(
                json_text(itinerary.to_json()) + "\n" if args.json else format_timetable(itinerary)
            )
        else:
            store.delete(args.name)
            print(printable(f"Deleted {args.name!r}"), file=sys.stderr)
        return 0
    finally:
        store.close()


def load_itinerary(trip: str):
    """A saved trip by name, or an itinerary JSON file."""
    from pathlib import Path

    from maps.planning.itinerary import itinerary_from_json

    path = Path(trip)
    if path.suffix.lower() == ".json" and path.exists():
        try:
            return itinerary_from_json(json.loads(path.read_text(encoding="utf-8")))
        except json.JSONDecodeError as error:
            raise ValidationError([f"{path}: line {error.lineno}: {error.msg}"]) from None
    store = TripStore()
    try:
        return store.load(trip)
    finally:
        store.close()


def export_itinerary(catalog: Catalog, args: argparse.Namespace) -> int:
    """Export a trip in several formats, printing a line per file as it is written."""
    from maps import exports

    formats = exports.parse_formats(args.format)
    profile = exports.OperatorProfile.load(args.profile) if args.profile else exports.default_profile()
    trip = exports.trip_for(load_itinerary(args.trip), catalog, profile)
    if args.tiles:
        if "html" not in formats:
            raise ValidationError(["--tiles embeds street tiles in the HTML page: add html to --format"])
        places = [(p.lat, p.lon) for d in trip.itinerary.days for p in (d.start_base, d.end_base)]
        places += [(s.lat, s.lon) for d in trip.itinerary.days for s in d.stops]
        trip = replace(trip, offline_tiles=_embedded_tiles(places, args.tiles, args.tiles_zoom))
    total = len(formats)
    done = []

    def progress(name, path):
        done.append(name)
        print(printable(f"[{len(done)}/{total}] {name:<7} {path}"), flush=True)

    exports.export_trip(trip, formats, args.out, progress, page_size=args.page_size)
    return 0
