"""Process settings QtWebEngine needs before Qt starts."""

import os


def prepare_qt() -> None:
    """Set the environment QtWebEngine needs here: no sandbox as root, software rendering."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to sandbox itself as root.
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    for flag in ("--disable-background-networking", "--disable-component-update"):
        if flag not in flags:
            flags = f"{flags} {flag}".strip()
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags


def tiles_enabled() -> bool:
    """Whether maps may ask the OpenStreetMap tile server for tiles (off with HERITAGE_TRAILS_OFFLINE=1)."""
    return os.environ.get("HERITAGE_TRAILS_OFFLINE", "") not in ("1", "true", "yes")
