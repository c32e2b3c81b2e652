"""Plan quality on the bundled catalog: do the trips a traveler would plan keep to the pace?

Every curated trail alone (from its own base and from Belgrade), every pair of trails and a
four-trail trip, each over 1-7 days at every pace, with the sites as nice-to-haves and again
as must-sees. Per trip: stops per day, the longest day (leaving the base to coming back), the
most driving in a day, what was left out, and the seconds it took to plan. The summary counts
days over the pace's budget, lopsided trips (an empty day while another runs past six hours),
must-sees left out and stops kept, so two planners can be compared on the same grid:

    python -m benchmarks.plan_quality --json after.json
    python -m benchmarks.plan_quality --compare before.json after.json

``PLAN_QUALITY_JSON`` names the file to write when the section runs inside ``make bench``.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from maps.options import PACES
from maps.planning.itinerary import Itinerary
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip
from sites import paths
from sites.catalog import Catalog

JSON_ENV = "PLAN_QUALITY_JSON"
DESCRIPTION = "Plan quality on the bundled catalog, or two saved runs compared."
#: A Tuesday clear of the May Day and Orthodox Easter holidays, so opening hours are ordinary.
START = date(2027, 5, 4)
DAYS = range(1, 8)
HOME = "Belgrade"
#: Trips planned together beyond the pairs (each a tuple of trail ids, Belgrade as base).
GROUPS = (("halyard", "pupin-wilson", "tesla", "wwi"), ("film", "tesla"))
#: Each pace's budget (active hours, driving hours), for planners whose Pace does not carry it.
BUDGETS = {"relaxed": (6.0, 2.5), "normal": (8.5, 4.0), "packed": (10.5, 5.5)}
#: A day this long next to an empty one means the planner crammed rather than spread.
LONG_DAY_HOURS = 6.0
#: Times are on minutes at worst; a budget is broken only by more than this (hours).
SLACK = 1 / 120
#: Synthetic trips that must plan quickly: (days, candidates, seconds allowed).
SPEED = ((3, 40, 1.0), (14, 300, 10.0))


@dataclass(frozen=True)
class Trip:
    """One request of the grid."""

    trails: tuple[str, ...]
    base: str
    must: bool
    pace: str
    days: int

    @property
    def label(self) -> str:
        name = "+".join(self.trails)
        return name if self.base == HOME else f"{name} @{self.base}"


def budget(pace: str) -> tuple[float, float]:
    """Active and driving hours a day may hold at a pace (constants if the Pace lacks them)."""
    known = PACES[pace]
    active = getattr(known, "active_hours", None)
    drive = getattr(known, "max_drive_hours", None)
    if active is None or drive is None:
        return BUDGETS[pace]
    return float(active), float(drive)


def grid(catalog: Catalog) -> Iterator[tuple[Trip, tuple[str, ...]]]:
    """Every trip of the benchmark with its candidate site ids, singles first."""
    trails = {t.id: t for t in catalog.trails()}
    singles = [((t.id,), base) for t in trails.values() for base in dict.fromkeys((t.base, HOME))]
    groups: list[tuple[str, ...]] = list(combinations(trails, 2))
    seen = {frozenset(g) for g in groups}
    groups += [g for g in GROUPS if frozenset(g) not in seen and all(t in trails for t in g)]
    for ids, base in singles + [(g, HOME) for g in groups]:
        sites = tuple(dict.fromkeys(s for t in ids for s in trails[t].sites))
        for must in (False, True):
            for pace in PACES:
                for days in DAYS:
                    yield Trip(ids, base, must, pace, days), sites


def measure(trip: Trip, sites: tuple[str, ...], catalog: Catalog) -> dict[str, Any]:
    """Plan one trip and read its figures off the itinerary a traveler would get."""
    wishes = tuple(Wish(s, must=trip.must, priority=50) for s in sites)
    request = TripRequest(trip.label, START, trip.days, (trip.base,), wishes, pace=trip.pace)
    started = time.perf_counter()
    itinerary = plan_trip(request, catalog)
    seconds = time.perf_counter() - started
    return {"trip": trip.label, **asdict(trip), **figures(itinerary, trip.pace), "seconds": round(seconds, 4)}


def figures(itinerary: Itinerary, pace: str) -> dict[str, Any]:
    """Stops per day, hours out and driving per day, budget breaches and what was left out."""
    max_active, max_drive = budget(pace)
    stops = [len(d.stops) for d in itinerary.days]
    active = [(d.back - d.leave).total_seconds() / 3600 for d in itinerary.days]
    drive = [
        (sum(s.travel_seconds for s in d.stops) + d.return_seconds) / 3600 if d.stops else 0.0
        for d in itinerary.days
    ]
    musts = {w.site_id for w in itinerary.request.wishes if w.must}
    over = [a > max_active + SLACK or d > max_drive + SLACK for a, d in zip(active, drive, strict=True)]
    return {
        "stops": stops,
        "active_hours": [round(h, 3) for h in active],
        "drive_hours": [round(h, 3) for h in drive],
        "over_active": sum(h > max_active + SLACK for h in active),
        "over_drive": sum(h > max_drive + SLACK for h in drive),
        "over_days": sum(over),
        "lopsided": 0 in stops and max(active) > LONG_DAY_HOURS,
        "left_out": [[x.site_id, x.reason] for x in itinerary.left_out],
        "musts_left_out": sum(x.site_id in musts for x in itinerary.left_out),
    }


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The figures two runs are compared by."""
    times = [r["seconds"] for r in rows]
    reasons = Counter(why for r in rows if r["must"] for _site, why in r["left_out"])
    return {
        "trips": len(rows),
        "days over budget": sum(r["over_days"] for r in rows),
        "  over active hours": sum(r["over_active"] for r in rows),
        "  over driving": sum(r["over_drive"] for r in rows),
        f"trips with an empty day and one > {LONG_DAY_HOURS:g} h": sum(r["lopsided"] for r in rows),
        "must-sees left out": sum(r["musts_left_out"] for r in rows),
        **{f"  {why}": count for why, count in sorted(reasons.items())},
        "  while a day of the trip stays empty": sum(r["musts_left_out"] for r in rows if 0 in r["stops"]),
        "stops kept": sum(sum(r["stops"]) for r in rows),
        "stops left out": sum(len(r["left_out"]) for r in rows),
        "plan seconds median": round(statistics.median(times), 4) if times else 0.0,
        "plan seconds max": round(max(times, default=0.0), 4),
    }


