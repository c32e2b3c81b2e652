// Part of the map page: see layers.py, which calls it with the page's data.
// The offline base map: land, borders, water and named places in panes beneath the tiles, so
// a map with no network still reads as a map. Labels follow one rule: a place is named from
// the zoom its population earns, largest first, and never over a label already placed.
window.HT = window.HT || {};
HT.baseLayer = function (map, region, serbia, places) {
    function pane(name, zIndex) {
        map.createPane(name).style.zIndex = zIndex;
        return name;
    }
    var landPane = pane("htLand", 150), waterPane = pane("htWater", 155);
    var borderPane = pane("htBorders", 160), labelPane = pane("htBaseLabels", 170);
    map.getPane(labelPane).style.pointerEvents = "none";

    L.geoJSON(region.sea, {
        pane: landPane, interactive: false,
        style: {stroke: false, fillColor: "#cfe0ea", fillOpacity: 1}
    }).addTo(map);
    L.geoJSON(region.land, {
        pane: landPane, interactive: false,
        style: {stroke: false, fillColor: "#ece6d8", fillOpacity: 1}
    }).addTo(map);
    L.geoJSON(serbia, {
        pane: landPane, interactive: false,
        style: {stroke: false, fillColor: "#fbf8f0", fillOpacity: 1}
    }).addTo(map);
    L.geoJSON(region.lakes, {
        pane: waterPane, interactive: false,
        style: {color: "#8fb6d3", weight: 0.8, fillColor: "#cfe0ea", fillOpacity: 1}
    }).addTo(map);
    // Natural Earth ranks rivers 0 (largest) to 12; the smaller ones wait for closer zooms.
    var rivers = L.geoJSON(region.rivers, {
        pane: waterPane, interactive: false,
        style: function (f) {
            var rank = f.properties.rank;
            return {color: "#7fb0d3", weight: rank <= 2 ? 3 : rank <= 7 ? 2 : 1.3, opacity: 1};
        }
    }).addTo(map);
    L.geoJSON(region.borders, {
        pane: borderPane, interactive: false,
        style: function (f) {
            var disputed = /disputed/i.test(f.properties.kind || "");
            return {color: "#8a7f99", weight: 1.6, opacity: 0.9, dashArray: disputed ? "2 5" : "6 3 1 3"};
        }
    }).addTo(map);

    function label(latlng, html, className) {
        return L.marker(latlng, {
            pane: labelPane, interactive: false, keyboard: false,
            icon: L.divIcon({className: className, html: html, iconSize: null})
        });
    }
    function text(value) {
        var span = document.createElement("span");
        span.textContent = value;
        return span.innerHTML;
    }
    region.countries.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        if (f.properties.code === "SRB") { return; }  // the sites already say which country this is
        label([c[1], c[0]], text(f.properties.name), "ht-country").addTo(map);
    });
    // places: [name, lat, lon, population], largest first.
    function minZoom(population) {
        return population >= 1000000 ? 5 : population >= 150000 ? 6 : population >= 60000 ? 7
             : population >= 30000 ? 8 : 9;
    }
    var towns = places.map(function (p) {
        var marker = label([p[1], p[2]],
                           '<i class="ht-town-dot"></i><span class="ht-town-name">' + text(p[0]) + "</span>",
                           "ht-town" + (p[3] >= 1000000 ? " ht-capital" : ""));
        marker.addTo(map);
        return {marker: marker, name: p[0], population: p[3], minZoom: minZoom(p[3])};
    });
    var placed = [];
    function place() {
        var zoom = map.getZoom(), boxes = [];
        placed = [];
        rivers.eachLayer(function (layer) {
            var rank = layer.feature.properties.rank;
            var wanted = rank <= 7 || (rank <= 10 && zoom >= 7) || zoom >= 8;
            layer.setStyle({opacity: wanted ? 1 : 0});
        });
        towns.forEach(function (town) {
            var element = town.marker.getElement();
            if (!element) { return; }
            var visible = zoom >= town.minZoom - 1;
            var named = zoom >= town.minZoom;
            if (named) {
                var at = map.latLngToContainerPoint(town.marker.getLatLng());
                var width = 8 + town.name.length * (town.population >= 1000000 ? 8 : 6.5);
                var box = [at.x - 4, at.y - 8, at.x + width, at.y + 8];
                named = !boxes.some(function (b) {
                    return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
                });
                if (named) { boxes.push(box); placed.push(town.name); }
            }
            element.style.display = visible ? "" : "none";
            element.classList.toggle("ht-unnamed", !named);
        });
    }
    // A tile layer's credit shows only once one of its tiles has drawn: offline there is none.
    map.on("layeradd", function (e) {
        if (!(e.layer instanceof L.TileLayer) || !map.attributionControl) { return; }
        var credit = e.layer.getAttribution();
        map.attributionControl.removeAttribution(credit);
        e.layer.once("tileload", function () { map.attributionControl.addAttribution(credit); });
    });
    map.on("zoomend", place);
    map.whenReady(place);
    return {labelled: function () { return placed.slice(); }, place: place};
};

// Street-level tiles from a tile archive the traveler chose: served by the window at
// options.url, or carried in the page (options.tiles, "z/x/y" -> data URL) by a standalone map.
// Leaflet asks only within the archive's area and zooms, and scales its deepest tiles beyond.
HT.offlineTiles = function (map, options) {
    var settings = {
        minZoom: options.minZoom, maxNativeZoom: options.maxNativeZoom, maxZoom: map.getMaxZoom(),
        attribution: options.attribution || "", keepBuffer: 1
    };
    if (options.bounds) { settings.bounds = L.latLngBounds(options.bounds); }
    if (!options.tiles) { return L.tileLayer(options.url, settings).addTo(map); }
    var tiles = options.tiles;
    var Embedded = L.TileLayer.extend({
        createTile: function (coords, done) {
            var url = tiles[coords.z + "/" + coords.x + "/" + coords.y];
            if (url) { return L.TileLayer.prototype.createTile.call(this, coords, done); }
            // Not carried in the page: nothing drawn here, so the base map shows through.
            var empty = document.createElement("div");
            setTimeout(function () { done(new Error("not in this page"), empty); }, 0);
            return empty;
        },
        getTileUrl: function (coords) {
            return tiles[coords.z + "/" + coords.x + "/" + coords.y];
        }
    });
    return new Embedded("", settings).addTo(map);
};
