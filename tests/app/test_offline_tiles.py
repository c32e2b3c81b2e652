"""Street level with no network: the window serves a tile file's tiles to its map page through its
own URL scheme, and a missing or damaged file is explained while the base map still draws."""

import base64
import io
import json
import re
import subprocess
import sys

import pytest
import shiboken6
from PIL import Image

from app import errors
from app.window.main_window import settings
from app.window.map_view import MapView
from maps.render.tiles import tile_at
from tests.maps.test_tiles import BELGRADE, belgrade_tiles, colour_of, make_mbtiles, make_pmtiles

#: The tile images Leaflet has drawn, with the URL each came from.
DRAWN_TILES = """JSON.stringify(
    Array.from(document.querySelectorAll("img.leaflet-tile"))
         .filter(function (img) { return img.complete && img.naturalWidth > 0; })
         .map(function (img) { return img.src; }))"""
#: The base map's own shapes (land, water, borders), drawn whatever the tiles do.
BASE_MAP_SHAPES = "document.querySelectorAll('.leaflet-htLand-pane path, .leaflet-htWater-pane path').length"


@pytest.fixture
def messages(monkeypatch):
    """The error dialogs the window would show, kept instead of shown."""
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, error, title="": shown.append(str(error)))
    return shown


def drawn_tiles(run_js, window) -> list[str]:
    return json.loads(run_js(window.map_view, DRAWN_TILES))


def wait_ready(qtbot, window):
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=30_000)


def reload_with(qtbot, window, path):
    with qtbot.waitSignal(window.map_view.mapReady, timeout=30_000):
        used = window.set_offline_map(str(path) if path else None)
    return used


def street_level(run_js, window, zoom=16):
    run_js(window.map_view, f"window.heritageMap.map.setView([{BELGRADE[0]}, {BELGRADE[1]}], {zoom}, "
                            "{animate: false}); true")  # fmt: skip


@pytest.mark.parametrize("maker", [make_mbtiles, make_pmtiles], ids=["mbtiles", "pmtiles"])
def test_street_tiles_draw_from_a_tile_file_with_the_network_refused(
    qtbot, ready_window, run_js, tmp_path, messages, maker
):
    window = ready_window
    assert not window.allow_tiles
    path = maker(tmp_path / f"belgrade.{maker.__name__[5:]}")
    assert reload_with(qtbot, window, path)
    assert messages == []
    street_level(run_js, window)
    available = {f"{z}/{x}/{y}" for z, x, y in belgrade_tiles(zooms=(16,))}
    qtbot.waitUntil(lambda: len(drawn_tiles(run_js, window)) >= 2, timeout=15_000)
    drawn = drawn_tiles(run_js, window)
    assert all(src.startswith("heritage-tiles://") for src in drawn), drawn
    assert {src.split("/", 3)[3] for src in drawn} <= available
    # Nothing was asked of the network, and the file's credit shows now that its tiles draw.
    assert window.map_view.guard.blocked == []
    assert "Test tiles" in run_js(
        window.map_view, "document.querySelector('.leaflet-control-attribution').textContent"
    )
    assert "Offline map belgrade" in window.statusBar().currentMessage()
    assert settings().value("map/tile_file") == str(path)


