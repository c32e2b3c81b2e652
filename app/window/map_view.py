"""The map: folium HTML from ``maps`` in a QWebEngineView, talking to Qt over a QWebChannel."""

import itertools
import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QFile, QIODevice, QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlSchemeHandler,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from app.environment import TILE_SCHEME
from maps.render.tiles import TileArchive, TileFileError, layer_options
from sites.files import write_atomically
from sites.models import Site, Theme

#: The only remote host the page may reach: OpenStreetMap's tile server.
TILE_HOST = "tile.openstreetmap.org"

_GLUE = """
new QWebChannel(qt.webChannelTransport, function (channel) {
    var bridge = channel.objects.bridge;
    function connect() {
        if (!window.heritageMap) { return setTimeout(connect, 50); }
        window.heritageMap.onSelect = function (id) { bridge.select(id); };
        window.heritageMap.onAdd = function (id) { bridge.addToTrip(id); };
        window.heritageMap.onMapClick = function (lat, lon) { bridge.mapClicked(lat, lon); };
        window.heritageMap.onMarkerMoved = function (lat, lon) { bridge.markerMoved(lat, lon); };
        window.heritageMap.fetchTexts = function (id, done) {
            bridge.siteTexts(id, function (texts) { done(JSON.parse(texts)); });
        };
        bridge.ready();
    }
    connect();
});
"""


def _qt_resource(path: str) -> str:
    file = QFile(path)
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError(f"Qt resource {path} is missing")
    return bytes(file.readAll().data()).decode("utf-8")


class MapBridge(QObject):
    """The only object the page sees: a selected site, an "Add to trip", a click or a dragged
    marker (for curators placing a site), that the page is ready, and a site's texts for its
    popup (from ``texts``, which the window sets). Nothing else."""

    #: A site's (summary, American story) by id; ("", "") for an unknown id.
    texts: Callable[[str], tuple[str, str]] | None = None

    siteClicked = Signal(str)
    addRequested = Signal(str)
    clickedAt = Signal(float, float)
    movedTo = Signal(float, float)
    pageReady = Signal()

    @Slot(str)
    def select(self, site_id: str) -> None:
        self.siteClicked.emit(str(site_id)[:200])

    @Slot(str)
    def addToTrip(self, site_id: str) -> None:
        self.addRequested.emit(str(site_id)[:200])

    @Slot(float, float)
    def mapClicked(self, lat: float, lon: float) -> None:
        self.clickedAt.emit(float(lat), float(lon))

    @Slot(float, float)
    def markerMoved(self, lat: float, lon: float) -> None:
        self.movedTo.emit(float(lat), float(lon))

    @Slot()
    def ready(self) -> None:
        self.pageReady.emit()

    @Slot(str, result=str)
    def siteTexts(self, site_id: str) -> str:
        """A site's summary and American story for its popup, as a JSON list: the window's page
        leaves them out, as they are two thirds of it at 50,000 sites."""
        return json.dumps(list(self.texts(str(site_id)[:200])) if self.texts else ["", ""])


class RequestGuard(QWebEngineUrlRequestInterceptor):
    """Lets the page load its own file, the window's offline tiles and, when allowed,
    OpenStreetMap tiles; nothing else."""

    def __init__(self, allow_tiles: bool, parent=None):
        super().__init__(parent)
        self.allow_tiles = allow_tiles
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() in ("file", "data", "qrc", "blob", TILE_SCHEME.decode()):
            return
        host = url.host()
        if (
            self.allow_tiles
            and url.scheme() == "https"
            and (host == TILE_HOST or host.endswith("." + TILE_HOST))
        ):
            return
        self.blocked.append(url.toString())
        info.block(True)


class MapPage(QWebEnginePage):
    """The map's web page, which keeps the errors its JavaScript reports (an uncaught exception
    reaches the console as one), so the window can say so and the tests can fail on them."""

    pageError = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.errors: list[str] = []

    def javaScriptConsoleMessage(
        self, level: QWebEnginePage.JavaScriptConsoleMessageLevel, message: str, line: int, source: str
    ) -> None:
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            error = f"{message} (line {line})"
            self.errors.append(error)
            self.pageError.emit(error)


class TileServer(QWebEngineUrlSchemeHandler):
    """Answers the pages' ``heritage-tiles://<archive>/<z>/<x>/<y>`` requests from the tile
    archives the map views serve: the tile's image, or "not found" where the archive has none.
    One per web profile (a scheme has one handler); each view serves under its own key."""

    #: An archive could not be read while serving: its key and the message.
    failed = Signal(str, str)

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._archives: dict[str, TileArchive] = {}
        self._keys = itertools.count(1)

    @classmethod
    def of(cls, profile: QWebEngineProfile) -> "TileServer":
        """The profile's tile server, installed on first use."""
        server = profile.findChild(TileServer)
        if server is None:
            server = cls(profile)
            profile.installUrlSchemeHandler(TILE_SCHEME, server)
        return server

    def serve(self, archive: TileArchive) -> str:
        """Serve an archive; returns its key (the URLs' host)."""
        key = f"a{next(self._keys)}"
        self._archives[key] = archive
        return key

    def withdraw(self, key: str) -> None:
        """Stop serving an archive and close its file."""
        archive = self._archives.pop(key, None)
        if archive is not None:
            archive.close()

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        archive = self._archives.get(url.host())
        address = url.path().strip("/").split("/")
        if archive is None or len(address) != 3 or not all(part.isdigit() for part in address):
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        z, x, y = (int(part) for part in address)
        try:
            data = archive.tile(z, x, y)
        except TileFileError as error:
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
            self.failed.emit(url.host(), str(error))
            return
        if data is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        body = QBuffer(job)
        body.setData(data)
        body.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(archive.info.mime.encode(), body)


