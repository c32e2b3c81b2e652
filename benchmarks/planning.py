"""Planning engines side by side: the public TOPTW instances and synthetic heritage trips.

Each engine runs in its own process (one thread) over the same problems, so its peak memory
can be read too. Prize = sum of the priorities collected; travel in the instance's units.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from maps.planning.checker import check
from maps.planning.engines import ENGINES
from maps.planning.toptw import read_toptw

TOPTW = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "toptw"
PEER_SECONDS = float(os.environ.get("BENCH_PEER_SECONDS", "1.0"))


def toptw_problems():
    for path in sorted(TOPTW.glob("*.txt")):
        if path.name == "FORMAT.txt":
            continue
        for days in (1, 2, 3, 4):
            yield f"{path.stem}/{days}", read_toptw(path, days)


def heritage_problems():
    """Trips over a synthetic catalog shaped like ours: hours, holidays, a Belgrade base."""
    from benchmarks.synthetic import synthetic_sites
    from maps.planning.request import TripRequest, Wish
    from maps.planning.trip import build_problem
    from sites import paths
    from sites.bundled import read_themes
    from sites.catalog import Catalog

    themes = read_themes(paths.bundled_catalog_dir())
    sites = synthetic_sites(300, themes, seed=7)
    catalog = Catalog.in_memory(themes, sites)
    for days, count in ((3, 40), (7, 120), (14, 300)):
        wishes = tuple(Wish(s.id, priority=1 + n % 99, must=n % 25 == 0) for n, s in enumerate(sites[:count]))
        request = TripRequest(f"{days} days", date(2027, 5, 3), days, ("Belgrade",), wishes, lunch=None)
        yield f"heritage {days}d/{count}", build_problem(request, catalog).problem


def run_engine(name: str, family: str) -> None:
    """In a child process: solve every problem of a family with one engine, print JSON lines."""
    engine = ENGINES[name]() if name == "vroom" else ENGINES[name](time_limit=PEER_SECONDS)
    problems = toptw_problems() if family == "toptw" else heritage_problems()
    for label, problem in problems:
        started = time.perf_counter()
        solution = engine.solve(problem)
        seconds = time.perf_counter() - started
        ok = check(problem, replace(solution, unassigned=())).problems
        ok = [p for p in ok if "neither placed" not in p]
        row = {
            "instance": label,
            "prize": solution.prize(problem),
            "travel": solution.travel(problem),
            "seconds": seconds,
            "valid": not ok,
        }
        print(json.dumps(row), flush=True)
    print(json.dumps({"maxrss_mb": _peak_mb()}), flush=True)


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM resets at exec, unlike ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare(family: str) -> None:
    results, memory = {}, {}
    for name in ENGINES:
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.planning", name, family],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        rows = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
        if child.returncode != 0 or not rows:
            print(f"  {name}: failed: {child.stderr.strip()[-300:]}")
            continue
        memory[name] = rows[-1]["maxrss_mb"]
        results[name] = {r["instance"]: r for r in rows[:-1]}
    if "vroom" not in results:
        return
    instances = list(results["vroom"])
    header = ("engine", "prize", "travel", "median s", "max s", "invalid", "peak MB")
    print("  {:<8} {:>8} {:>10} {:>9} {:>7} {:>7} {:>8}".format(*header))
    for name, rows in results.items():
        prize = sum(rows[i]["prize"] for i in instances if i in rows)
        travel = sum(rows[i]["travel"] for i in instances if i in rows)
        times = [rows[i]["seconds"] for i in instances if i in rows]
        invalid = sum(not rows[i]["valid"] for i in instances if i in rows)
        print(
            f"  {name:<8} {prize:>8} {travel:>10} {statistics.median(times):>9.3f} {max(times):>7.2f} "
            f"{invalid:>7} {memory[name]:>8.0f}"
        )
    peers = [n for n in results if n != "vroom"]
    at_least, faster = 0, 0
    for i in instances:
        best_peer = max(results[p][i]["prize"] for p in peers if i in results[p])
        at_least += results["vroom"][i]["prize"] >= best_peer
        faster += all(
            results["vroom"][i]["seconds"] < results[p][i]["seconds"] for p in peers if i in results[p]
        )
    print(
        f"  VROOM collects at least the best peer's prize on {at_least}/{len(instances)} instances, "
        f"and is faster than every peer on {faster}/{len(instances)} (peers get {PEER_SECONDS:g} s each)"
    )
    if family == "heritage":
        for i in instances:
            cells = [
                f"{n} {rows[i]['prize']} in {rows[i]['seconds']:.2f} s"
                for n, rows in results.items()
                if i in rows
            ]
            print(f"    {i:<20} " + "  ".join(cells))


def timed_trips() -> None:
    """Whole trips through plan_trip (with lunch and the must-see guarantee), VROOM."""
    from benchmarks.synthetic import synthetic_sites
    from maps.planning.request import TripRequest, Wish
    from maps.planning.trip import plan_trip
    from sites import paths
    from sites.bundled import read_themes
    from sites.catalog import Catalog

    themes = read_themes(paths.bundled_catalog_dir())
    sites = synthetic_sites(300, themes, seed=11)
    catalog = Catalog.in_memory(themes, sites)
    for days, count, target in ((3, 40, 1.0), (14, 300, 10.0)):
        wishes = tuple(Wish(s.id, priority=1 + n % 99, must=n % 20 == 0) for n, s in enumerate(sites[:count]))
        request = TripRequest("bench", date(2027, 5, 3), days, ("Belgrade",), wishes)
        started = time.perf_counter()
        itinerary = plan_trip(request, catalog)
        seconds = time.perf_counter() - started
        print(
            f"  {days} days, {count} candidates: {seconds:.2f} s (target < {target:g} s), "
            f"{len(itinerary.stop_ids())} stops placed, {len(itinerary.left_out)} left out"
        )


def main() -> None:
    if TOPTW.exists():
        print(f"\nTOPTW instances ({len(list(TOPTW.glob('*.txt'))) - 1} files x 1-4 days), one thread each:")
        compare("toptw")
    else:
        print(f"\nTOPTW instances not found at {TOPTW}; skipped")
    print(
        "\nSynthetic heritage trips (Belgrade base, real opening-hour windows; no lunch: peers lack breaks):"
    )
    compare("heritage")
    print("\nWhole trips with plan_trip (VROOM, lunch, must-see guarantee):")
    timed_trips()


if __name__ == "__main__":
    if len(sys.argv) == 3:
        run_engine(sys.argv[1], sys.argv[2])
    else:
        main()
