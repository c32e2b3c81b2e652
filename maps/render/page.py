"""Render sites as a folium (Leaflet) map: one HTML page that works with no network.

The page exposes ``window.heritageMap`` so a host (the desktop app) can highlight a site,
show a subset, or learn which marker was clicked, without rebuilding the page.
"""

from collections.abc import Sequence
from html import escape

import folium
from branca.element import Element, Figure
from folium.template import Template

from maps.render import assets
from maps.render.elements import RawHTML, RenderOnceMacroElement
from maps.render.layers import BaseLayer, SiteLayer, layer_scripts
from sites.models import Site, Theme
from sites.validation import SERBIA_BOUNDS

MIN_ZOOM, MAX_ZOOM = 5, 19


class OfflineMap(folium.Map):
    """A folium Map that links nothing from a CDN; ``render_map`` inlines the libraries."""

    default_js: list[tuple[str, str]] = []  # noqa: RUF012  (folium's own class attribute)
    default_css: list[tuple[str, str]] = []  # noqa: RUF012


def render_map(
    sites: Sequence[Site],
    themes: Sequence[Theme],
    *,
    tiles: bool = True,
    title: str = "Heritage Trails",
    routes: Sequence[dict] = (),
    sources: bool = False,
    offline_tiles: dict | None = None,
    texts: bool = True,
) -> str:
    """A standalone HTML page of the sites on an offline base layer (and OSM tiles if ``tiles``),
    with an itinerary's days drawn (``routes`` from ``route_data``) and their legend, and
    each site's source links in its popup when ``sources`` (for pages that leave the app).
    Without ``texts`` the popups ask the host for the sites' stories (see ``SiteLayer``).

    ``offline_tiles`` (``maps.render.tiles.layer_options``) adds street-level tiles from a tile
    archive, served by the host or embedded in the page."""
    # The site clusters need the map to know its zoom range even when no tile layer sets one.
    fmap = OfflineMap(location=None, tiles=None, control_scale=True, maxZoom=MAX_ZOOM, minZoom=MIN_ZOOM)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)  # folium.Map adds itself to a new Figure when created
    figure.title = escape(title)  # branca puts it in <title> as it is
    for name, element in assets.header_elements():
        figure.header.add_child(element, name=name)
    figure.header.add_child(
        RawHTML(f"<script>{assets.script_safe(layer_scripts())}</script>"), name="ht_layers"
    )
    fmap.add_child(BaseLayer())
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", max_zoom=MAX_ZOOM).add_to(fmap)
    if offline_tiles is not None:
        fmap.add_child(OfflineTileLayer(offline_tiles))
    fmap.add_child(SiteLayer(sites, themes, routes, sources, texts))
    fmap.fit_bounds(_bounds(sites), padding=(30, 30), max_zoom=12)
    figure.header.add_child(Element('<meta name="referrer" content="no-referrer">'), name="referrer")
    return figure.render()


class OfflineTileLayer(RenderOnceMacroElement):
    """Raster tiles from a tile archive as an ordinary Leaflet tile layer (``HT.offlineTiles`` in
    ``base_layer.js``), above the base map and beneath the sites."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        HT.offlineTiles({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, options: dict):
        super().__init__()
        self._name = "OfflineTileLayer"
        self.options = options


def _bounds(sites: Sequence[Site]) -> list[list[float]]:
    if not sites:
        south, west, north, east = SERBIA_BOUNDS
        return [[south, west], [north, east]]
    lats = [s.lat for s in sites]
    lons = [s.lon for s in sites]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
