"""``heritage-trails``: the window with no arguments; search, export and maps from the shell."""

import argparse
import sys
from pathlib import Path

from sites.catalog import Catalog
from sites.errors import CatalogError

EXIT_USAGE = 2
EXIT_ERROR = 1


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
    search.add_argument("--limit", type=int, default=None, help="print at most this many sites")
    search.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    site_commands = commands.add_parser("sites", help="work with the catalog's sites").add_subparsers(
        dest="sites_command", metavar="SITES_COMMAND", required=True
    )
    export = site_commands.add_parser("export", help="write the whole catalog as GeoJSON or CSV")
    export.add_argument("--format", choices=("geojson", "csv"), required=True)
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    map_command = commands.add_parser("map", help="write a standalone HTML map that works offline")
    map_command.add_argument("--out", type=Path, required=True, help="HTML file to write")
    map_command.add_argument("--theme", action="append", help="only sites of this theme (repeatable)")
    map_command.add_argument(
        "--no-tiles", action="store_true", help="base layer only, no OpenStreetMap tiles"
    )
    map_command.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit status."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        from app.gui import run

        return run(args.db)
    try:
        with Catalog.open(args.db) as catalog:
            if args.command == "search":
                from app.commands import search

                return search(catalog, args)
            if args.command == "sites":
                from app.commands import export_sites

                return export_sites(catalog, args)
            if args.command == "map":
                from app.commands import write_map

                return write_map(catalog, args)
    except CatalogError as error:
        print(f"heritage-trails: {error}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        sys.stderr.close()  # the reader (e.g. `head`) left early; that is not an error
        return 0
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"heritage-trails: {where}{error.strerror}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
