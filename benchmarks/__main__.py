"""``make bench``: search, map and start-up figures on a synthetic and on the bundled catalog.

Figures are printed, with ratios against a peer measured in the same run where one exists.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from benchmarks.synthetic import synthetic_sites
from sites import paths
from sites.bundled import read_themes
from sites.catalog import Catalog, connect
from sites.folding import fold

SYNTHETIC_SITES = 50_000
#: Issue 12's targets: the map of every synthetic site built and placed, and the window usable.
MAP_TARGET_S = 2.0
START_TARGET_S = 1.5
QUERIES = ["museum", "Пупин", "djokovic", "tesla musem", "halyard airmen", "belgrade church", "bel",
           '"', "AND(", "", "x" * 10_000, "jazz festival hall", "red cross typhus", "zzqqxx"]  # fmt: skip


def timed(function, *args, repeat=1):
    """The result of the last call and the seconds each call took."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return result, times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def naive_like_search(catalog: Catalog, query: str) -> list[str]:
    """The peer: what a catalog without an index would do, LIKE over every text column."""
    words = fold(query).split()[:12]
    if not words:
        return [s.id for s in catalog.sites()]
    clause = " AND ".join(
        "(name || ' ' || summary || ' ' || us_connection || ' ' || town) LIKE ?" for _ in words
    )
    return [
        row[0]
        for row in catalog.db.execute(f"SELECT id FROM sites WHERE {clause}", [f"%{w}%" for w in words])
    ]


#: What a list shows at first, and what the search command prints with ``--limit``.
PAGE = 50


def bench_search(catalog: Catalog) -> None:
    print(f"\nSearch over {len(catalog):,} synthetic sites (per query; median of 5 runs)")
    print(f"  a page is the first {PAGE} results, ranked and cut inside SQLite; the count is separate")
    print(
        f"  {'query':<22} {'hits':>6} {'page':>11} {'count':>11} {'full list':>11} {'LIKE scan':>11} "
        f"{'ratio':>6}"
    )
    pages, counts = [], []
    for query in QUERIES:
        _page, page = timed(catalog.search, query, None, PAGE, repeat=5)
        hits, count = timed(catalog.count, query, repeat=5)
        _full, full = timed(catalog.search, query, repeat=5)
        _like, peer = timed(naive_like_search, catalog, query, repeat=5)
        page_m, count_m, peer_m = statistics.median(page), statistics.median(count), statistics.median(peer)
        pages.append(page_m)
        counts.append(count_m)
        label = repr(query if len(query) < 18 else query[:12] + "…")
        print(
            f"  {label:<22} {hits:>6} {ms(page_m):>11} {ms(count_m):>11} {ms(statistics.median(full)):>11} "
            f"{ms(peer_m):>11} {peer_m / page_m:>5.1f}x"
        )
    print(
        f"  page: worst {ms(max(pages))}, median {ms(statistics.median(pages))} (target < 5 ms); "
        f"count: worst {ms(max(counts))}; ratio = LIKE scan / page"
    )


def bench_map(catalog: Catalog, themes) -> None:
    """The window's map page (its popups ask the window for the sites' stories), built and
    loaded until every marker is placed; the standalone page (stories inside) built and loaded
    too; the peer built with folium's own marker and cluster plugin."""
    from maps.render.page import render_map

    sites = catalog.sites()
    print(f"\nMap of {len(sites):,} sites")
    for label, texts in (("the window's page", False), ("a standalone page (stories inside)", True)):
        html, build = timed(partial(render_map, sites, themes, texts=texts))
        with tempfile.TemporaryDirectory() as folder:
            page = Path(folder) / "map.html"
            page.write_text(html, encoding="utf-8")
            loaded = run_probe("load_map", str(page))
        seconds = _leading_ms(loaded)
        total = f"{build[0] + seconds / 1000:.2f} s" if seconds is not None else "not measured"
        print(f"  {label}: built in {ms(build[0])} ({len(html) / 1e6:.1f} MB), loaded until every marker is "
              f"placed in {loaded}; built + loaded {total}")  # fmt: skip
    print(f"  target for the window: built + loaded < {MAP_TARGET_S} s")
    peer_count = 2_000
    peer_seconds = folium_marker_peer(sites[:peer_count])
    ours_small = timed(render_map, sites[:peer_count], themes)[1][0]
    print(
        f"  peer, folium Marker + MarkerCluster plugin, {peer_count:,} sites: {ms(peer_seconds)} "
        f"vs ours {ms(ours_small)} ({peer_seconds / ours_small:.1f}x); "
        f"the peer extrapolates to {peer_seconds * len(sites) / peer_count:.0f} s for all"
    )


def _leading_ms(line: str) -> float | None:
    """The milliseconds a probe's line starts with ("812 ms for ..."), or None if it failed."""
    first = line.split(" ", 1)[0]
    return float(first) if first.replace(".", "", 1).isdigit() else None


def folium_marker_peer(sites) -> float:
    import folium
    from folium.plugins import MarkerCluster

    start = time.perf_counter()
    fmap = folium.Map(location=[44.0, 20.9], zoom_start=7, tiles=None)
    cluster = MarkerCluster().add_to(fmap)
    for site in sites:
        folium.Marker([site.lat, site.lon], popup=folium.Popup(site.summary), tooltip=site.name).add_to(
            cluster
        )
    fmap.get_root().render()
    return time.perf_counter() - start


def run_probe(name: str, *args: str) -> str:
    """Run a Qt measurement in a fresh process (as a user's start would be) and return its line."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HERITAGE_TRAILS_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.qt_probe", name, *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    return lines[-1][len("RESULT ") :] if lines else f"failed: {result.stderr.strip()[-400:]}"


def synthetic_catalog(folder: str) -> tuple[Catalog, list]:
    """A catalog of ``SYNTHETIC_SITES`` synthetic sites in ``folder`` (the data folder from now
    on), and the bundled themes."""
    os.environ[paths.DATA_DIR_ENV] = folder
    themes = read_themes(paths.bundled_catalog_dir())
    sites = synthetic_sites(SYNTHETIC_SITES, themes)
    path = Path(folder) / "synthetic.db"
    catalog = Catalog(connect(path), str(path))
    catalog.save_themes(themes)
    _, saving = timed(catalog.save_sites, sites)
    _, loading = timed(catalog.sites)
    print(f"Synthetic catalog: {len(sites):,} sites saved in {saving[0]:.2f} s, loaded in {loading[0]:.2f} s")
    return catalog, themes


def bench_start() -> None:
    print("\nWindow start on the bundled catalog (fresh process, offscreen):")
    print(f"  {run_probe('start_window')}   (target: list interactive < {START_TARGET_S} s)")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        catalog, themes = synthetic_catalog(folder)
        bench_search(catalog)
        bench_map(catalog, themes)
        catalog.close()
        bench_start()
    from benchmarks import exports, plan_quality, planning, tsptw

    exports.main()
    planning.main()
    tsptw.main()
    plan_quality.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
