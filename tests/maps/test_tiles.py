"""Offline tile archives: MBTiles and PMTiles read tile by tile, and refused with a clear message
when missing, damaged or holding tiles the map cannot draw. The archives are built here, PMTiles
with the ``pmtiles`` package's own writer, and the tiles read back are decoded with Pillow."""

import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from maps.render.page import render_map
from maps.render.tiles import TileFileError, layer_options, open_tiles, tile_at, tiles_for_area
from sites.errors import HeritageError

#: Knez Mihailova, Belgrade's main street.
BELGRADE = (44.8176, 20.4572)
ZOOMS = (15, 16)


def colour_of(z: int, x: int, y: int) -> tuple[int, int, int]:
    """A colour that names a tile's XYZ address, so a tile read back says which it is."""
    return (z * 10 % 256, x % 256, y % 256)


def tile_image(z: int, x: int, y: int, kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour_of(z, x, y)).save(out, kind)
    return out.getvalue()


def belgrade_tiles(zooms=ZOOMS, spread: int = 1) -> list[tuple[int, int, int]]:
    """The XYZ addresses of the tiles around central Belgrade (a square of 2*spread+1 a side)."""
    addresses = []
    for z in zooms:
        cx, cy = tile_at(*BELGRADE, z)
        span = range(-spread, spread + 1)
        addresses += [(z, cx + dx, cy + dy) for dx in span for dy in span]
    return addresses


def make_mbtiles(path: Path, addresses=None, kind: str = "PNG", fmt: str | None = "png") -> Path:
    """An MBTiles file as QGIS writes one: rows counted from the bottom (TMS)."""
    addresses = belgrade_tiles() if addresses is None else addresses
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB)")
    zooms = [z for z, _, _ in addresses]
    metadata = {"name": "Belgrade test", "minzoom": str(min(zooms)), "maxzoom": str(max(zooms))}
    metadata |= {"bounds": "20.40,44.78,20.52,44.85", "attribution": "Test tiles"}
    if fmt:
        metadata["format"] = fmt
    db.executemany("INSERT INTO metadata VALUES (?, ?)", metadata.items())
    db.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        [(z, x, (1 << z) - 1 - y, tile_image(z, x, y, kind)) for z, x, y in addresses],
    )
    db.commit()
    db.close()
    return path


def make_pmtiles(path: Path, addresses=None, tile_type=TileType.PNG) -> Path:
    """A PMTiles file written by the ``pmtiles`` package's Writer."""
    addresses = belgrade_tiles() if addresses is None else addresses
    with path.open("wb") as file:
        writer = Writer(file)
        for z, x, y in sorted(addresses, key=lambda a: zxy_to_tileid(*a)):
            writer.write_tile(zxy_to_tileid(z, x, y), tile_image(z, x, y))
        zooms = [z for z, _, _ in addresses]
        writer.finalize(
            {
                "tile_type": tile_type,
                "tile_compression": Compression.NONE,
                "min_zoom": min(zooms),
                "max_zoom": max(zooms),
                "min_lon_e7": int(20.40e7),
                "min_lat_e7": int(44.78e7),
                "max_lon_e7": int(20.52e7),
                "max_lat_e7": int(44.85e7),
                "center_zoom": min(zooms),
                "center_lon_e7": int(BELGRADE[1] * 1e7),
                "center_lat_e7": int(BELGRADE[0] * 1e7),
            },
            {"name": "Belgrade test", "attribution": "Test tiles"},
        )
    return path


def decoded_colour(data: bytes) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (256, 256)
    return image.getpixel((128, 128))


@pytest.fixture(params=["mbtiles", "pmtiles"])
def archive_path(request, tmp_path):
    maker = make_mbtiles if request.param == "mbtiles" else make_pmtiles
    return maker(tmp_path / f"belgrade.{request.param}")


def test_a_tile_is_read_by_its_xyz_address(archive_path):
    archive = open_tiles(archive_path)
    try:
        assert (archive.info.image, archive.info.min_zoom, archive.info.max_zoom) == ("png", 15, 16)
        assert archive.info.attribution == "Test tiles"
        for z, x, y in belgrade_tiles():
            assert decoded_colour(archive.tile(z, x, y)) == colour_of(z, x, y)
    finally:
        archive.close()


