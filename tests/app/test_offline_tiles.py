"""Street level with no network: the window serves a tile file's tiles to its map page through its
own URL scheme, and a missing or damaged file is explained while the base map still draws."""

import json

import pytest

from app import errors
from app.window.main_window import settings
from tests.maps.test_tiles import BELGRADE, belgrade_tiles, make_mbtiles, make_pmtiles

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
