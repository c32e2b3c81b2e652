"""Render sites as a folium (Leaflet) map: one HTML page that works with no network.

The page exposes ``window.heritageMap`` so a host (the desktop app) can highlight a site,
show a subset, or learn which marker was clicked, without rebuilding the page.
"""

import html
import re
from collections.abc import Sequence

import folium
from branca.element import Element
from folium.template import Template

from maps import assets
from maps.elements import RenderOnceMacroElement
from sites import geography
from sites.models import Site, Theme
from sites.validation import SERBIA_BOUNDS

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_FALLBACK_COLOUR = "#555555"
#: Towns this large get a name label on the offline base layer.
LABELLED_TOWN_POPULATION = 50_000
MIN_ZOOM, MAX_ZOOM = 5, 19


class OfflineMap(folium.Map):
    """A folium Map that links nothing from a CDN; ``render_map`` inlines the libraries."""

    default_js: list[tuple[str, str]] = []  # noqa: RUF012  (folium's own class attribute)
    default_css: list[tuple[str, str]] = []  # noqa: RUF012


class BaseLayer(RenderOnceMacroElement):
    """Serbia's outline and main towns in a pane beneath the tiles: seen when tiles fail."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            map.createPane("htBase").style.zIndex = 150;
            map.createPane("htBaseLabels").style.zIndex = 160;
            L.geoJSON({{ this.outline|tojson }}, {
                pane: "htBase", interactive: false,
                style: {color: "#6b7b8c", weight: 1.5, fillColor: "#f3efe4", fillOpacity: 1}
            }).addTo(map);
            {{ this.towns|tojson }}.forEach(function (t) {
                var dot = L.circleMarker([t[1], t[2]], {
                    pane: "htBase", interactive: false, radius: t[3] ? 3 : 2,
                    color: "#6b7b8c", weight: 1, fillColor: "#ffffff", fillOpacity: 1
                }).addTo(map);
                if (t[3]) {
                    dot.bindTooltip(t[0], {permanent: true, direction: "right", pane: "htBaseLabels",
                                           className: "ht-town"});
                }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "BaseLayer"
        self.outline = geography.outline_geojson()
        self.towns = [
            [t.name, t.lat, t.lon, t.population >= LABELLED_TOWN_POPULATION] for t in geography.towns()
        ]


class Banner(RenderOnceMacroElement):
    """A title bar and a footer over the map (an operator's branding), set as text only."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .ht-banner { position: absolute; z-index: 1000; left: 50px; right: 10px; padding: 6px 10px;
                       background: rgba(255,255,255,.92); font: bold 14px sans-serif; border-radius: 4px;
                       box-shadow: 0 1px 4px rgba(0,0,0,.3); }
          .ht-banner.top { top: 10px; }
          .ht-banner.bottom { bottom: 24px; font-weight: normal; font-size: 12px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var texts = {{ this.texts|tojson }};
            ["top", "bottom"].forEach(function (where) {
                if (!texts[where]) { return; }
                var bar = document.createElement("div");
                bar.className = "ht-banner " + where;
                bar.textContent = texts[where];
                document.body.appendChild(bar);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, top: str, bottom: str):
        super().__init__()
        self._name = "Banner"
        self.texts = {"top": top, "bottom": bottom}


class SiteLayer(RenderOnceMacroElement):
    """Every site as a themed, clustered marker with a popup built from text, never markup."""

    _template = Template(
        r"""
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-container { background: #cfe0ea; }
          .ht-marker { display: flex; align-items: center; justify-content: center;
                       width: 26px; height: 26px; border-radius: 50%; border: 2px solid #fff;
                       color: #fff; font: 14px/1 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.5); }
          .ht-marker.ht-selected { width: 34px; height: 34px; margin: -4px 0 0 -4px;
                       box-shadow: 0 0 0 4px #ffd54f, 0 1px 6px rgba(0,0,0,.6); font-size: 18px; }
          .ht-town { background: transparent; border: none; box-shadow: none; color: #44505c;
                     font: 11px sans-serif; }
          .ht-town:before { display: none; }
          .ht-edit { width: 20px; height: 20px; border-radius: 50%; background: #ff1744;
                     border: 3px solid #fff; box-sizing: border-box; box-shadow: 0 0 0 2px #ff1744;
                     cursor: move; }
          .ht-stop { width: 22px; height: 22px; border-radius: 50%; border: 2px solid #fff; color: #fff;
                     font: bold 12px/18px sans-serif; text-align: center; box-sizing: border-box;
                     box-shadow: 0 1px 4px rgba(0,0,0,.6); }
          .ht-popup { font: 13px/1.4 sans-serif; }
          .ht-popup p { margin: 0 0 6px; }
          .ht-popup h3 { margin: 0 0 4px; font-size: 15px; }
          .ht-popup .ht-local { color: #555; font-style: italic; margin: 0 0 6px; }
          .ht-popup .ht-us { border-left: 3px solid #1f4e79; padding-left: 6px; }
          {% for theme in this.themes %}
          .ht-theme-{{ loop.index0 }} { background: {{ theme.colour }}; }
          {% endfor %}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var themes = {{ this.theme_data|tojson }};
            var sites = {{ this.site_data|tojson }};
            var loaded = false;
            var cluster = L.markerClusterGroup({
                chunkedLoading: true, chunkDelay: 1, showCoverageOnHover: false, maxClusterRadius: 45,
                disableClusteringAtZoom: 16,
                chunkProgress: function (done, total) { loaded = done >= total; }
            });
            var markers = {}, info = {}, selected = null;
            var routes = L.featureGroup().addTo(map);
            var editing = null;
            map.on("click", function (e) {
                if (api.onMapClick) { api.onMapClick(e.latlng.lat, e.latlng.lng); }
            });

            var icons = {};
            function icon(themeIndex, isSelected) {
                var key = themeIndex + (isSelected ? "s" : "");
                if (!icons[key]) { icons[key] = makeIcon(themeIndex, isSelected); }
                return icons[key];
            }
            function makeIcon(themeIndex, isSelected) {
                var t = themes[themeIndex] || {glyph: ""};
                return L.divIcon({
                    className: "", iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12],
                    html: '<div class="ht-marker ht-theme-' + themeIndex +
                          (isSelected ? ' ht-selected' : '') + '">' + t.glyph + '</div>'
                });
            }
            function paragraph(text, className) {
                var p = document.createElement(className === "ht-title" ? "h3" : "p");
                if (className) { p.className = className; }
                p.textContent = text;
                return p;
            }
            function popup(id) {
                var s = info[id], box = document.createElement("div");
                box.className = "ht-popup";
                box.appendChild(paragraph(s[4], "ht-title"));
                if (s[5]) { box.appendChild(paragraph(s[5], "ht-local")); }
                if (s[6]) { box.appendChild(paragraph(s[6], "ht-summary")); }
                if (s[7]) { box.appendChild(paragraph(s[7], "ht-us")); }
                if (s[8] && s[8].length) {
                    var list = document.createElement("p");
                    list.className = "ht-sources";
                    list.appendChild(document.createTextNode("Sources: "));
                    s[8].forEach(function (url, n) {
                        var link = document.createElement("a");
                        if (/^https?:\/\//.test(url)) { link.href = url; }
                        link.target = "_blank";
                        link.rel = "noopener noreferrer";
                        link.textContent = "[" + (n + 1) + "]";
                        link.title = url;
                        list.appendChild(link);
                        list.appendChild(document.createTextNode(" "));
                    });
                    box.appendChild(list);
                }
                if (api.onAdd) {
                    var add = document.createElement("button");
                    add.className = "ht-add";
                    add.textContent = "Add to trip";
                    add.addEventListener("click", function () { api.onAdd(id); });
                    box.appendChild(add);
                }
                return box;
            }
            function build(s) {
                var marker = L.marker([s[1], s[2]], {icon: icon(s[3], false), title: s[4]});
                marker.bindPopup(function () { return popup(s[0]); }, {maxWidth: 320});
                marker.on("click", function () { api.select(s[0]); });
                markers[s[0]] = marker;
                info[s[0]] = s;
                return marker;
            }
            var api = {
                map: map, cluster: cluster, markers: markers,
                onSelect: null,
                onAdd: null,
                select: function (id) {
                    api.highlight(id, false);
                    if (api.onSelect) { api.onSelect(id); }
                },
                highlight: function (id, reveal) {
                    if (selected && markers[selected]) {
                        markers[selected].setIcon(icon(info[selected][3], false));
                        markers[selected].setZIndexOffset(0);
                    }
                    selected = markers[id] ? id : null;
                    if (!selected) { return false; }
                    var marker = markers[id];
                    marker.setIcon(icon(info[id][3], true));
                    marker.setZIndexOffset(1000);
                    if (reveal !== false) {
                        cluster.zoomToShowLayer(marker, function () {
                            map.panTo(marker.getLatLng());
                            marker.openPopup();
                        });
                    }
                    return true;
                },
                selected: function () { return selected; },
                showOnly: function (ids) {
                    cluster.clearLayers();
                    var keep = ids === null ? Object.keys(markers) : ids;
                    cluster.addLayers(keep.filter(function (id) { return markers[id]; })
                                          .map(function (id) { return markers[id]; }));
                    return cluster.getLayers().length;
                },
                count: function () { return cluster.getLayers().length; },
                showRoutes: function (days) {
                    routes.clearLayers();
                    days.forEach(function (day) {
                        L.polyline(day.path, {color: day.colour, weight: 4, opacity: 0.85}).addTo(routes);
                        day.stops.forEach(function (stop) {
                            var label = document.createElement("div");
                            label.className = "ht-stop";
                            label.style.background = day.colour;
                            label.textContent = String(stop.number);
                            var pin = L.marker([stop.lat, stop.lon], {
                                icon: L.divIcon({className: "", html: label, iconSize: [22, 22],
                                                 iconAnchor: [11, 11]}),
                                zIndexOffset: 2000
                            });
                            var tip = document.createElement("span");
                            tip.textContent = "Day " + day.day + ", stop " + stop.number + ": " + stop.name;
                            pin.bindTooltip(tip);
                            if (stop.id) { pin.on("click", function () { api.select(stop.id); }); }
                            pin.addTo(routes);
                        });
                    });
                    if (days.length) { map.fitBounds(routes.getBounds(), {padding: [30, 30]}); }
                    return routes.getLayers().length;
                },
                routeCount: function () { return routes.getLayers().length; },
                onMapClick: null,
                onMarkerMoved: null,
                editMarker: function (lat, lon) {
                    if (!editing) {
                        var pin = document.createElement("div");
                        pin.className = "ht-edit";
                        editing = L.marker([lat, lon], {
                            draggable: true, zIndexOffset: 3000,
                            icon: L.divIcon({className: "", html: pin, iconSize: [20, 20],
                                             iconAnchor: [10, 10]})
                        }).addTo(map);
                        editing.on("dragend", function () {
                            var p = editing.getLatLng();
                            if (api.onMarkerMoved) { api.onMarkerMoved(p.lat, p.lng); }
                        });
                    } else {
                        editing.setLatLng([lat, lon]);
                    }
                    map.panTo([lat, lon]);
                    return true;
                },
                editPosition: function () {
                    return editing ? [editing.getLatLng().lat, editing.getLatLng().lng] : null;
                },
                clearEditMarker: function () {
                    if (editing) { map.removeLayer(editing); editing = null; }
                },
                loaded: function () { return loaded; }
            };
            // On the map first: before that, MarkerCluster checks each new marker against all
            // the pending ones (quadratic: seconds for 50,000 sites) and does not chunk.
            map.addLayer(cluster);
            cluster.addLayers(sites.map(build));
            if (sites.length === 0) { loaded = true; }
            var initialRoutes = {{ this.routes|tojson }};
            if (initialRoutes.length) { api.showRoutes(initialRoutes); }
            window.heritageMap = api;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        sites: Sequence[Site],
        themes: Sequence[Theme],
        routes: Sequence[dict] = (),
        sources: bool = False,
    ):
        super().__init__()
        self._name = "SiteLayer"
        self.routes = list(routes)
        self.themes = [_safe_theme(theme) for theme in themes]
        index = {theme.id: n for n, theme in enumerate(themes)}
        # Glyphs are theme data; they reach the marker markup escaped.
        self.theme_data = [{"id": t.id, "glyph": html.escape(t.icon)} for t in themes]
        self.site_data = [
            [
                s.id,
                round(s.lat, 6),
                round(s.lon, 6),
                index.get(s.themes[0], -1) if s.themes else -1,
                s.name,
                " · ".join(n for n in (s.name_sr_latn, s.name_sr_cyrl) if n),
                s.summary,
                s.us_connection,
                [source.url for source in s.sources] if sources else [],
            ]
            for s in sites
        ]


#: One colour per trip day (ColorBrewer Set1 and Set2).
DAY_COLOURS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf",
               "#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#b3b300", "#666666")  # fmt: skip


def route_data(days) -> list[dict]:
    """Each day of an itinerary as the map draws it: colour, path base to base, numbered stops."""
    drawn = []
    for day in days:
        if not day.stops:
            continue
        path = [[day.start_base.lat, day.start_base.lon]]
        path += [[s.lat, s.lon] for s in day.stops]
        path.append([day.end_base.lat, day.end_base.lon])
        drawn.append(
            {
                "day": day.index + 1,
                "colour": DAY_COLOURS[day.index % len(DAY_COLOURS)],
                "path": path,
                "stops": [
                    {"number": n, "id": s.site_id, "name": s.name, "lat": s.lat, "lon": s.lon}
                    for n, s in enumerate(day.stops, start=1)
                ],
            }
        )
    return drawn


def render_map(
    sites: Sequence[Site],
    themes: Sequence[Theme],
    *,
    tiles: bool = True,
    title: str = "Heritage Trails",
    routes: Sequence[dict] = (),
    banner: str = "",
    footer: str = "",
    sources: bool = False,
) -> str:
    """A standalone HTML page of the sites on an offline base layer (and OSM tiles if ``tiles``),
    with an itinerary's days drawn (``routes`` from ``route_data``), an optional banner, and
    each site's source links in its popup when ``sources`` (for pages that leave the app)."""
    # MarkerCluster needs the map to know its zoom range even when no tile layer sets one.
    fmap = OfflineMap(location=None, tiles=None, control_scale=True, maxZoom=MAX_ZOOM, minZoom=MIN_ZOOM)
    figure = fmap.get_root()
    figure.title = title
    for name, element in assets.header_elements():
        figure.header.add_child(element, name=name)
    fmap.add_child(BaseLayer())
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", max_zoom=MAX_ZOOM).add_to(fmap)
    fmap.add_child(SiteLayer(sites, themes, routes, sources))
    if banner or footer:
        fmap.add_child(Banner(banner, footer))
    fmap.fit_bounds(_bounds(sites), padding=(30, 30), max_zoom=12)
    figure.header.add_child(Element('<meta name="referrer" content="no-referrer">'), name="referrer")
    return figure.render()


def _bounds(sites: Sequence[Site]) -> list[list[float]]:
    if not sites:
        south, west, north, east = SERBIA_BOUNDS
        return [[south, west], [north, east]]
    lats = [s.lat for s in sites]
    lons = [s.lon for s in sites]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _safe_theme(theme: Theme) -> Theme:
    colour = theme.colour if _HEX_COLOUR.match(theme.colour or "") else _FALLBACK_COLOUR
    return Theme(theme.id, theme.name, colour, theme.icon, theme.description)
