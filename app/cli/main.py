"""``heritage-trails``: the window with no arguments; search, export and maps from the shell."""

import argparse
import sqlite3
import sys
from pathlib import Path

from app import errors
from app.cli.curator import printable
from maps import options
from sites import paths
from sites.catalog import Catalog
from sites.errors import StorageError, ValidationError

EXIT_USAGE = 2
EXIT_ERROR = 1
#: Commands that only read or write the catalog file.
_CATALOG_COMMANDS = ("search", "sites", "backup", "map")


def _count(text: str) -> int:
    """A whole number of 1 or more (argparse names the option when this raises)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"takes a whole number of 1 or more, not {text!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface (every command and option is documented in README.md)."""
    parser = argparse.ArgumentParser(
        prog="heritage-trails",
        description="Travel through the history the United States and Serbia share.",
    )
    parser.add_argument("--db", type=Path, help="catalog database to use instead of the user's own")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    search = commands.add_parser("search", help="print the sites matching a query, best first")
    search.add_argument("query", help="words to search for (names, places, stories; any script)")
    search.add_argument("--theme", action="append", help="only sites of this theme (repeatable)")
    search.add_argument("--json", action="store_true", help="print a JSON list")
    search.add_argument(
        "--limit", type=_count, default=None, help="print at most this many sites (1 or more)"
    )
    search.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    site_commands = commands.add_parser("sites", help="work with the catalog's sites").add_subparsers(
        dest="sites_command", metavar="SITES_COMMAND", required=True
    )
    export = site_commands.add_parser("export", help="write the whole catalog as GeoJSON or CSV")
    export.add_argument("--format", choices=("geojson", "csv"), required=True)
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    sites_import = site_commands.add_parser("import", help="import sites from CSV or GeoJSON, all or nothing")
    sites_import.add_argument("file", type=Path, help="a CSV or GeoJSON file in the export's layout")
    sites_import.add_argument("--dry-run", action="store_true", help="check and preview only; change nothing")
    sites_import.add_argument("--note", help="note recorded in each site's history")
    sites_import.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    validate = site_commands.add_parser(
        "validate", help="check every site; exit 1 on errors in published sites"
    )
    validate.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    history = site_commands.add_parser("history", help="every recorded version of a site")
    history.add_argument("id", help="site id")
    history.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    revert = site_commands.add_parser("revert", help="make a site as it was at a version")
    revert.add_argument("id", help="site id")
    revert.add_argument("version", type=int, help="version number from `sites history`")
    revert.add_argument("--note", help="note recorded with the change")
    revert.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    publish = site_commands.add_parser("publish", help="publish drafts that keep every hard rule")
    publish.add_argument("ids", nargs="*", metavar="ID", help="site ids")
    publish.add_argument("--all-drafts", action="store_true", help="every draft in the catalog")
    publish.add_argument("--dry-run", action="store_true", help="say what would happen; change nothing")
    publish.add_argument("--note", help="note recorded in each site's history")
    publish.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    unpublish = site_commands.add_parser("unpublish", help="take published sites back to draft")
    unpublish.add_argument("ids", nargs="*", metavar="ID", help="site ids")
    unpublish.add_argument("--dry-run", action="store_true", help="say what would happen; change nothing")
    unpublish.add_argument("--note", help="note recorded in each site's history")
    unpublish.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    show = site_commands.add_parser("show", help="one site, drafts too, with what blocks publishing")
    show.add_argument("id", help="site id")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    audit = site_commands.add_parser(
        "audit", help="the catalog's health and what blocks publishing, per draft and site"
    )
    audit.add_argument("--json", action="store_true", help="print the counts and lists as JSON")
    audit.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    backup = commands.add_parser("backup", help="list, create or restore catalog backups")
    backup.add_argument("action", choices=("list", "create", "restore"))
    backup.add_argument("name", nargs="?", help="the backup to restore (default: the newest)")
    backup.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    map_command = commands.add_parser("map", help="write a standalone HTML map that works offline")
    map_command.add_argument("--out", type=Path, required=True, help="HTML file to write")
    map_command.add_argument("--theme", action="append", help="only sites of this theme (repeatable)")
    map_command.add_argument(
        "--no-tiles", action="store_true", help="base layer only, no OpenStreetMap tiles"
    )
    _add_tile_options(map_command, "the sites (no OpenStreetMap)")
    map_command.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    plan = commands.add_parser("plan", help="plan a multi-day trip and print its timetable")
    plan.add_argument("--sites", default="", help="comma-separated site ids (nice-to-haves)")
    plan.add_argument("--must", default="", help="comma-separated site ids that must be in the plan")
    plan.add_argument("--trail", action="append", help="add a curated trail's sites (repeatable)")
    plan.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    plan.add_argument("--days", type=int, required=True, help=f"number of days, 1 to {options.MAX_DAYS}")
    plan.add_argument(
        "--base",
        help="where the nights are spent: a town or site id; comma-separated for one per day "
        "(default with --trail: each trail's own base for its days)",
    )
    plan.add_argument("--pace", choices=tuple(options.PACES), default=options.DEFAULT_PACE)
    plan.add_argument("--mode", choices=tuple(options.MODES), default="car")
    plan.add_argument("--day-start", default="09:00", help="leave the base no earlier (HH:MM)")
    plan.add_argument(
        "--day-end", help="be back no later (HH:MM; default: the pace's hours after --day-start)"
    )
    plan.add_argument(
        "--max-drive",
        type=float,
        metavar="H",
        help="most hours of driving in a day (default: the pace's: relaxed 2.5, normal 4, packed 5.5)",
    )
    plan.add_argument("--no-lunch", action="store_true", help="plan no lunch break")
    plan.add_argument("--osrm", metavar="URL", help="take road times from this OSRM server")
    plan.add_argument(
        "--suggest",
        type=int,
        default=0,
        metavar="N",
        help="add up to N catalog sites near the bases that fit the trip's themes, marked as suggestions",
    )
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.add_argument("--save", metavar="NAME", help="save the trip under this name")
    plan.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    trips = commands.add_parser("trips", help="list, show or delete saved trips")
    trips.add_argument("action", choices=("list", "show", "delete"))
    trips.add_argument("name", nargs="?", help="the trip (for show and delete)")
    trips.add_argument("--json", action="store_true", help="show prints the plan as JSON")
    trips.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    export = commands.add_parser("export", help="write a trip as PDF, GPX, KML, GeoJSON, ICS, CSV and HTML")
    export.add_argument("trip", metavar="TRIP", help="a saved trip's name, or an itinerary JSON file")
    export.add_argument(
        "--format", default=",".join(options.FORMATS), help="comma-separated formats (default: all)"
    )
    export.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    export.add_argument("--profile", type=Path, help="operator profile JSON (name, contact, footer, logo)")
    export.add_argument(
        "--page-size", choices=options.PAGE_SIZES, default=options.PAGE_SIZES[0], help="PDF page size"
    )
    _add_tile_options(export, "the trip, in the HTML page")
    export.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _add_tile_options(command: argparse.ArgumentParser, where: str) -> None:
    """``--tiles FILE`` and ``--tiles-zoom N``: street tiles from a tile file, embedded."""
    command.add_argument(
        "--tiles",
        type=Path,
        metavar="FILE",
        help=f"embed street-level tiles from an MBTiles or PMTiles file around {where}",
    )
    command.add_argument(
        "--tiles-zoom",
        type=int,
        default=16,
        metavar="N",
        help="deepest zoom of the embedded tiles (default 16, street level)",
    )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit status."""
    for stream in (sys.stdout, sys.stderr):
        # Half of a surrogate pair (invalid UTF-8 in an argument or a file) is printed escaped,
        # never a UnicodeEncodeError half-way through the output.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    if args.command is None:
        from app.gui import run

        return run(args.db)
    try:
        if args.command == "backup":
            from app.cli.curator import backup

            return backup(args.db or paths.default_catalog_path(), args)
        with Catalog.open(args.db) as catalog:
            if args.command == "search":
                from app.cli.commands import search

                return search(catalog, args)
            if args.command == "sites":
                from app.cli import curator as curator_commands
                from app.cli.commands import export_sites

                handlers = {
                    "export": export_sites,
                    "import": curator_commands.import_sites,
                    "validate": curator_commands.validate_catalog,
                    "history": curator_commands.site_history,
                    "revert": curator_commands.revert_site,
                    "publish": curator_commands.publish,
                    "unpublish": curator_commands.unpublish,
                    "show": curator_commands.show_site,
                    "audit": curator_commands.audit,
                }
                return handlers[args.sites_command](catalog, args)
            if args.command == "map":
                from app.cli.commands import write_map

                return write_map(catalog, args)
            if args.command == "plan":
                from app.cli.commands import plan

                return plan(catalog, args)
            if args.command == "export":
                from app.cli.commands import export_itinerary

                return export_itinerary(catalog, args)
            if args.command == "trips":
                from app.cli.commands import trips

                return trips(args)
    except BrokenPipeError:
        sys.stderr.close()  # the reader (e.g. `head`) left early; that is not an error
        return 0
    except Exception as error:  # known errors by their message; a bug is logged and named
        if _invalid_utf8(error):
            # Bytes that are no UTF-8 (in a name typed or a file read) cannot be stored or looked up.
            error = ValidationError(["some text given is not valid UTF-8; nothing was changed"])
        elif isinstance(error, sqlite3.Error) and args.command in _CATALOG_COMMANDS:
            # A damaged page found while reading: named as the catalog's, with the way out.
            error = StorageError.from_sqlite(error, str(args.db or paths.default_catalog_path()))
        # A message may quote what was typed or read (an escape sequence too): shown escaped.
        print(f"heritage-trails: {printable(errors.describe(error))}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_USAGE


def _invalid_utf8(error: Exception) -> bool:
    """True for an encoding error over halves of surrogate pairs: what Python makes of bytes
    that are not UTF-8 in an argument or a file, which SQLite and files cannot take."""
    if not isinstance(error, UnicodeEncodeError):
        return False
    return all("\ud800" <= ch <= "\udfff" for ch in error.object[error.start : error.end])
