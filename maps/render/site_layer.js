// Part of the map page: see layers.py, which calls it with the page's data.
window.HT = window.HT || {};
HT.siteLayer = function (map, themes, sites, initialRoutes) {
    // The cluster layer is changed only while it is idle (no zoom animation, no chunked add under
    // way): MarkerCluster loses track of markers changed mid-animation and leaves stale clusters.
    // showOnly and highlight record what is wanted; settle() applies it when the layer is idle.
    // The selected marker leaves the clusters and stands on its own, so it is always seen.
    var REVEAL_ZOOM = 13;
    // Popups open inside the map, clear of the zoom buttons and the scale.
    var POPUP = {maxWidth: 320, autoPanPaddingTopLeft: L.point(60, 20),
                 autoPanPaddingBottomRight: L.point(20, 50)};
    var adding = true, wanted = null, pendingReveal = null, pendingFit = false, retry = null, solo = null;
    var cluster = L.markerClusterGroup({
        chunkedLoading: true, chunkDelay: 1, showCoverageOnHover: false, maxClusterRadius: 45,
        disableClusteringAtZoom: 16,
        chunkProgress: function (done, total) { adding = done < total; }
    });
    var markers = {}, info = {}, selected = null;
    function idle() { return !adding && !map._animatingZoom && !cluster._inZoomAnimation; }
    function whenIdle(action) {
        if (idle()) { action(); } else { setTimeout(function () { whenIdle(action); }, 50); }
    }
    function settle() {
        if (!idle()) {
            if (!retry) { retry = setTimeout(function () { retry = null; settle(); }, 50); }
            return;
        }
        var keep = {}, remove = [], add = [];
        (wanted === null ? Object.keys(markers) : wanted).forEach(function (id) {
            if (markers[id] && id !== selected) { keep[id] = true; }
        });
        if (solo && solo.siteId !== selected) { map.removeLayer(solo); solo = null; }
        cluster.getLayers().forEach(function (marker) {
            if (!keep[marker.siteId]) { remove.push(marker); }
        });
        Object.keys(keep).forEach(function (id) {
            if (!cluster.hasLayer(markers[id])) { add.push(markers[id]); }
        });
        if (remove.length) {
            // Removing markers one by one can leave a cluster showing its old count: rebuild instead.
            cluster.clearLayers();
            add = Object.keys(keep).map(function (id) { return markers[id]; });
        }
        if (selected && !solo) { solo = markers[selected].addTo(map); }
        if (add.length) {
            adding = true;
            cluster.addLayers(add);
            if (adding) { settle(); return; }  // a chunked add: the view waits for it
        }
        if (pendingReveal && solo && solo.siteId === pendingReveal) {
            reveal(solo);
        } else if (pendingFit && (cluster.getLayers().length || solo)) {
            var bounds = cluster.getLayers().length ? cluster.getBounds() : L.latLngBounds([]);
            if (solo) { bounds.extend(solo.getLatLng()); }
            map.fitBounds(bounds, {padding: [30, 30], maxZoom: 12, animate: false});
        }
        pendingReveal = null;
        pendingFit = false;
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
            if (info[stop.id]) { return popup(stop.id, when); }
            var box = document.createElement("div");
            box.className = "ht-popup";
            box.appendChild(paragraph(when, "ht-when"));
            box.appendChild(paragraph(stop.name, "ht-title"));
            return box;
        }, POPUP);
        if (stop.id) { pin.on("click", function () { if (info[stop.id]) { api.select(stop.id); } }); }
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
    // A site's story and sources; a trip stop's popup says first which day and when.
    function popup(id, when) {
        var s = info[id], box = document.createElement("div");
        box.className = "ht-popup";
        if (when) { box.appendChild(paragraph(when, "ht-when")); }
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
    // A marker gets its popup at its first click or reveal, not when the page is made: 50,000
    // popups made up front are a third of the time it takes to place the markers.
    function withPopup(marker) {
        if (!marker.getPopup()) {
            marker.bindPopup(function () { return popup(marker.siteId); }, POPUP);
        }
        return marker;
    }
    function onMarkerClick(e) {
        var marker = e.target;
        if (!marker.getPopup()) { withPopup(marker).openPopup(); }  // later clicks: Leaflet's own
        api.select(marker.siteId);
    }
    function build(s) {
        var marker = L.marker([s[1], s[2]], {icon: icon(s[3], false), title: s[4]});
        marker.siteId = s[0];
        marker.on("click", onMarkerClick);
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
        // Select a site's marker; show it (pan and zoom to it, open its popup) when the selection
        // is new or the marker is out of view, unless ``show`` is false.
        highlight: function (id, show) {
            var changed = (markers[id] ? id : null) !== selected;
            if (changed && selected) {
                markers[selected].setIcon(icon(info[selected][3], false));
                markers[selected].setZIndexOffset(0);
            }
            selected = markers[id] ? id : null;
            if (selected && changed) {
                markers[id].setIcon(icon(info[id][3], true));
                markers[id].setZIndexOffset(1000);
            }
            if (selected && show !== false && (changed || !inView(markers[id]))) {
                pendingReveal = id;  // the latest request decides the view
                pendingFit = false;
            }
            settle();
            return selected !== null;
        },
        selected: function () { return selected; },
        showOnly: function (ids) {
            wanted = ids === null ? null : ids.filter(function (id) { return markers[id]; });
            if (selected && wanted !== null && wanted.indexOf(selected) < 0) {
                api.highlight(null, false);  // a site no longer listed is no longer selected
            }
            pendingFit = true;
            pendingReveal = null;
            settle();
            return wanted === null ? Object.keys(markers).length : wanted.length;
        },
        count: function () { return cluster.getLayers().length + (solo ? 1 : 0); },
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
            var catalogOnlyTrip = Object.keys(markers).every(function (id) { return stopIds[id]; });
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
        loaded: function () { return idle(); }
    };
    // On the map first: before that, MarkerCluster checks each new marker against all
    // the pending ones (quadratic: seconds for 50,000 sites) and does not chunk.
    map.addLayer(cluster);
    cluster.addLayers(sites.map(build));
    if (sites.length === 0) { adding = false; }
    if (initialRoutes.length) { api.showRoutes(initialRoutes); }
    return api;
};
