"""The CLI's commands, each a function of an open catalog and parsed arguments."""

import argparse
import json
import sys

from app.files import write_text_atomically
from maps import render_map
from sites import export
from sites.catalog import Catalog
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
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not results:
        print(f"No sites match {args.query!r}.", file=sys.stderr)
        return 0
    width = max(len(r.site.id) for r in results)
    for r in results:
        print(f"{r.site.id:<{width}}  {r.site.name} ({r.site.town})")
    return 0


def export_sites(catalog: Catalog, args: argparse.Namespace) -> int:
    """Write the whole catalog as GeoJSON or CSV, to a file or standard output."""
    sites = catalog.sites()
    text = export.to_geojson(sites) if args.format == "geojson" else export.to_csv(sites)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_text_atomically(args.out, text)
        print(f"Wrote {len(sites)} sites to {args.out}", file=sys.stderr)
    return 0


def write_map(catalog: Catalog, args: argparse.Namespace) -> int:
    """Write a standalone map of the catalog (or of some themes) that works offline."""
    site_filter = _theme_filter(catalog, args.theme)
    sites = [r.site for r in catalog.search("", site_filter)]
    write_text_atomically(args.out, render_map(sites, catalog.themes(), tiles=not args.no_tiles))
    print(f"Wrote a map of {len(sites)} sites to {args.out}", file=sys.stderr)
    return 0
