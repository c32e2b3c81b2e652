// Part of the map page: see layers.py, which calls it with the page's data.
window.HT = window.HT || {};
HT.banner = function (texts) {
    ["top", "bottom"].forEach(function (where) {
        if (!texts[where]) { return; }
        var bar = document.createElement("div");
        bar.className = "ht-banner " + where;
        bar.textContent = texts[where];
        document.body.appendChild(bar);
    });
};
