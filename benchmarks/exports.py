"""A 14-day, 120-stop trip exported to every format: seconds per format and in all."""

import tempfile
import time
from datetime import date

from benchmarks.synthetic import synthetic_sites
from maps import exports
from maps.planning.request import TripRequest, Wish
from maps.planning.retime import retime
from sites import paths
from sites.bundled import read_themes
from sites.catalog import Catalog

DAYS, STOPS = 14, 120


def main() -> None:
    themes = read_themes(paths.bundled_catalog_dir())
    sites = synthetic_sites(STOPS, themes, seed=3)
    catalog = Catalog.in_memory(themes, sites)
    request = TripRequest(
        "Fourteen days", date(2027, 5, 3), DAYS, ("Belgrade",), tuple(Wish(s.id) for s in sites)
    )
    per_day = -(-STOPS // DAYS)
    order = [[s.id for s in sites[d * per_day : (d + 1) * per_day]] for d in range(DAYS)]
    itinerary = retime(request, catalog, order)
    trip = exports.trip_for(
        itinerary, catalog, exports.OperatorProfile("Bench Tours", "bench@example.org", "Footer")
    )
    print(f"\nExport of a {DAYS}-day, {len(itinerary.stop_ids())}-stop trip to every format:")
    total = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name in exports.FORMATS:
            started = time.perf_counter()
            [path] = exports.export_trip(trip, [name], folder)
            seconds = time.perf_counter() - started
            total += seconds
            print(f"  {name:<8} {seconds * 1000:8.0f} ms  {path.stat().st_size / 1024:8.0f} kB")
    print(f"  all formats {total:.2f} s (target < 5 s)")


if __name__ == "__main__":
    main()
