// Part of the map page: see layers.py, which calls it with the page's data.
window.HT = window.HT || {};
HT.siteLayer = function (map, themes, sites, initialRoutes) {
    // Sites gather into numbered clusters (site_clusters.js) computed once for every zoom over the
    // sites shown; on each move the layer puts on the map only the clusters and markers of the
    // current zoom near the view. The selected marker leaves the clusters and stands on its own,
    // so it is always seen. The view is changed only while no zoom animation is under way:
    // showOnly and highlight record what is wanted; settle() applies it when the map is idle.
    var REVEAL_ZOOM = 13;
    // What a popup says of a site whose point is its town's centre: sites.models.Site.APPROXIMATE
    // as a sentence (written here, so a trip page holds the phrase only where a stop is rough).
    var APPROXIMATE = "Approximate location: the town centre; find the place by its address.";
    // Sites within this many pixels of each other gather into one cluster up to CLUSTER_ZOOM;
    // beyond it every site stands alone.
    var CLUSTER_RADIUS = 45, CLUSTER_ZOOM = 15;
    // Clusters and markers are placed this far (a fraction of the view) beyond each edge of the
    // view, so a short pan shows them already there.
    var VIEW_PAD = 0.25;
    // Popups open inside the map, clear of the zoom buttons and the scale.
    var POPUP = {maxWidth: 320, autoPanPaddingTopLeft: L.point(60, 20),
                 autoPanPaddingBottomRight: L.point(20, 50)};
    var wanted = null, pendingReveal = null, pendingFit = false, retry = null, solo = null;
    var markers = new Map(), places = new Map(), selected = null, clusters = null, built = null;
    var xs = new Float64Array(sites.length), ys = new Float64Array(sites.length);
    sites.forEach(function (s, i) {
        places.set(s[0], i);
        xs[i] = HT.mercatorX(s[2]);
        ys[i] = HT.mercatorY(s[1]);
    });
    // What is on the map: each cluster or marker shown, by key ("s" + site, or zoom and cluster).
    var shown = new Map();
    function idle() { return !map._animatingZoom; }
    function whenIdle(action) {
        if (idle()) { action(); } else { setTimeout(function () { whenIdle(action); }, 50); }
    }
    // The clusters of every site wanted but the selected one.
    function cluster() {
        var chosen = selected === null ? -1 : places.get(selected);
        var ids = (wanted === null ? sites.map(function (s, i) { return i; })
                                   : wanted.map(function (id) { return places.get(id); }))
            .filter(function (i) { return i !== chosen; });
        var cx = new Float64Array(ids.length), cy = new Float64Array(ids.length);
        ids.forEach(function (i, n) { cx[n] = xs[i]; cy[n] = ys[i]; });
        clusters = HT.clusterIndex(cx, cy, Int32Array.from(ids), map.getMinZoom(), CLUSTER_ZOOM,
                                   CLUSTER_RADIUS);
        clusters.generation = built ? built.generation + 1 : 0;
        built = {wanted: wanted, selected: selected, generation: clusters.generation};
    }
    function settle() {
        if (!idle()) {
            if (!retry) { retry = setTimeout(function () { retry = null; settle(); }, 50); }
            return;
        }
        if (!built || built.wanted !== wanted || built.selected !== selected) { cluster(); }
        if (solo && solo.siteId !== selected) { map.removeLayer(solo); solo = null; }
        if (selected && !solo) { solo = marker(selected).addTo(map); }
        if (pendingReveal && solo && solo.siteId === pendingReveal) {
            reveal(solo);
        } else if (pendingFit && (clusters.size || solo)) {
            map.fitBounds(bounds(), {padding: [30, 30], maxZoom: 12, animate: false});
        }
        pendingReveal = null;
        pendingFit = false;
        if (map._loaded) { place(); }
    }
    // The bounds of every site shown, the selected one too.
    function bounds() {
        var points = clusters.levels[CLUSTER_ZOOM + 1], result = L.latLngBounds([]);
        if (points.x.length) {
            var west = Infinity, east = -Infinity, north = Infinity, south = -Infinity;
            for (var i = 0; i < points.x.length; i++) {
                west = Math.min(west, points.x[i]);
                east = Math.max(east, points.x[i]);
                north = Math.min(north, points.y[i]);
                south = Math.max(south, points.y[i]);
            }
            result.extend([HT.mercatorLat(north), HT.mercatorLon(west)]);
            result.extend([HT.mercatorLat(south), HT.mercatorLon(east)]);
        }
        if (solo) { result.extend(solo.getLatLng()); }
        return result;
    }
    // Put on the map the clusters and markers of the current zoom near the view; take off the rest.
    function place() {
        var zoom = clusters.zoom(map.getZoom()), level = clusters.levels[zoom];
        var view = map.getBounds().pad(VIEW_PAD), now = new Map();
        var west = HT.mercatorX(view.getWest()), east = HT.mercatorX(view.getEast()),
            north = HT.mercatorY(view.getNorth()), south = HT.mercatorY(view.getSouth());
        for (var i = 0; i < level.x.length; i++) {
            var x = level.x[i], y = level.y[i];
            if (x < west || x > east || y < north || y > south) { continue; }
            var site = level.point[i];
            var key = site >= 0 ? "s" + site : "c" + clusters.generation + ":" + zoom + ":" + i;
            now.set(key, shown.get(key) || (site >= 0 ? marker(sites[site][0])
                                                      : clusterMarker(level, i, zoom)));
        }
        shown.forEach(function (layer, key) {
            if (!now.has(key) && layer !== solo) { map.removeLayer(layer); }
        });
        now.forEach(function (layer, key) { if (!shown.has(key)) { map.addLayer(layer); } });
        shown = now;
    }
    // A numbered disc for the sites of cluster ``i`` of ``level``; a click zooms to where it splits.
    function clusterMarker(level, i, zoom) {
        var count = level.count[i], size = count < 10 ? "small" : count < 100 ? "medium" : "large";
        var label = document.createElement("div"), number = document.createElement("span");
        number.textContent = String(count);
        label.appendChild(number);
        var centre = L.latLng(HT.mercatorLat(level.y[i]), HT.mercatorLon(level.x[i]));
        var disc = L.marker(centre, {
            icon: L.divIcon({className: "marker-cluster marker-cluster-" + size, html: label,
                             iconSize: [40, 40]}),
            title: count + " sites: zoom in to see them"
        });
        var index = clusters;
        disc.siteCount = count;
        disc.on("click", function () { map.setView(centre, index.splitZoom(zoom, i)); });
        return disc;
    }
    function inView(marker) { return map.getBounds().pad(-0.05).contains(marker.getLatLng()); }
    function reveal(marker) {
        if (!inView(marker) || map.getZoom() < REVEAL_ZOOM) {
            map.setView(marker.getLatLng(), Math.max(map.getZoom(), REVEAL_ZOOM), {animate: false});
        }
        whenIdle(function () { if (solo === marker) { withPopup(marker).openPopup(); } });
    }
    // A trip draws above the catalog: its routes over the markers, its numbered stops over both.
    map.createPane("htTripRoutes").style.zIndex = 610;
    map.createPane("htTripStops").style.zIndex = 620;
    var routes = L.featureGroup().addTo(map);
    var STOP_ZOOM = 15, stopPins = {};
    function stopPin(day, stop) {
        var label = document.createElement("div");
        label.className = "ht-stop";
        label.style.background = day.colour;
        label.textContent = String(stop.number);
        var pin = L.marker([stop.lat, stop.lon], {
            icon: L.divIcon({className: "", html: label, iconSize: [22, 22], iconAnchor: [11, 11],
                             popupAnchor: [0, -10]}),
            pane: "htTripStops", title: day.label + ", stop " + stop.number + ": " + stop.name
        });
        var when = day.label + ", stop " + stop.number + (stop.when ? " · " + stop.when : "");
        pin.bindPopup(function () {
            if (places.has(stop.id)) { return popup(stop.id, when, pin); }
            var box = document.createElement("div");
            box.className = "ht-popup";
            box.appendChild(paragraph(when, "ht-when"));
            box.appendChild(paragraph(stop.name, "ht-title"));
            return box;
        }, POPUP);
        if (stop.id) { pin.on("click", function () { if (places.has(stop.id)) { api.select(stop.id); } }); }
        return pin;
    }
    // The legend names each day's colour; a click on a day fits the map to its route.
    var legend = L.control({position: "topright"});
    var legendBox = document.createElement("div");
    legendBox.className = "ht-legend";
    L.DomEvent.disableClickPropagation(legendBox);
    L.DomEvent.disableScrollPropagation(legendBox);
    legend.onAdd = function () { return legendBox; };
    legend.show = function (days) {
        legendBox.textContent = "";
        days.forEach(function (day) {
            var item = document.createElement("button");
            item.type = "button";
            item.className = "ht-legend-day";
            item.title = "Show " + day.label + " on the map";
            var swatch = document.createElement("span");
            swatch.className = "ht-legend-swatch";
            swatch.style.background = day.colour;
            item.appendChild(swatch);
            item.appendChild(document.createTextNode(day.label));
            item.addEventListener("click", function () {
                map.fitBounds(L.latLngBounds(day.path), {padding: [30, 30]});
            });
            legendBox.appendChild(item);
        });
        if (days.length) { legend.addTo(map); } else { legend.remove(); }
    };
    var catalogHidden = false;
    function hideCatalog(hidden) {
        catalogHidden = hidden;
        if (hidden) { map.closePopup(); }
        map.getPane("markerPane").style.display = hidden ? "none" : "";
        toggle.textContent = hidden ? "Show all sites" : "Show only the trip";
    }
    var catalogControl = L.control({position: "topright"});
    var toggle = document.createElement("button");
    toggle.className = "ht-catalog-toggle";
    toggle.type = "button";
    L.DomEvent.disableClickPropagation(toggle);
    toggle.addEventListener("click", function () { hideCatalog(!catalogHidden); });
    catalogControl.onAdd = function () { return toggle; };
    hideCatalog(false);
    var editing = null;
    map.on("click", function (e) {
        if (api.onMapClick) { api.onMapClick(e.latlng.lat, e.latlng.lng); }
    });

    var icons = {};
    // A site's icon: its theme's colour and letter; a dashed ring when its point is only its
    // town's centre (s[9]), so nobody walks to it expecting the place itself.
    function icon(s, isSelected) {
        var key = s[3] + (isSelected ? "s" : "") + (s[9] ? "a" : "");
        if (!icons[key]) { icons[key] = makeIcon(s[3], isSelected, s[9]); }
        return icons[key];
    }
    function makeIcon(themeIndex, isSelected, rough) {
        var t = themes[themeIndex] || {glyph: ""};
        return L.divIcon({
            className: "", iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12],
            html: '<div class="ht-marker ht-theme-' + themeIndex + (isSelected ? ' ht-selected' : '') +
                  (rough ? ' ht-approx' : '') + '">' + t.glyph + '</div>'
        });
    }
    function paragraph(text, className) {
        var p = document.createElement(className === "ht-title" ? "h3" : "p");
        if (className) { p.className = className; }
        p.textContent = text;
        return p;
    }
    // A site's story and sources; a trip stop's popup says first which day and when. A page
    // made without the stories (the window's: s[6] and s[7] are null) asks the host for them
    // when the popup first opens, keeps them, and lays ``holder``'s popup out again with them.
    var stories = new Map();
    function popup(id, when, holder) {
        var s = sites[places.get(id)], box = document.createElement("div");
        var story = s[6] === null ? stories.get(id) : [s[6], s[7]];
        box.className = "ht-popup";
        if (when) { box.appendChild(paragraph(when, "ht-when")); }
        box.appendChild(paragraph(s[4], "ht-title"));
        if (s[5]) { box.appendChild(paragraph(s[5], "ht-local")); }
        if (s[9]) { box.appendChild(paragraph(APPROXIMATE, "ht-approx-note")); }
        if (story === undefined && api.fetchTexts) {
            box.appendChild(paragraph("…", "ht-summary"));
            api.fetchTexts(id, function (texts) {
                stories.set(id, [String(texts[0] || ""), String(texts[1] || "")]);
                // Leaflet builds the content again, now from the kept story.
                if (holder && holder.isPopupOpen()) { holder.getPopup().update(); }
            });
        }
        if (story && story[0]) { box.appendChild(paragraph(story[0], "ht-summary")); }
        if (story && story[1]) { box.appendChild(paragraph(story[1], "ht-us")); }
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
    // A marker gets its popup at its first click or reveal, not when the page is made: 50,000
    // popups made up front are a third of the time it takes to place the markers.
    function withPopup(marker) {
        if (!marker.getPopup()) {
            marker.bindPopup(function () { return popup(marker.siteId, null, marker); }, POPUP);
        }
        return marker;
    }
    function onMarkerClick(e) {
        var marker = e.target;
        if (!marker.getPopup()) { withPopup(marker).openPopup(); }  // later clicks: Leaflet's own
        api.select(marker.siteId);
    }
    // A site's marker, made the first time it is shown: most sites are seen only in clusters.
    function marker(id) {
        if (!markers.has(id)) {
            var s = sites[places.get(id)];
            var made = L.marker([s[1], s[2]], {icon: icon(s, id === selected),
                                               title: s[4] + (s[9] ? " (approximate location)" : ""),
                                               zIndexOffset: id === selected ? 1000 : 0});
            made.siteId = id;
            made.on("click", onMarkerClick);
            markers.set(id, made);
        }
        return markers.get(id);
    }
    var api = {
        map: map,
        // A site's marker (made now if it was never shown), or undefined for an unknown site.
        marker: function (id) { return places.has(id) ? marker(id) : undefined; },
        onSelect: null,
        onAdd: null,
        select: function (id) {
            api.highlight(id, false);
            if (api.onSelect) { api.onSelect(id); }
        },
        // Select a site's marker; show it (pan and zoom to it, open its popup) when the selection
        // is new or the marker is out of view, unless ``show`` is false.
        highlight: function (id, show) {
            var next = places.has(id) ? id : null, changed = next !== selected;
            if (changed && selected) {
                marker(selected).setIcon(icon(sites[places.get(selected)], false));
                marker(selected).setZIndexOffset(0);
            }
            selected = next;
            if (selected && changed) {
                marker(id).setIcon(icon(sites[places.get(id)], true));
                marker(id).setZIndexOffset(1000);
            }
            if (selected && show !== false && (changed || !inView(marker(id)))) {
                pendingReveal = id;  // the latest request decides the view
                pendingFit = false;
            }
            settle();
            return selected !== null;
        },
        selected: function () { return selected; },
        showOnly: function (ids) {
            wanted = ids === null ? null : ids.filter(function (id) { return places.has(id); });
            if (selected && wanted !== null && wanted.indexOf(selected) < 0) {
                api.highlight(null, false);  // a site no longer listed is no longer selected
            }
            pendingFit = true;
            pendingReveal = null;
            settle();
            return wanted === null ? sites.length : wanted.length;
        },
        // How many sites the layer holds (in its clusters, or standing alone as the selection).
        count: function () { return clusters.size + (solo ? 1 : 0); },
        // What the layer has put on the map: the number of sites each cluster or marker stands for.
        shown: function () {
            var counts = [];
            shown.forEach(function (layer, key) {
                counts.push(layer.siteCount || 1);
            });
            if (solo) { counts.push(1); }
            return counts;
        },
        // Draw a trip's days (route_data), name their colours in a legend, and fit the map to them.
        // Each numbered stop holds its own popup; a catalog that holds nothing but the trip's
        // stops is hidden (the numbers stand for it) and no toggle is offered.
        showRoutes: function (days) {
            routes.clearLayers();
            stopPins = {};
            var stopIds = {};
            days.forEach(function (day) {
                L.polyline(day.path, {color: day.colour, weight: 4, opacity: 0.85, pane: "htTripRoutes"})
                    .addTo(routes);
                day.stops.forEach(function (stop) {
                    stopIds[stop.id] = true;
                    stopPins[day.day + "-" + stop.number] = stopPin(day, stop).addTo(routes);
                });
            });
            var catalogOnlyTrip = sites.every(function (s) { return stopIds[s[0]]; });
            if (days.length && !catalogOnlyTrip) {
                catalogControl.addTo(map);
            } else {
                catalogControl.remove();
                hideCatalog(days.length > 0);
            }
            legend.show(days);
            if (days.length) { map.fitBounds(routes.getBounds(), {padding: [30, 30]}); }
            return routes.getLayers().length;
        },
        // Show a trip stop (day and number from 1) at street level with its popup open.
        openStop: function (day, number) {
            var pin = stopPins[day + "-" + number];
            if (!pin) { return false; }
            map.setView(pin.getLatLng(), Math.max(map.getZoom(), STOP_ZOOM), {animate: false});
            pin.openPopup();
            return true;
        },
        routeCount: function () { return routes.getLayers().length; },
        hideCatalog: hideCatalog,
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
        loaded: function () { return clusters !== null && idle(); }
    };
    map.on("moveend", function () { if (clusters) { place(); } });
    settle();
    if (initialRoutes.length) { api.showRoutes(initialRoutes); }
    return api;
};