def test_the_chosen_tile_file_is_used_again_in_the_next_window(
    qtbot, make_window, run_js, tmp_path, messages
):
    path = make_mbtiles(tmp_path / "belgrade.mbtiles")
    first = make_window()
    wait_ready(qtbot, first)
    reload_with(qtbot, first, path)
    first.close()
    second = make_window()
    wait_ready(qtbot, second)
    assert second.map_view.tile_archive is not None
    street_level(run_js, second)
    qtbot.waitUntil(lambda: len(drawn_tiles(run_js, second)) >= 1, timeout=15_000)
    # Choosing none goes back to the base map alone, and is remembered.
    reload_with(qtbot, second, None)
    assert settings().value("map/tile_file") == ""
    street_level(run_js, second)
    assert drawn_tiles(run_js, second) == []


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("gone.mbtiles", None, "does not exist"),
        ("broken.mbtiles", b"SQLite format 3\0" + b"\x13" * 5000, "damaged"),
        ("broken.pmtiles", b"PMTiles\x03" + b"\x00" * 40, "damaged"),
    ],
    ids=["missing", "corrupt-mbtiles", "corrupt-pmtiles"],
)
def test_a_file_that_cannot_be_used_is_explained_and_the_base_map_draws(
    qtbot, ready_window, run_js, tmp_path, messages, name, content, said
):
    window = ready_window
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert not reload_with(qtbot, window, path)
    assert len(messages) == 1
    assert name in messages[0] and said in messages[0] and "base map" in messages[0]
    assert window.map_view.tile_archive is None
    assert settings().value("map/tile_file") in (None, "")
    street_level(run_js, window)
    assert run_js(window.map_view, BASE_MAP_SHAPES) > 0
    assert drawn_tiles(run_js, window) == []
    assert window.map_view.guard.blocked == []


def test_a_tile_file_gone_since_last_time_is_named_in_the_status_bar(
    qtbot, make_window, run_js, tmp_path, messages
):
    path = make_pmtiles(tmp_path / "usb-stick.pmtiles")
    store = settings()
    store.setValue("map/tile_file", str(path))
    store.sync()
    path.unlink()
    window = make_window()
    wait_ready(qtbot, window)
    assert "usb-stick.pmtiles does not exist" in window.statusBar().currentMessage()
    assert messages == []  # no dialog in the way at start
    assert run_js(window.map_view, BASE_MAP_SHAPES) > 0
    # The choice is kept for when the file is back.
    assert settings().value("map/tile_file") == str(path)


def run_cli(*args, db):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def offline_layer(html: str) -> dict:
    """The options the page passes to its offline tile layer, read back as JSON."""
    found = re.search(r"HT\.offlineTiles\(\w+, (\{.*?\})\);\n", html)
    assert found, "the page has no offline tile layer"
    return json.loads(found.group(1))


