"""Offline raster tiles from a tile archive a traveler made or was given, for street level with
no network: MBTiles (an SQLite file) or PMTiles (one file read by byte ranges).

Both hold square web-mercator tiles in PNG, JPEG or WebP; a browser draws them as they are, so
an ordinary Leaflet tile layer shows them (vector tiles would need a renderer, and are refused
with a message that says so). The window serves tiles to its page one by one (``tile``); a
standalone HTML page embeds the few around its sites (``tiles_for_area``).
"""

import base64
import gzip
import math
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from pmtiles.reader import Reader as PMTilesReader
from pmtiles.tile import Compression, MagicNumberNotFound, SpecVersionUnsupported, TileType

from sites.errors import HeritageError

#: The image types a browser draws, by the name MBTiles metadata gives them, with their MIME type.
IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
_FORMAT_NAMES = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "webp": "webp"}
_PMTILES_TYPES = {TileType.PNG: "png", TileType.JPEG: "jpeg", TileType.WEBP: "webp"}
#: The deepest zoom an archive may claim: beyond it tile numbers overflow PMTiles' 64-bit ids.
MAX_ZOOM = 26
#: What a person can do about a file the map cannot use.
HOW_TO_MAKE = (
    "make one with QGIS (Processing → Raster tools → Generate XYZ tiles (MBTiles)) "
    "or a tile tool, holding PNG, JPEG or WebP tiles"
)


class TileFileError(HeritageError):
    """A tile archive is missing, damaged, or holds tiles the map cannot draw."""


@dataclass(frozen=True)
class TileInfo:
    """What an archive holds: its image type, zoom range, area and credit line."""

    image: str  # a key of IMAGE_TYPES
    min_zoom: int
    max_zoom: int
    #: west, south, east, north in degrees; None when the archive does not say.
    bounds: tuple[float, float, float, float] | None = None
    attribution: str = ""

    @property
    def mime(self) -> str:
        return IMAGE_TYPES[self.image]


class TileArchive(Protocol):
    """An open tile archive: what it holds, and one tile by its XYZ address (y from the top)."""

    path: Path
    info: TileInfo

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's image, or None when the archive has no tile there; raises TileFileError
        when the file turns out to be damaged."""
        ...

    def close(self) -> None: ...


def open_tiles(path: str | Path) -> TileArchive:
    """Open an MBTiles or PMTiles file, recognised by its first bytes rather than its name."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            magic = file.read(16)
    except FileNotFoundError:
        raise TileFileError(f"The offline map file {path} does not exist.") from None
    except IsADirectoryError:
        raise TileFileError(f"{path} is a folder, not an offline map file.") from None
    except OSError as error:
        raise TileFileError(f"The offline map file {path} cannot be read: {error.strerror}.") from None
    if magic.startswith(b"PMTiles"):
        return PMTiles(path)
    if magic.startswith(b"SQLite format 3\0"):
        return MBTiles(path)
    raise TileFileError(f"{path} is neither an MBTiles nor a PMTiles file; {HOW_TO_MAKE}.")


def _damaged(path: Path, detail: object) -> TileFileError:
    return TileFileError(f"The offline map file {path} is damaged ({detail}); {HOW_TO_MAKE}.")


def _check_address(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)


def sniff_image(data: bytes) -> str | None:
    """The image type of a tile by its first bytes (a key of IMAGE_TYPES), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


class MBTiles:
    """An MBTiles 1.x file: tiles by zoom, column and TMS row (counted from the bottom)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        try:
            # Read-only: the app never changes a traveler's file.
            uri = f"{path.resolve().as_uri()}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as error:
            raise TileFileError(f"The offline map file {path} cannot be opened: {error}.") from None
        try:
            self.info = self._read_info()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise _damaged(path, getattr(error, "sqlite_errorname", "") or error) from None
        except TileFileError:
            self._db.close()
            raise

    def _read_info(self) -> TileInfo:
        tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master")}
        if "tiles" not in tables:
            raise TileFileError(
                f"{self.path} is an SQLite file but not MBTiles (it has no tiles table); {HOW_TO_MAKE}."
            )
        rows = self._db.execute("SELECT name, value FROM metadata") if "metadata" in tables else []
        metadata = dict(rows)
        low, high = self._db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        if low is None:
            raise TileFileError(f"The offline map file {self.path} holds no tiles; {HOW_TO_MAKE}.")
        declared = str(metadata.get("format", "")).strip().lower()
        image = _FORMAT_NAMES.get(declared)
        if image is None:
            if declared in ("pbf", "mvt"):
                raise TileFileError(
                    f"{self.path} holds vector tiles, which the map cannot draw without a renderer; "
                    f"{HOW_TO_MAKE}."
                )
            (first,) = self._db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
            image = sniff_image(bytes(first or b""))
            if image is None:
                raise TileFileError(f"{self.path} holds tiles that are not images; {HOW_TO_MAKE}.")
        return TileInfo(
            image=image,
            min_zoom=_zoom(metadata.get("minzoom"), low),
            max_zoom=_zoom(metadata.get("maxzoom"), high),
            bounds=_bounds(metadata.get("bounds")),
            attribution=str(metadata.get("attribution", "")),
        )

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        if not _check_address(z, x, y):
            return None
        row = (1 << z) - 1 - y  # MBTiles counts rows from the bottom (TMS)
        try:
            with self._lock:
                found = self._db.execute(
                    "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                    (z, x, row),
                ).fetchone()
        except sqlite3.DatabaseError as error:
            raise _damaged(self.path, getattr(error, "sqlite_errorname", "") or error) from None
        return bytes(found[0]) if found and found[0] else None

    def close(self) -> None:
        self._db.close()