def write_map_page(
    sites: list[Site],
    themes: list[Theme],
    path: str | Path,
    tiles: bool,
    offline_tiles: dict | None = None,
    texts: bool = True,
) -> str:
    """Render a map page and write it to a file whole (``setHtml`` caps pages at 2 MB); runs
    off the GUI thread. Returns the path.

    folium is imported here, not with the window, which shows its list a second sooner."""
    from maps.render.page import render_map

    write_atomically(path, render_map(sites, themes, tiles=tiles, offline_tiles=offline_tiles, texts=texts))
    return str(path)


class MapView(QWebEngineView):
    """Shows the map page; selection travels both ways without rebuilding the page."""

    siteClicked = Signal(str)
    addRequested = Signal(str)
    mapClicked = Signal(float, float)
    markerMoved = Signal(float, float)
    mapReady = Signal()
    #: The page's JavaScript failed: the message, for the status bar.
    pageError = Signal(str)
    #: The offline tile file could not be read while the map was showing it: the message.
    tilesFailed = Signal(str)

    def __init__(self, allow_tiles: bool, parent=None):
        super().__init__(parent)
        self.is_ready = False
        self._pending_highlight: str | None = None
        self._pending_filter: list[str] | None = None
        self._pending_routes: list[dict] | None = None
        self.guard = RequestGuard(allow_tiles, self)
        page = MapPage(self)
        self.tile_server = TileServer.of(page.profile())
        self.tile_server.failed.connect(self._on_tiles_failed)
        self._tile_key: str | None = None
        self.tile_archive: TileArchive | None = None
        page.pageError.connect(self.pageError)
        self.errors = page.errors
        page.setUrlRequestInterceptor(self.guard)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, allow_tiles)
        self.setPage(page)
        self.bridge = MapBridge(self)
        self.bridge.siteClicked.connect(self.siteClicked)
        self.bridge.addRequested.connect(self.addRequested)
        self.bridge.clickedAt.connect(self.mapClicked)
        self.bridge.movedTo.connect(self.markerMoved)
        self.bridge.pageReady.connect(self._on_page_ready)
        self.channel = QWebChannel(self)
        self.channel.registerObject("bridge", self.bridge)
        page.setWebChannel(self.channel)
        script = QWebEngineScript()
        script.setName("heritage-trails-bridge")
        script.setSourceCode(_qt_resource(":/qtwebchannel/qwebchannel.js") + _GLUE)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
        script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
        page.scripts().insert(script)

    def set_tiles(self, archive: TileArchive | None) -> None:
        """Serve street-level tiles from an archive to the next page (None: none); the view
        closes the archive it served before."""
        if self._tile_key is not None:
            self.tile_server.withdraw(self._tile_key)
        self.tile_archive = archive
        self._tile_key = self.tile_server.serve(archive) if archive is not None else None
        # The page reaches the tile scheme as a remote URL; the guard lets no other through.
        self.page().settings().setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls,
            self.guard.allow_tiles or archive is not None,
        )

    def tile_layer(self) -> dict | None:
        """The page's offline tile layer (``maps.render.tiles.layer_options``), or None."""
        if self.tile_archive is None or self._tile_key is None:
            return None
        url = f"{TILE_SCHEME.decode()}://{self._tile_key}/{{z}}/{{x}}/{{y}}"
        return layer_options(self.tile_archive.info, url=url)

    def _on_tiles_failed(self, key: str, message: str) -> None:
        if key == self._tile_key:
            self.set_tiles(None)
            self.tilesFailed.emit(message)

    def load_page(self, path: str) -> None:
        """Load a rendered map page from a file."""
        self.is_ready = False
        self.load(QUrl.fromLocalFile(path))

    def highlight(self, site_id: str) -> None:
        """Centre and highlight a site's marker."""
        self._pending_highlight = site_id
        if self.is_ready:
            self.page().runJavaScript(f"window.heritageMap.highlight({json.dumps(site_id)}, true)")

    def show_only(self, site_ids: list[str] | None) -> None:
        """Show only these sites' markers (None: all of them)."""
        self._pending_filter = site_ids
        if self.is_ready:
            self.page().runJavaScript(f"window.heritageMap.showOnly({json.dumps(site_ids)})")

    def show_routes(self, days: list[dict]) -> None:
        """Draw an itinerary's days (``maps.render.route_data``) over the sites."""
        self._pending_routes = days
        if self.is_ready:
            self.page().runJavaScript(f"window.heritageMap.showRoutes({json.dumps(days)})")

    def edit_marker(self, lat: float | None, lon: float | None = None) -> None:
        """Show the draggable marker of the site being edited (None hides it)."""
        if not self.is_ready:
            return
        if lat is None or lon is None:
            self.page().runJavaScript("window.heritageMap.clearEditMarker()")
        else:
            self.page().runJavaScript(f"window.heritageMap.editMarker({float(lat)}, {float(lon)})")

    def _on_page_ready(self) -> None:
        self.is_ready = True
        if self._pending_filter is not None:
            self.show_only(self._pending_filter)
        if self._pending_highlight:
            self.highlight(self._pending_highlight)
        if self._pending_routes is not None:
            self.show_routes(self._pending_routes)
        self.mapReady.emit()
