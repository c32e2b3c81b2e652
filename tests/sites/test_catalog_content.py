"""The bundled catalog held to an editor's standard: placed where its town is, spaced, and
with every curated trail whole."""

import json
from itertools import combinations, pairwise

import pytest

from sites import paths
from sites.bundled import read_sites, read_trails
from sites.geography import distance_km

BUNDLED = paths.bundled_catalog_dir()
#: Two sites closer than this must say one is part of the other.
MIN_SEPARATION_M = 30
REQUIRED_TRAILS = {"halyard", "pupin-wilson", "tesla", "film", "wwi", "first-three-days"}
#: A normal day (see resources/catalog/README.md): hours from leaving the base to coming back,
#: lunch included, and hours of driving at most; road time is straight km x 1.3 at 60 km/h.
NORMAL_DAY_HOURS, NORMAL_DRIVE_HOURS, LUNCH_HOURS, DETOUR, ROAD_KMH = 8.5, 4.0, 1.0, 1.3, 60
#: Trail days whose story asks for more than a normal day, until the story is changed.
OVER_A_NORMAL_DAY = {
    ("tesla", 2): "Belgrade to Užice and back for one site is about 5 h of driving",
    ("first-three-days", 3): "Oplenac and Pranjani from Belgrade is about 4.4 h of driving",
}


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres."""
    return distance_km(lat1, lon1, lat2, lon2) * 1000


@pytest.fixture(scope="module")
def sites():
    return read_sites(BUNDLED)


@pytest.fixture(scope="module")
def towns():
    return {t["name"]: t for t in json.loads((BUNDLED / "towns.json").read_text(encoding="utf-8"))}


def test_every_town_in_the_gazetteer_is_sourced(towns):
    for town in towns.values():
        assert town["source"].startswith(("http://", "https://")), town["name"]
        assert 0 < town["radius_km"] <= 25, town["name"]


def test_every_site_lies_within_its_towns_stated_distance(sites, towns):
    far = []
    for site in sites:
        town = towns.get(site.town)
        assert town is not None, f"{site.id}: town {site.town!r} is not in towns.json"
        km = distance_m(site.lat, site.lon, town["lat"], town["lon"]) / 1000
        if km > town["radius_km"]:
            far.append(f"{site.id}: {km:.1f} km from {site.town} (allowed {town['radius_km']} km)")
    assert far == []


def test_no_two_sites_share_a_spot_unless_one_is_part_of_the_other(sites):
    too_close = [
        f"{a.id} / {b.id}: {distance_m(a.lat, a.lon, b.lat, b.lon):.0f} m"
        for a, b in combinations(sites, 2)
        if distance_m(a.lat, a.lon, b.lat, b.lon) < MIN_SEPARATION_M
        and b.id != a.part_of
        and a.id != b.part_of
    ]
    assert too_close == []


def test_part_of_names_a_site_in_the_catalog(sites):
    ids = {s.id for s in sites}
    assert [s.id for s in sites if s.part_of and s.part_of not in ids] == []


def test_the_curated_trails_are_whole(sites):
    ids = {s.id for s in sites}
    trails = read_trails(BUNDLED)
    assert {t.id for t in trails} >= REQUIRED_TRAILS
    for trail in trails:
        assert trail.title and trail.story and 1 <= trail.days <= 14, trail.id
        assert len(trail.sites) >= 3, trail.id
        assert [s for s in trail.sites if s not in ids] == [], trail.id
        assert len(set(trail.sites)) == len(trail.sites), trail.id


def test_trails_are_in_the_built_catalog(bundled_catalog):
    trails = bundled_catalog.trails()
    assert {t.id for t in trails} >= REQUIRED_TRAILS
    halyard = bundled_catalog.trail("halyard")
    assert "galovica-polje-halyard-memorial" in halyard.sites


def test_every_trail_day_fits_a_normal_pace(sites, towns):
    by_id = {s.id: s for s in sites}
    over = {}
    for trail in read_trails(BUNDLED):
        base = towns[trail.base]
        for day in range(1, trail.days + 1):
            stops = [by_id[s] for s in trail.sites if trail.day_of(s) == day]
            home = (base["lat"], base["lon"])
            points = [home, *((s.lat, s.lon) for s in stops), home]
            km = sum(distance_km(*a, *b) for a, b in pairwise(points))
            drive = km * DETOUR / ROAD_KMH
            active = drive + sum(s.visit_minutes for s in stops) / 60 + LUNCH_HOURS
            if drive > NORMAL_DRIVE_HOURS or active > NORMAL_DAY_HOURS:
                over[(trail.id, day)] = f"{active:.1f} h with {drive:.1f} h of driving"
    assert set(over) == set(OVER_A_NORMAL_DAY), over
