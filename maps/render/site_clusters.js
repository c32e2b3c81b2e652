// Part of the map page: the clusters the site layer (site_layer.js) shows at each zoom.
window.HT = window.HT || {};
(function () {

    // Web Mercator: a longitude and latitude as x and y from 0 to 1 across the world, and back.
    HT.mercatorX = function (lon) { return lon / 360 + 0.5; };
    HT.mercatorY = function (lat) {
        var sin = Math.sin(lat * Math.PI / 180);
        var y = 0.5 - 0.25 * Math.log((1 + sin) / (1 - sin)) / Math.PI;
        return y < 0 ? 0 : y > 1 ? 1 : y;
    };
    HT.mercatorLat = function (y) {
        return 360 * Math.atan(Math.exp((1 - 2 * y) * Math.PI)) / Math.PI - 90;
    };
    HT.mercatorLon = function (x) { return (x - 0.5) * 360; };

    // Clusters of points, computed once for every zoom from maxZoom down to minZoom. ``xs`` and ``ys``
    // are the points in Web Mercator; ``ids`` names each point (a site's place in the page's data).
    // At each zoom the items of the zoom above are taken in turn, and each one not yet taken gathers
    // every other untaken item within ``radius`` pixels into one cluster at their weighted centre.
    // Above maxZoom every point stands alone.
    //
    // levels[z] holds, for each item at zoom z: x, y, count (points inside), point (the id of the
    // point when count is 1, else -1), and, below maxZoom + 1, children (items of zoom z + 1 merged
    // into it) and seed (the item of zoom z + 1 it grew from).
    HT.clusterIndex = function (xs, ys, ids, minZoom, maxZoom, radius) {
        var n = xs.length, levels = {};
        var items = {x: xs, y: ys, count: new Int32Array(n).fill(1), point: ids};
        levels[maxZoom + 1] = items;
        for (var z = maxZoom; z >= minZoom; z--) {
            items = merge(items, radius / (256 * Math.pow(2, z)));
            levels[z] = items;
        }
        // The zoom at which cluster ``i`` of zoom ``z`` falls apart into more than one item.
        function splitZoom(z, i) {
            for (; z <= maxZoom; z++) {
                if (levels[z].children[i] > 1) { return z + 1; }
                i = levels[z].seed[i];
            }
            return maxZoom + 1;
        }
        // The zoom of the level a map at ``mapZoom`` shows.
        function zoom(mapZoom) { return Math.max(minZoom, Math.min(Math.round(mapZoom), maxZoom + 1)); }
        return {levels: levels, zoom: zoom, splitZoom: splitZoom, size: n};
    };

    function merge(items, r) {
        var n = items.x.length, xs = items.x, ys = items.y, counts = items.count, points = items.point;
        var grid = cellGrid(xs, ys, r), r2 = r * r;
        var x = new Float64Array(n), y = new Float64Array(n), count = new Int32Array(n),
            point = new Int32Array(n), children = new Int32Array(n), seed = new Int32Array(n);
        var taken = new Uint8Array(n), m = 0;
        for (var i = 0; i < n; i++) {
            if (taken[i]) { continue; }
            taken[i] = 1;
            var sx = xs[i], sy = ys[i], weight = counts[i], wx = sx * weight, wy = sy * weight, merged = 1;
            var gx = grid.gx[i], gy = grid.gy[i];
            for (var dx = -1; dx <= 1; dx++) {
                for (var dy = -1; dy <= 1; dy++) {
                    for (var j = grid.first(gx + dx, gy + dy); j >= 0; j = grid.next[j]) {
                        if (taken[j]) { continue; }
                        var ex = xs[j] - sx, ey = ys[j] - sy;
                        if (ex * ex + ey * ey > r2) { continue; }
                        taken[j] = 1;
                        weight += counts[j];
                        wx += xs[j] * counts[j];
                        wy += ys[j] * counts[j];
                        merged++;
                    }
                }
            }
            x[m] = wx / weight;
            y[m] = wy / weight;
            count[m] = weight;
            point[m] = weight === 1 ? points[i] : -1;
            children[m] = merged;
            seed[m] = i;
            m++;
        }
        return {x: x.subarray(0, m), y: y.subarray(0, m), count: count.subarray(0, m),
                point: point.subarray(0, m), children: children.subarray(0, m), seed: seed.subarray(0, m)};
    }

    // A uniform grid of square cells ``size`` wide over the points, as a hash table of cells (open
    // addressing) that each head a linked list of the points inside: first(cx, cy) is a point of the
    // cell, or -1, and next[point] the next point of its cell.
    function cellGrid(xs, ys, size) {
        var n = xs.length, gx = new Int32Array(n), gy = new Int32Array(n), next = new Int32Array(n);
        var slots = 1;
        while (slots < 2 * n) { slots *= 2; }
        var mask = slots - 1, keyX = new Int32Array(slots), keyY = new Int32Array(slots),
            head = new Int32Array(slots).fill(-1);
        function slot(cx, cy) {
            var s = (Math.imul(cx, 73856093) ^ Math.imul(cy, 19349663)) & mask;
            while (head[s] >= 0 && (keyX[s] !== cx || keyY[s] !== cy)) { s = (s + 1) & mask; }
            return s;
        }
        for (var i = 0; i < n; i++) {
            var cx = Math.floor(xs[i] / size), cy = Math.floor(ys[i] / size), s = slot(cx, cy);
            gx[i] = cx;
            gy[i] = cy;
            keyX[s] = cx;
            keyY[s] = cy;
            next[i] = head[s];
            head[s] = i;
        }
        return {gx: gx, gy: gy, next: next, first: function (cx, cy) { return head[slot(cx, cy)]; }};
    }
})();
