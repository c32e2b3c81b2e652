"""Leaflet from its XStatic package, inlined so a page needs no network."""

import base64
import re
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as leaflet
from branca.element import Element

from maps.render.elements import RawHTML

LEAFLET_DIR = Path(leaflet.BASE_DIR)
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
    """Leaflet's CSS, with its images embedded."""
    return _embed_images(_read(LEAFLET_DIR / "leaflet.css"), LEAFLET_DIR / "images")


@cache
def script() -> str:
    """Leaflet's JavaScript, the minified build."""
    return _read(LEAFLET_DIR / "leaflet.js")


def header_elements() -> list[tuple[str, Element]]:
    """Named header elements that carry the library inline, for ``figure.header``."""
    return [
        ("leaflet_css", RawHTML(f"<style>{stylesheets()}</style>")),
        ("leaflet", RawHTML(f"<script>{script_safe(script())}</script>")),
    ]


def script_safe(code: str) -> str:
    # A literal "</script" inside inlined code would end the element early.
    return code.replace("</script", "<\\/script")
