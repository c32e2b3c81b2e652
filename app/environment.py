"""Process settings QtWebEngine needs before Qt starts."""

import os

#: The URL scheme the window serves offline map tiles on (``heritage-tiles://<archive>/z/x/y``).
TILE_SCHEME = b"heritage-tiles"


def prepare_qt() -> None:
    """Set the environment QtWebEngine needs here (no sandbox as root, software rendering) and
    register the offline tiles' URL scheme, which Qt takes only before the application starts."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to sandbox itself as root.
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    for flag in ("--disable-background-networking", "--disable-component-update"):
        if flag not in flags:
            flags = f"{flags} {flag}".strip()
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags
    register_tile_scheme()


def register_tile_scheme() -> None:
    """Declare ``heritage-tiles:`` to QtWebEngine: a secure scheme with a host (the archive) and a
    path (the tile), served by ``app.window.map_view.TileServer``, never by the network.

    Chromium counts it as remote, as it would a local scheme as a file: the map page may reach it
    once ``LocalContentCanAccessRemoteUrls`` is on, and the request guard then refuses every
    other remote URL."""
    from PySide6.QtWebEngineCore import QWebEngineUrlScheme

    if QWebEngineUrlScheme.schemeByName(TILE_SCHEME).name() == TILE_SCHEME:
        return
    scheme = QWebEngineUrlScheme(TILE_SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme)
    QWebEngineUrlScheme.registerScheme(scheme)


def tiles_enabled() -> bool:
    """Whether maps may ask the OpenStreetMap tile server for tiles (off with HERITAGE_TRAILS_OFFLINE=1)."""
    return os.environ.get("HERITAGE_TRAILS_OFFLINE", "") not in ("1", "true", "yes")