def test_map_command_embeds_the_tiles_around_the_sites_and_they_draw_offline(
    qtbot, tmp_path, run_js, bundled_catalog
):
    db = tmp_path / "catalog.db"
    tesla = bundled_catalog.site("nikola-tesla-museum")
    addresses = []
    for z in (15, 16):
        cx, cy = tile_at(tesla.lat, tesla.lon, z)
        addresses += [(z, cx + dx, cy + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    far_away = (16, *tile_at(47.50, 19.04, 16))  # Budapest: no listed site there
    tile_file = make_mbtiles(tmp_path / "belgrade.mbtiles", [*addresses, far_away])
    out = tmp_path / "map.html"
    result = run_cli("map", "--out", str(out), "--tiles", str(tile_file), db=db)
    assert result.returncode == 0, result.stderr
    assert re.search(r"Embedded \d+ tiles \(\d+\.\d MB\), zoom 15-16", result.stderr)
    html = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" not in html
    layer = offline_layer(html)
    tiles = layer["tiles"]
    own = "16/{}/{}".format(*tile_at(tesla.lat, tesla.lon, 16))
    assert own in tiles and "16/{}/{}".format(*far_away[1:]) not in tiles
    z, x, y = (int(part) for part in own.split("/"))
    image = Image.open(io.BytesIO(base64.b64decode(tiles[own].split(",", 1)[1]))).convert("RGB")
    assert image.getpixel((5, 5)) == colour_of(z, x, y)

    # The file alone, with the network refused, draws those tiles at street level.
    view = MapView(allow_tiles=False)
    view.resize(800, 600)
    view.show()
    try:
        with qtbot.waitSignal(view.mapReady, timeout=30_000):
            view.load_page(str(out))
        run_js(view, f"window.heritageMap.map.setView([{tesla.lat}, {tesla.lon}], 16, {{animate: false}}); 1")
        qtbot.waitUntil(lambda: len(json.loads(run_js(view, DRAWN_TILES))) >= 2, timeout=15_000)
        assert all(src.startswith("data:image/png;base64,") for src in json.loads(run_js(view, DRAWN_TILES)))
        assert view.guard.blocked == [] and view.errors == []
    finally:
        view.close()
        shiboken6.delete(view)


def test_map_command_refuses_a_tile_file_it_cannot_use(tmp_path):
    db = tmp_path / "catalog.db"
    missing = run_cli(
        "map", "--out", str(tmp_path / "a.html"), "--tiles", str(tmp_path / "none.pmtiles"), db=db
    )
    assert missing.returncode == 1 and "none.pmtiles does not exist" in missing.stderr
    broken = tmp_path / "broken.mbtiles"
    broken.write_bytes(b"SQLite format 3\0" + b"\x13" * 5000)
    damaged = run_cli("map", "--out", str(tmp_path / "b.html"), "--tiles", str(broken), db=db)
    assert damaged.returncode == 1 and "broken.mbtiles is damaged" in damaged.stderr
    assert not (tmp_path / "a.html").exists() and not (tmp_path / "b.html").exists()


def test_a_tile_file_damaged_while_shown_is_named_and_the_base_map_stays(
    qtbot, ready_window, run_js, tmp_path, messages
):
    window = ready_window
    path = make_pmtiles(tmp_path / "belgrade.pmtiles")
    assert reload_with(qtbot, window, path)
    path.write_bytes(path.read_bytes()[:300])  # the copy on a pulled-out drive, cut short
    with qtbot.waitSignal(window.map_view.tilesFailed, timeout=15_000):
        street_level(run_js, window)
    qtbot.waitUntil(lambda: "belgrade.pmtiles is damaged" in window.statusBar().currentMessage())
    assert "base map" in window.statusBar().currentMessage()
    assert window.map_view.tile_archive is None
    wait_ready(qtbot, window)
    assert run_js(window.map_view, BASE_MAP_SHAPES) > 0


def test_a_trip_exported_with_a_tile_file_carries_its_streets(tmp_path, bundled_catalog):
    db = tmp_path / "catalog.db"
    tesla = bundled_catalog.site("nikola-tesla-museum")
    cx, cy = tile_at(tesla.lat, tesla.lon, 16)
    tile_file = make_mbtiles(tmp_path / "belgrade.mbtiles", [(16, cx + dx, cy) for dx in (-1, 0, 1)])
    planned = run_cli(
        "plan",
        "--sites",
        tesla.id,
        "--start",
        "2027-05-11",
        "--days",
        "1",
        "--base",
        "Belgrade",
        "--json",
        db=db,
    )
    assert planned.returncode == 0, planned.stderr
    itinerary = tmp_path / "trip.json"
    itinerary.write_text(planned.stdout, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "export", str(itinerary), "--out", str(out), "--format", "html", "--tiles", str(tile_file), db=db
    )
    assert result.returncode == 0, result.stderr
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" not in html
    assert f"16/{cx}/{cy}" in offline_layer(html)["tiles"]
    refused = run_cli(
        "export", str(itinerary), "--out", str(out), "--format", "pdf", "--tiles", str(tile_file), db=db
    )
    assert refused.returncode == 1 and "add html to --format" in refused.stderr


def test_the_windows_map_export_embeds_the_offline_maps_streets(qtbot, ready_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = ready_window
    assert reload_with(
        qtbot, window, make_mbtiles(tmp_path / "belgrade.mbtiles", belgrade_tiles(zooms=(16,)))
    )
    out = tmp_path / "map.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "HTML (*.html)"))
    window.export_map()
    qtbot.waitUntil(lambda: "Embedded" in window.statusBar().currentMessage(), timeout=30_000)
    html = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" not in html
    tiles = offline_layer(html)["tiles"]
    assert tiles and set(tiles) <= {f"{z}/{x}/{y}" for z, x, y in belgrade_tiles(zooms=(16,))}
