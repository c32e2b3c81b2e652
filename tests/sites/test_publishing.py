"""Hard rules block publishing, warnings inform: a published site must lie in Serbia and in
its town; a draft may be saved anywhere, with the warning."""

from dataclasses import replace

import pytest
import shapely

from sites import curation
from sites.errors import ValidationError
from sites.geography import outline

TESLA = "nikola-tesla-museum"


def point_outside_serbia(km: float) -> tuple[float, float]:
    """A point about ``km`` beyond Serbia's border (lat, lon)."""
    ring = shapely.get_coordinates(outline().buffer(km / 111.32).boundary)
    lon, lat = ring[len(ring) // 3]
    return float(lat), float(lon)


def test_a_published_site_far_outside_serbia_cannot_be_saved_but_a_draft_can(catalog):
    site = catalog.site(TESLA)
    refused = r"4\d\d\d km outside Serbia's border.*keep the site as a draft"
    with pytest.raises(ValidationError, match=refused):
        curation.edit(catalog, replace(site, lat=4.519))
    assert catalog.site(TESLA) == site
    curation.edit(catalog, replace(site, lat=4.519, status="draft"), "parked while we check")
    assert catalog.site(TESLA).lat == 4.519
    warnings = [p for p in curation.site_problems(catalog, catalog.site(TESLA)) if p.field == "lat"]
    assert [p.severity for p in warnings] == ["warning", "warning"]  # outside Serbia, far from Belgrade
    with pytest.raises(ValidationError, match="outside Serbia's border"):
        curation.set_status(catalog, TESLA, "published")
    assert catalog.site(TESLA).status == "draft"


def test_a_published_site_beyond_its_towns_radius_cannot_be_saved(catalog):
    site = catalog.site(TESLA)  # in Belgrade
    novi_sad = (45.2551, 19.8452)
    with pytest.raises(ValidationError, match="km from the centre of Belgrade"):
        curation.edit(catalog, replace(site, lat=novi_sad[0], lon=novi_sad[1]))
    curation.edit(catalog, replace(site, lat=novi_sad[0], lon=novi_sad[1], town="Novi Sad"))
    assert catalog.site(TESLA).town == "Novi Sad"


def test_the_border_keeps_its_two_km_margin(catalog):
    site = replace(catalog.site(TESLA), town="Nowhere in the gazetteer")
    lat, lon = point_outside_serbia(1.0)
    curation.edit(catalog, replace(site, lat=lat, lon=lon))
    assert catalog.site(TESLA).status == "published"
    lat, lon = point_outside_serbia(4.0)
    with pytest.raises(ValidationError, match="about 4 km outside Serbia's border"):
        curation.edit(catalog, replace(site, lat=lat, lon=lon))


def test_publish_blockers_name_every_hard_rule(catalog):
    draft = replace(
        catalog.site(TESLA), id="tesla-draft", status="draft", sources=(), last_verified=None, lat=4.519
    )
    curation.create(catalog, draft)
    fields = sorted(p.field for p in curation.publish_blockers(catalog, catalog.site("tesla-draft")))
    assert fields == ["last_verified", "lat", "lat", "sources"]
    assert curation.publish_blockers(catalog, catalog.site(TESLA)) == []


def test_a_draft_without_themes_saves_with_a_warning_and_cannot_be_published(catalog):
    from dataclasses import replace

    from sites import curation

    site = replace(catalog.sites()[0], id="themeless-draft", themes=(), status="draft")
    problems = curation.site_problems(catalog, site)
    assert [p.severity for p in problems if p.field == "themes"] == ["warning"]
    assert any(b.field == "themes" for b in curation.publish_blockers(catalog, site))
