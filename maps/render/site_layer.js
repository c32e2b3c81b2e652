// Part of the map page: see layers.py, which calls it with the page's data.
window.HT = window.HT || {};
HT.siteLayer = function (map, themes, sites, initialRoutes) {
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
    if (initialRoutes.length) { api.showRoutes(initialRoutes); }
    return api;
};