def table_line(row: dict[str, Any]) -> str:
    flags = ("over " if row["over_days"] else "") + ("lopsided" if row["lopsided"] else "")
    return (
        f"  {row['trip']:<40} {'must' if row['must'] else 'nice':<4} {row['pace']:<7} "
        f"{row['days']} {'/'.join(map(str, row['stops'])):<20} {max(row['active_hours']):>5.1f} "
        f"{max(row['drive_hours']):>5.1f} {len(row['left_out']):>4} {row['seconds']:>6.2f}  {flags}"
    )


def print_summary(figures_: dict[str, float]) -> None:
    for name, value in figures_.items():
        print(f"  {name[:60]:<60} {value:>10g}")


def speed() -> list[dict[str, Any]]:
    """Synthetic trips over a catalog shaped like ours, timed against what a traveler waits."""
    from benchmarks.synthetic import synthetic_sites
    from sites.bundled import read_themes

    themes = read_themes(paths.bundled_catalog_dir())
    sites = synthetic_sites(300, themes, seed=11)
    catalog = Catalog.in_memory(themes, sites)
    results = []
    for days, count, allowed in SPEED:
        wishes = tuple(Wish(s.id, priority=1 + n % 99, must=n % 20 == 0) for n, s in enumerate(sites[:count]))
        request = TripRequest("speed", START, days, (HOME,), wishes)
        started = time.perf_counter()
        itinerary = plan_trip(request, catalog)
        seconds = time.perf_counter() - started
        results.append({"days": days, "candidates": count, "seconds": round(seconds, 3), "allowed": allowed})
        verdict = "ok" if seconds < allowed else "TOO SLOW"
        print(
            f"  {days} days, {count} candidates: {seconds:.2f} s (target < {allowed:g} s) {verdict}; "
            f"{len(itinerary.stop_ids())} stops placed, {len(itinerary.left_out)} left out"
        )
    return results


