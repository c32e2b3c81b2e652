"""Leaflet and MarkerCluster from the XStatic packages, inlined so a page needs no network."""

import base64
import re
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster
from branca.element import Element

from maps.render.elements import RawHTML

LEAFLET_DIR = Path(leaflet.BASE_DIR)
MARKERCLUSTER_DIR = Path(markercluster.BASE_DIR)
_CSS_IMAGE = re.compile(r"url\((['\"]?)images/([\w.-]+)\1\)")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _embed_images(css: str, images: Path) -> str:
    """Replace ``url(images/x.png)`` in Leaflet's CSS with data URIs."""

    def data_uri(match: re.Match) -> str:
        image = images / match.group(2)
        if not image.exists():
            return match.group(0)
        kind = "svg+xml" if image.suffix == ".svg" else image.suffix.lstrip(".")
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/{kind};base64,{encoded})"

    return _CSS_IMAGE.sub(data_uri, css)


@cache
def stylesheets() -> str:
    """Leaflet's and MarkerCluster's CSS, with Leaflet's images embedded."""
    return "\n".join(
        [
            _embed_images(_read(LEAFLET_DIR / "leaflet.css"), LEAFLET_DIR / "images"),
            _read(MARKERCLUSTER_DIR / "MarkerCluster.css"),
            _read(MARKERCLUSTER_DIR / "MarkerCluster.Default.css"),
        ]
    )


@cache
def scripts() -> tuple[str, str]:
    """Leaflet's and MarkerCluster's JavaScript, minified builds."""
    return _read(LEAFLET_DIR / "leaflet.js"), _read(MARKERCLUSTER_DIR / "leaflet.markercluster.js")


def header_elements() -> list[tuple[str, Element]]:
    """Named header elements that carry the libraries inline, for ``figure.header``."""
    leaflet_js, cluster_js = scripts()
    return [
        ("leaflet_css", RawHTML(f"<style>{stylesheets()}</style>")),
        ("leaflet", RawHTML(f"<script>{script_safe(leaflet_js)}</script>")),
        ("markercluster", RawHTML(f"<script>{script_safe(cluster_js)}</script>")),
    ]


def script_safe(code: str) -> str:
    # A literal "</script" inside inlined code would end the element early.
    return code.replace("</script", "<\\/script")