def _zoom(value: object, fallback: int) -> int:
    try:
        zoom = int(str(value))
    except ValueError:
        return int(fallback)
    return zoom if 0 <= zoom <= MAX_ZOOM else int(fallback)


def _bounds(value: object) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(part) for part in str(value).split(","))
    except ValueError:
        return None
    if -180 <= west < east <= 180 and -90 <= south < north <= 90:
        return west, south, east, north
    return None


class PMTiles:
    """A PMTiles (version 3) file, read with the ``pmtiles`` package by positioned reads (not a
    memory map, which would crash the app if the file shrank, as on a drive pulled out)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._file: BinaryIO = path.open("rb")
        try:
            self._reader = PMTilesReader(self._read)
            header = self._reader.header()
        except SpecVersionUnsupported:
            self._file.close()
            raise TileFileError(
                f"{path} is a PMTiles file of an older version; convert it with `pmtiles convert`."
            ) from None
        except (MagicNumberNotFound, ValueError, OSError, IndexError) as error:
            self._file.close()
            raise _damaged(path, str(error) or "its header cannot be read") from None
        tile_type = header["tile_type"]
        if tile_type not in _PMTILES_TYPES:
            self.close()
            vector = tile_type in (TileType.MVT, TileType.MLT)
            kind = "vector tiles" if vector else "tiles that are not images"
            raise TileFileError(f"{path} holds {kind}, which the map cannot draw; {HOW_TO_MAKE}.")
        self._gzipped = header["tile_compression"] == Compression.GZIP
        bounds = (
            header["min_lon_e7"] / 1e7,
            header["min_lat_e7"] / 1e7,
            header["max_lon_e7"] / 1e7,
            header["max_lat_e7"] / 1e7,
        )
        try:
            metadata = self._reader.metadata()
        except (ValueError, OSError, EOFError, zlib.error):
            metadata = {}
        if not isinstance(metadata, dict):
            metadata = {}
        self.info = TileInfo(
            image=_PMTILES_TYPES[tile_type],
            min_zoom=min(header["min_zoom"], MAX_ZOOM),
            max_zoom=min(header["max_zoom"], MAX_ZOOM),
            bounds=_bounds(",".join(map(str, bounds))),
            attribution=str(metadata.get("attribution", "")),
        )
        try:
            self._probe()
        except TileFileError:
            self.close()
            raise

    def _read(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0:
            raise ValueError("its directory points outside the file")
        with self._lock:
            self._file.seek(offset)
            data = self._file.read(length)
        if len(data) != length:
            raise ValueError("it ends before the data its directory points to")
        return data

    def _probe(self) -> None:
        """Read one tile now, so a file cut short or scrambled is refused when it is chosen."""
        zoom = self.info.min_zoom
        if self.info.bounds:
            west, south, east, north = self.info.bounds
            x, y = tile_at((south + north) / 2, (west + east) / 2, zoom)
        else:
            x = y = 0
        self.tile(zoom, x, y)

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        if not _check_address(z, x, y):
            return None
        try:
            data = self._reader.get(z, x, y)
            if data is not None and self._gzipped:
                data = gzip.decompress(data)
        except (ValueError, OSError, EOFError, IndexError, zlib.error) as error:
            raise _damaged(self.path, error) from None
        return bytes(data) if data else None

    def close(self) -> None:
        self._file.close()


def tile_at(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """The XYZ column and row (from the top) of the web-mercator tile holding a point."""
    n = 1 << zoom
    lat = max(min(lat, 85.0511), -85.0511)
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tiles_in(south: float, west: float, north: float, east: float, zoom: int) -> Iterator[tuple[int, int]]:
    """Every tile (x, y) at a zoom that a box of degrees touches."""
    x0, y0 = tile_at(north, west, zoom)
    x1, y1 = tile_at(south, east, zoom)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            yield x, y


@dataclass
class EmbeddedTiles:
    """Tiles chosen to travel inside a standalone page: by ``z/x/y``, as data URLs."""

    info: TileInfo
    urls: dict[str, str] = field(default_factory=dict)
    size: int = 0  # bytes of image data, before base64
    max_zoom: int = -1  # the deepest zoom embedded; -1 when none fit

    def add(self, z: int, x: int, y: int, data: bytes) -> None:
        kind = sniff_image(data) or self.info.image
        encoded = base64.b64encode(data).decode("ascii")
        self.urls[f"{z}/{x}/{y}"] = f"data:{IMAGE_TYPES[kind]};base64,{encoded}"
        self.size += len(data)


#: A standalone page embeds the whole area of its points at each zoom that needs at most this many
#: tiles (a region at a glance) ...
AREA_TILES = 256
#: ... and, deeper, only the tiles within this many metres of a point (a site or a stop).
STREET_RADIUS_M = 500
#: The most image data a standalone page carries (base64 makes the page a third larger).
EMBED_BUDGET = 30_000_000


def tiles_for_area(
    archive: TileArchive,
    points: Iterable[tuple[float, float]],
    *,
    max_zoom: int = 16,
    budget: int = EMBED_BUDGET,
) -> EmbeddedTiles:
    """The archive's tiles around some points (lat, lon) for a standalone page: the points' whole
    area while it takes at most ``AREA_TILES`` tiles, then the streets around each point, down to
    ``max_zoom``.

    Zoom levels are added whole, shallowest first, while the image data stays within ``budget``
    bytes, so a page never holds half a zoom level.
    """
    points = list(points)
    embedded = EmbeddedTiles(archive.info)
    if not points:
        return embedded
    low = archive.info.min_zoom
    high = min(max_zoom, archive.info.max_zoom)
    boxes = [_around(lat, lon) for lat, lon in points]
    area = (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )
    for zoom in range(low, high + 1):
        (x0, y0), (x1, y1) = tile_at(area[2], area[1], zoom), tile_at(area[0], area[3], zoom)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= AREA_TILES:
            wanted = set(tiles_in(*area, zoom))
        else:
            wanted = {tile for box in boxes for tile in tiles_in(*box, zoom)}
        found = [(x, y, data) for x, y in sorted(wanted) if (data := archive.tile(zoom, x, y))]
        if embedded.size + sum(len(data) for _, _, data in found) > budget:
            break
        for x, y, data in found:
            embedded.add(zoom, x, y, data)
        embedded.max_zoom = zoom
    return embedded


def _around(lat: float, lon: float) -> tuple[float, float, float, float]:
    """South, west, north and east of the streets around a point (``STREET_RADIUS_M``)."""
    dlat = STREET_RADIUS_M / 111_320
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def layer_options(info: TileInfo, *, url: str = "", embedded: EmbeddedTiles | None = None) -> dict:
    """What the page's offline tile layer (``HT.offlineTiles``) needs: tiles served at ``url`` (a
    template with ``{z}``, ``{x}``, ``{y}``) or ``embedded`` in the page, the zooms they cover and
    their area, so Leaflet never asks for a tile the archive cannot have."""
    bounds = None
    if info.bounds:
        west, south, east, north = info.bounds
        bounds = [[south, west], [north, east]]
    deepest = embedded.max_zoom if embedded is not None else info.max_zoom
    return {
        "url": url,
        "tiles": embedded.urls if embedded is not None else None,
        "minZoom": info.min_zoom,
        "maxNativeZoom": max(deepest, info.min_zoom),
        "bounds": bounds,
        "attribution": info.attribution,
    }


def embedded_layer(
    path: str | Path, points: Iterable[tuple[float, float]], max_zoom: int = 16
) -> tuple[dict | None, list[str]]:
    """A standalone page's tile layer with a tile file's tiles around some points embedded (None
    when the file has none there), and notes for the person saving it: how much went in, and
    what was left out to keep the page small."""
    if not 0 <= max_zoom <= 22:
        raise TileFileError(f"The deepest zoom must be between 0 and 22, not {max_zoom}")
    archive = open_tiles(path)
    try:
        embedded = tiles_for_area(archive, points, max_zoom=max_zoom)
    finally:
        archive.close()
    if not embedded.urls:
        return None, [f"{path} has no tiles around these places; the map shows its own base map"]
    notes = [
        f"Embedded {len(embedded.urls)} tiles ({embedded.size / 1e6:.1f} MB), zoom "
        f"{archive.info.min_zoom}-{embedded.max_zoom}"
    ]
    if embedded.max_zoom < min(max_zoom, archive.info.max_zoom):
        notes.append(f"Zoom {embedded.max_zoom + 1} and deeper left out to keep the page small")
    return layer_options(archive.info, embedded=embedded), notes
