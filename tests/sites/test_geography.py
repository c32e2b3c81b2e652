"""The offline base layer is real geography: the bundled sites lie on it."""

import shapely

from sites import geography


def test_the_outline_holds_the_main_towns():
    outline = geography.outline()
    for town in geography.towns():
        assert shapely.contains_xy(outline, town.lon, town.lat), town.name


def test_every_bundled_site_lies_within_serbias_outline(bundled_catalog):
    sites = bundled_catalog.sites()
    outline = geography.outline()
    lons = [s.lon for s in sites]
    lats = [s.lat for s in sites]
    inside = shapely.contains_xy(outline, lons, lats)
    # Allow ~2 km for the outline's simplification along the borders.
    near = shapely.dwithin(outline, shapely.points(lons, lats), 0.02)
    assert [s.id for s, i, n in zip(sites, inside, near, strict=True) if not (i or n)] == []