def run(json_path: str | None) -> dict[str, Any]:
    """Plan the whole grid on the bundled catalog, print the table and summary, maybe save JSON."""
    print(
        f"\nPlan quality on the bundled catalog (the whole grid, nothing cut): trails alone (own base "
        f"and {HOME}), all pairs and {', '.join('+'.join(g) for g in GROUPS if len(g) > 2)}; "
        f"{DAYS.start}-{DAYS.stop - 1} days x {len(PACES)} paces x nice/must; start {START:%a %d %b %Y}"
    )
    print(
        f"  {'trip':<40} {'wish':<4} {'pace':<7} d {'stops per day':<20} {'long':>5} {'drive':>5} "
        f"{'left':>4} {'sec':>6}"
    )
    saved = os.environ.get(paths.DATA_DIR_ENV)
    with tempfile.TemporaryDirectory() as folder:
        os.environ[paths.DATA_DIR_ENV] = folder
        try:
            catalog = Catalog.open(Path(folder) / "catalog.db")
            rows = []
            for trip, sites in grid(catalog):
                rows.append(measure(trip, sites, catalog))
                print(table_line(rows[-1]), flush=True)
            catalog.close()
        finally:
            if saved is None:
                os.environ.pop(paths.DATA_DIR_ENV, None)
            else:
                os.environ[paths.DATA_DIR_ENV] = saved
    print("\nPlan quality summary (hours: longest day leaving base to back; drive: legs incl. return)")
    print_summary(summary(rows))
    print("\nPlanning speed on synthetic trips:")
    timings = speed()
    result = {"start": START.isoformat(), "rows": rows, "speed": timings}
    if json_path:
        Path(json_path).write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(f"  per-trip rows written to {json_path}")
    return result


def compare(before_path: str, after_path: str) -> None:
    """Print the summary figures of two saved runs side by side, with their difference."""
    before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (before_path, after_path))
    old, new = summary(before["rows"]), summary(after["rows"])
    print(f"  {'figure':<60} {'before':>10} {'after':>10} {'change':>10}")
    for name in summary(before["rows"] + after["rows"]):  # every figure either run has, in order
        a, b = old.get(name, 0), new.get(name, 0)
        print(f"  {name[:60]:<60} {a:>10g} {b:>10g} {b - a:>+10g}")
    for label, data in (("before", before), ("after", after)):
        times = ", ".join(f"{s['days']} d/{s['candidates']}: {s['seconds']:.2f} s" for s in data["speed"])
        print(f"  speed {label}: {times}")
    old_rows = {_key(r): r for r in before["rows"]}
    changed = sum(1 for r in after["rows"] if (o := old_rows.get(_key(r))) and o["stops"] != r["stops"])
    print(f"  trips planned differently (stops per day): {changed} of {len(after['rows'])}")


def _key(row: dict[str, Any]) -> tuple[str, bool, str, int]:
    return row["trip"], row["must"], row["pace"], row["days"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plan_quality", description=DESCRIPTION)
    parser.add_argument("--json", default=os.environ.get(JSON_ENV), help="write the per-trip rows here")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="compare two saved runs")
    args = parser.parse_args(argv)
    if args.compare:
        compare(*args.compare)
    else:
        run(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
