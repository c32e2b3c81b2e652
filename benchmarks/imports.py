"""Importing a CSV of synthetic sites into the bundled catalog: seconds to check and to apply.

``python -m benchmarks.imports [ROWS ...]`` (default 5,000, 20,000 and 100,000 rows; target:
linear, 100,000 rows within 60 s).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import synthetic_sites
from sites import importer, paths
from sites.bundled import read_themes
from sites.catalog import Catalog
from sites.export import to_csv

SIZES = (5_000, 20_000, 100_000)


def measure(rows: int, folder: Path) -> tuple[float, float]:
    """Seconds to check (plan) and to apply an import of ``rows`` new sites into a fresh catalog."""
    themes = read_themes(paths.bundled_catalog_dir())
    file = folder / f"import-{rows}.csv"
    file.write_text(to_csv(synthetic_sites(rows, themes, seed=rows)), encoding="utf-8")
    with Catalog.open(folder / f"catalog-{rows}.db") as catalog:
        started = time.perf_counter()
        plan = importer.plan_import(catalog, file)
        checked = time.perf_counter()
        importer.apply_import(catalog, plan)
        applied = time.perf_counter()
        assert len(catalog.all_sites()) >= rows
    return checked - started, applied - checked


def main(sizes: tuple[int, ...] = SIZES) -> None:
    print("\nImport of a CSV of new sites into the bundled catalog (seconds):")
    print(f"  {'rows':>8} {'check':>8} {'apply':>8} {'total':>8} {'µs/row':>8}")
    with tempfile.TemporaryDirectory() as folder:
        os.environ[paths.DATA_DIR_ENV] = folder
        for rows in sizes:
            check, apply = measure(rows, Path(folder))
            total = check + apply
            per_row = total / rows * 1e6
            print(f"  {rows:>8,} {check:>8.2f} {apply:>8.2f} {total:>8.2f} {per_row:>8.0f}", flush=True)


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
