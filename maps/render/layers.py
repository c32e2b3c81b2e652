"""The map page's own layers: the offline base map, and the sites with the trip's routes (its
legend of day colours too). Their JavaScript lives beside this module as .js files.
"""

import html
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from folium.template import Template

from maps.render import basemap
from maps.render.elements import RenderOnceMacroElement
from sites import geography
from sites.models import Site, Theme

#: The layers' JavaScript, beside this module; each file defines one ``HT.<layer>`` function.
SCRIPTS = ("base_layer.js", "site_clusters.js", "site_layer.js")
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_FALLBACK_COLOUR = "#555555"


class BaseLayer(RenderOnceMacroElement):
    """Land, borders, rivers, lakes and named places in panes beneath the tiles: the map a
    traveler reads when no tile loads (``base_layer.js`` places the labels)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .ht-country { color: #7d7390; font: 600 12px/1 sans-serif; letter-spacing: .18em;
                        text-transform: uppercase; white-space: nowrap; text-shadow: 0 0 3px #fff;
                        transform: translate(-50%, -50%); }
          .ht-town { white-space: nowrap; color: #3b4650; font: 11px/1 sans-serif; }
          .ht-town .ht-town-dot { position: absolute; left: -3px; top: -3px; width: 6px; height: 6px;
                        box-sizing: border-box; border-radius: 50%; background: #fff;
                        border: 1.5px solid #5b6773; }
          .ht-town .ht-town-name { position: absolute; left: 6px; top: -6px;
                        text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
          .ht-town.ht-capital { font-weight: bold; font-size: 13px; }
          .ht-town.ht-capital .ht-town-dot { width: 8px; height: 8px; left: -4px; top: -4px;
                        background: #5b6773; border-color: #fff; }
          .ht-town.ht-capital .ht-town-name { top: -7px; left: 7px; }
          .ht-town.ht-unnamed .ht-town-name { display: none; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        HT.baseLayer({{ this._parent.get_name() }}, {{ this.region|tojson }}, {{ this.serbia|tojson }},
                     {{ this.places|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "BaseLayer"
        self.region = {key: layer for key, layer in basemap.region().items() if key != "places"}
        self.serbia = geography.outline_geojson()
        self.places = [[p.name, p.lat, p.lon, p.population] for p in basemap.places()]


class SiteLayer(RenderOnceMacroElement):
    """Every site as a themed marker with a popup built from text, never markup, gathered into
    numbered clusters where sites crowd (``site_clusters.js``; the discs grow greener to orange
    with their count, as ``marker-cluster-small``, ``-medium`` and ``-large``).

    The sites travel as JSON in a data element that the page parses with ``JSON.parse``: for
    50,000 sites that is several times quicker, here and in the browser, than a script literal.
    Without ``texts`` the page leaves out each site's summary and American story (two thirds of
    the page at 50,000 sites) and its popups ask the host for them (``heritageMap.fetchTexts``),
    as the window's bridge answers; a page that leaves the app keeps them."""

    _template = Template(
        r"""
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-container { background: #e4e1da; }
          .ht-marker { display: flex; align-items: center; justify-content: center;
                       width: 26px; height: 26px; border-radius: 50%; border: 2px solid #fff;
                       color: #fff; font: bold 13px/1 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.5); }
          .ht-marker.ht-approx { outline: 2px dashed #333; outline-offset: 1px; opacity: .85; }
          .ht-popup .ht-approx-note { color: #8c2d04; font-size: 12px; }
          .ht-marker.ht-selected { width: 34px; height: 34px; margin: -4px 0 0 -4px;
                       box-shadow: 0 0 0 4px #ffd54f, 0 1px 6px rgba(0,0,0,.6); font-size: 18px; }
          .marker-cluster { border-radius: 50%; background-clip: padding-box; }
          .marker-cluster div { width: 30px; height: 30px; margin: 5px; border-radius: 50%;
                       text-align: center; font: 12px/30px sans-serif; color: #222; }
          .marker-cluster-small { background-color: rgba(150, 215, 110, .6); }
          .marker-cluster-small div { background-color: rgba(100, 190, 60, .75); }
          .marker-cluster-medium { background-color: rgba(240, 210, 90, .6); }
          .marker-cluster-medium div { background-color: rgba(235, 185, 20, .75); }
          .marker-cluster-large { background-color: rgba(250, 160, 115, .6); }
          .marker-cluster-large div { background-color: rgba(235, 120, 30, .75); }
          .ht-edit { width: 20px; height: 20px; border-radius: 50%; background: #ff1744;
                     border: 3px solid #fff; box-sizing: border-box; box-shadow: 0 0 0 2px #ff1744;
                     cursor: move; }
          .ht-stop { width: 22px; height: 22px; border-radius: 50%; border: 2px solid #fff; color: #fff;
                     font: bold 12px/18px sans-serif; text-align: center; box-sizing: border-box;
                     box-shadow: 0 1px 4px rgba(0,0,0,.6); }
          .ht-legend { display: flex; flex-direction: column; padding: 4px 6px; background: #fff;
                       border: 2px solid rgba(0,0,0,.2); border-radius: 4px;
                       max-height: 40vh; overflow: auto; }
          .ht-legend-day { display: flex; align-items: center; gap: 6px; border: 0; background: none;
                       padding: 2px 2px; font: 12px sans-serif; text-align: left; cursor: pointer; }
          .ht-legend-day:hover { background: #eef3f8; }
          .ht-legend-swatch { display: inline-block; width: 22px; height: 5px; border-radius: 2px; }
          .ht-popup .ht-when { color: #555; font-size: 12px; margin: 0 0 2px; }
          .ht-catalog-toggle { font: 12px sans-serif; padding: 5px 8px; background: #fff; cursor: pointer;
                       border: 2px solid rgba(0,0,0,.2); border-radius: 4px; }
          .ht-popup { font: 13px/1.4 sans-serif; overflow-wrap: anywhere; }
          .ht-popup p { margin: 0 0 6px; }
          .ht-popup h3 { margin: 0 0 4px; font-size: 15px; }
          .ht-popup .ht-local { color: #555; font-style: italic; margin: 0 0 6px; }
          .ht-popup .ht-us { border-left: 3px solid #1f4e79; padding-left: 6px; }
          {% for theme in this.themes %}
          .ht-theme-{{ loop.index0 }} { background: {{ theme.colour }}; }
          {% endfor %}
        </style>
        <script type="application/json" id="{{ this.data_id }}">{{ this.site_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        window.heritageMap = HT.siteLayer(
            {{ this._parent.get_name() }},
            {{ this.theme_data|tojson }},
            JSON.parse(document.getElementById({{ this.data_id|tojson }}).textContent),
            {{ this.routes|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        sites: Sequence[Site],
        themes: Sequence[Theme],
        routes: Sequence[dict] = (),
        sources: bool = False,
        texts: bool = True,
    ):
        super().__init__()
        self._name = "SiteLayer"
        self.routes = list(routes)
        self.themes = [_safe_theme(theme) for theme in themes]
        index = {theme.id: n for n, theme in enumerate(themes)}
        self.theme_data = [{"id": t.id, "glyph": html.escape(marker_letter(t))} for t in themes]
        self.data_id = f"{self.get_name()}_sites"
        self.site_json = json_for_html(
            [
                [
                    s.id,
                    round(s.lat, 6),
                    round(s.lon, 6),
                    index.get(s.themes[0], -1) if s.themes else -1,
                    s.name,
                    _local_names(s),
                    s.summary if texts else None,
                    s.us_connection if texts else None,
                    [source.url for source in s.sources] if sources else [],
                    1 if s.approximate else 0,
                ]
                for s in sites
            ]
        )


def _local_names(site: Site) -> str:
    # Written out rather than joined from a generator: at 50,000 sites that was a fifth of the build.
    latin, cyrillic = site.name_sr_latn, site.name_sr_cyrl
    return f"{latin} · {cyrillic}" if latin and cyrillic else latin or cyrillic


def json_for_html(value) -> str:
    """``value`` as compact JSON that can stand inside an HTML element as it is: every ``<`` is
    escaped, so no ``</script>`` or ``<!--`` in a site's text can end or change the element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def marker_letter(theme: Theme) -> str:
    """The letter on a theme's markers: a theme's icon is a symbol (✈, ⚽) that many machines have
    no font for, and shows as an empty box; a letter shows everywhere."""
    return (theme.id.strip() or theme.name.strip() or "?")[0].upper()


def _safe_theme(theme: Theme) -> Theme:
    colour = theme.colour if _HEX_COLOUR.match(theme.colour or "") else _FALLBACK_COLOUR
    return Theme(theme.id, theme.name, colour, theme.icon, theme.description)


@cache
def layer_scripts() -> str:
    """The layers' JavaScript, to go into the page's head before the map is made."""
    folder = Path(__file__).parent
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in SCRIPTS)