def test_a_tile_the_archive_lacks_is_none(archive_path):
    archive = open_tiles(archive_path)
    try:
        z, x, y = belgrade_tiles()[0]
        assert archive.tile(z, x - 5, y) is None
        assert archive.tile(14, x // 2, y // 2) is None
        assert archive.tile(z, -1, y) is None
        assert archive.tile(z, 1 << z, y) is None
        assert archive.tile(40, 0, 0) is None
    finally:
        archive.close()


def test_mbtiles_rows_count_from_the_bottom(tmp_path):
    """MBTiles stores TMS rows: the XYZ row y is row 2^z - 1 - y in the file."""
    z, x, y = belgrade_tiles(zooms=(15,), spread=0)[0]
    path = make_mbtiles(tmp_path / "one.mbtiles", [(z, x, y)])
    tms_row = (1 << z) - 1 - y
    stored = sqlite3.connect(path).execute("SELECT tile_row FROM tiles").fetchone()[0]
    assert stored == tms_row != y
    archive = open_tiles(path)
    try:
        assert decoded_colour(archive.tile(z, x, y)) == colour_of(z, x, y)
        assert archive.tile(z, x, tms_row) is None
    finally:
        archive.close()


def test_the_image_type_is_read_from_the_tiles_when_metadata_omits_it(tmp_path):
    path = make_mbtiles(tmp_path / "jpeg.mbtiles", kind="JPEG", fmt=None)
    archive = open_tiles(path)
    try:
        assert (archive.info.image, archive.info.mime) == ("jpeg", "image/jpeg")
    finally:
        archive.close()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(TileFileError, match=r"does not exist") as caught:
        open_tiles(tmp_path / "nowhere.mbtiles")
    assert isinstance(caught.value, HeritageError)
    assert "nowhere.mbtiles" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [b"", b"this is a text file, not tiles\n" * 10, b"SQLite format 3\0" + b"\xff" * 4000, b"PMTiles\x03"],
    ids=["empty", "text", "scrambled-sqlite", "pmtiles-header-only"],
)
def test_a_corrupt_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "broken.mbtiles"
    path.write_bytes(content)
    with pytest.raises(TileFileError) as caught:
        open_tiles(path)
    message = str(caught.value)
    assert "broken.mbtiles" in message
    assert "MBTiles" in message or "damaged" in message


def test_a_pmtiles_file_cut_short_is_refused(tmp_path):
    path = make_pmtiles(tmp_path / "cut.pmtiles")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(TileFileError, match="damaged"):
        open_tiles(path)


def test_an_sqlite_file_that_is_not_mbtiles_says_so(tmp_path):
    path = tmp_path / "catalog.db"
    sqlite3.connect(path).execute("CREATE TABLE sites (id TEXT)").connection.commit()
    with pytest.raises(TileFileError, match="not MBTiles"):
        open_tiles(path)


def test_vector_tiles_are_refused_with_the_reason(tmp_path):
    with pytest.raises(TileFileError, match="vector tiles"):
        open_tiles(make_mbtiles(tmp_path / "vector.mbtiles", fmt="pbf"))
    with pytest.raises(TileFileError, match="vector tiles"):
        open_tiles(make_pmtiles(tmp_path / "vector.pmtiles", tile_type=TileType.MVT))


def test_a_page_embeds_whole_zoom_levels_within_its_budget(tmp_path):
    archive = open_tiles(make_mbtiles(tmp_path / "belgrade.mbtiles"))
    try:
        everything = tiles_for_area(archive, [BELGRADE], max_zoom=16)
        assert everything.max_zoom == 16
        z, x, y = belgrade_tiles(zooms=(16,), spread=0)[0]
        url = everything.urls[f"{z}/{x}/{y}"]
        assert url.startswith("data:image/png;base64,")
        level_15 = sum(
            len(archive.tile(*address) or b"") for address in belgrade_tiles(zooms=(15,), spread=1)
        )
        shallow = tiles_for_area(archive, [BELGRADE], max_zoom=16, budget=level_15)
        assert shallow.max_zoom == 15
        assert shallow.size <= level_15
        assert all(key.startswith("15/") for key in shallow.urls)
    finally:
        archive.close()


def test_sites_far_apart_carry_their_own_streets_not_the_land_between(tmp_path):
    nis = (43.3209, 21.8958)
    between = tile_at((BELGRADE[0] + nis[0]) / 2, (BELGRADE[1] + nis[1]) / 2, 16)
    addresses = [*belgrade_tiles(zooms=(16,)), (16, *tile_at(*nis, 16)), (16, *between)]
    archive = open_tiles(make_mbtiles(tmp_path / "two-towns.mbtiles", addresses))
    try:
        embedded = tiles_for_area(archive, [BELGRADE, nis])
    finally:
        archive.close()
    assert "16/{}/{}".format(*tile_at(*nis, 16)) in embedded.urls
    assert "16/{}/{}".format(*tile_at(*BELGRADE, 16)) in embedded.urls
    assert "16/{}/{}".format(*between) not in embedded.urls


def test_the_page_carries_an_ordinary_tile_layer_with_the_archive_s_range(tmp_path):
    archive = open_tiles(make_pmtiles(tmp_path / "belgrade.pmtiles"))
    try:
        options = layer_options(archive.info, url="heritage-tiles://a1/{z}/{x}/{y}")
    finally:
        archive.close()
    html = render_map([], [], tiles=False, offline_tiles=options)
    found = re.search(r"HT\.offlineTiles\(\w+, (\{.*?\})\);\n", html)
    assert found
    layer = json.loads(found.group(1))
    assert layer["url"] == "heritage-tiles://a1/{z}/{x}/{y}" and layer["tiles"] is None
    assert (layer["minZoom"], layer["maxNativeZoom"]) == (15, 16)
    assert layer["bounds"] == [[44.78, 20.4], [44.85, 20.52]]
    assert "tile.openstreetmap.org" not in html


def test_a_file_damaged_after_it_was_opened_is_a_clear_error(tmp_path):
    path = make_pmtiles(tmp_path / "belgrade.pmtiles")
    archive = open_tiles(path)
    try:
        path.write_bytes(path.read_bytes()[:300])  # a drive pulled out, a copy cut short
        z, x, y = belgrade_tiles()[-1]
        with pytest.raises(TileFileError, match="damaged"):
            archive.tile(z, x, y)
    finally:
        archive.close()
