// Part of the map page: see layers.py, which calls it with the page's data.
window.HT = window.HT || {};
HT.baseLayer = function (map, outline, towns) {
    map.createPane("htBase").style.zIndex = 150;
    map.createPane("htBaseLabels").style.zIndex = 160;
    L.geoJSON(outline, {
        pane: "htBase", interactive: false,
        style: {color: "#6b7b8c", weight: 1.5, fillColor: "#f3efe4", fillOpacity: 1}
    }).addTo(map);
    towns.forEach(function (t) {
        var dot = L.circleMarker([t[1], t[2]], {
            pane: "htBase", interactive: false, radius: t[3] ? 3 : 2,
            color: "#6b7b8c", weight: 1, fillColor: "#ffffff", fillOpacity: 1
        }).addTo(map);
        if (t[3]) {
            dot.bindTooltip(t[0], {permanent: true, direction: "right", pane: "htBaseLabels",
                                   className: "ht-town"});
        }
    });
};
