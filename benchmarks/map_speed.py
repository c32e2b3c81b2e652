"""The map and start-up parts of ``make bench`` alone, ``runs`` times over (default 3):
``python -m benchmarks.map_speed [runs]``. A minute a run, for work on the map's speed."""

import sys
import tempfile

from benchmarks.__main__ import bench_map, bench_start, synthetic_catalog


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 3
    with tempfile.TemporaryDirectory() as folder:
        catalog, themes = synthetic_catalog(folder)
        for run in range(1, runs + 1):
            print(f"\n--- run {run} of {runs}")
            bench_map(catalog, themes)
            bench_start()
        catalog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
