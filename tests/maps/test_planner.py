"""Planning on real catalog sites: opening hours, holidays, realistic drives, must-sees, locks."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.planning import solve as planner
from maps.planning.checker import check
from maps.planning.engines import VroomEngine
from maps.planning.problem import CLOSED, Day, Problem, Stop
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import build_problem, plan_trip
from sites.errors import ValidationError

BELGRADE = ("Belgrade",)
MILITARY_MUSEUM = "military-museum-belgrade-fortress"  # "Tu-Su 10:00-17:00; Mo off"
TESLA_MUSEUM = "nikola-tesla-museum"
HALYARD = "galovica-polje-halyard-memorial"


def request(start, days, *wishes, **extra):
    return TripRequest("Test trip", start, days, extra.pop("bases", BELGRADE), tuple(wishes), **extra)


def visits_of(itinerary):
    return {s.site_id: day for day in itinerary.days for s in day.stops}


def test_a_museum_closed_on_mondays_is_never_visited_on_a_monday(bundled_catalog):
    monday = date(2027, 5, 10)
    alone = plan_trip(request(monday, 1, Wish(MILITARY_MUSEUM)), bundled_catalog)
    assert alone.stop_ids() == []
    assert [(x.site_id, x.reason) for x in alone.left_out] == [(MILITARY_MUSEUM, CLOSED)]
    week = plan_trip(request(monday, 3, Wish(MILITARY_MUSEUM), Wish(TESLA_MUSEUM)), bundled_catalog)
    day = visits_of(week)[MILITARY_MUSEUM]
    assert day.date.weekday() != 0


def test_a_public_holiday_closes_sites_that_close_on_holidays(bundled_catalog):
    site = bundled_catalog.site(TESLA_MUSEUM)
    hours = "Tu-Su 10:00-18:00; PH off"
    christmas = date(2027, 1, 7)  # Orthodox Christmas, a Thursday
    catalog_site = replace(site, opening_hours=hours)
    bundled_catalog_copy = _with_site(bundled_catalog, catalog_site)
    trip = plan_trip(request(christmas, 1, Wish(TESLA_MUSEUM)), bundled_catalog_copy)
    assert trip.stop_ids() == [] and trip.left_out[0].reason == CLOSED
    two_days = plan_trip(request(christmas, 2, Wish(TESLA_MUSEUM, must=True)), bundled_catalog_copy)
    assert visits_of(two_days)[TESLA_MUSEUM].date == christmas + timedelta(days=1)


def _with_site(catalog, site):
    from sites.catalog import Catalog

    copy = Catalog.in_memory(catalog.themes(), [site if s.id == site.id else s for s in catalog.sites()])
    return copy


def test_pranjani_from_belgrade_is_a_day_trip_with_realistic_driving(bundled_catalog):
    tuesday = date(2027, 5, 11)
    trip = plan_trip(request(tuesday, 1, Wish(HALYARD, must=True)), bundled_catalog)
    [day] = trip.days
    [stop] = day.stops
    assert stop.site_id == HALYARD
    # Belgrade to Pranjani is about 120 km of road, an hour and a half each way.
    assert 75 * 60 <= stop.travel_seconds <= 130 * 60
    assert 90_000 <= stop.travel_metres <= 150_000
    assert day.back.hour < 19


def test_must_sees_are_placed_when_they_fit(bundled_catalog):
    sites = [s.id for s in bundled_catalog.sites() if s.town == "Belgrade"][:14]
    musts = [TESLA_MUSEUM, MILITARY_MUSEUM]
    wishes = [Wish(s, priority=99) for s in sites if s not in musts] + [
        Wish(m, must=True, priority=1) for m in musts
    ]
    trip = plan_trip(request(date(2027, 5, 11), 1, *wishes, pace="relaxed"), bundled_catalog)
    assert set(musts) <= set(trip.stop_ids())
    assert trip.left_out  # the day cannot hold everything: nice-to-haves made room
    assert all(x.reason for x in trip.left_out)


def test_an_impossible_must_see_is_explained_not_dropped(bundled_catalog):
    monday = date(2027, 5, 10)
    trip = plan_trip(
        request(monday, 1, Wish(MILITARY_MUSEUM, must=True), Wish(TESLA_MUSEUM)), bundled_catalog
    )
    assert MILITARY_MUSEUM not in trip.stop_ids()
    assert {x.site_id: x.reason for x in trip.left_out}[MILITARY_MUSEUM] == CLOSED


def test_locked_stops_stay_on_their_day(bundled_catalog):
    tuesday = date(2027, 5, 11)
    wishes = [Wish(TESLA_MUSEUM, day=2), Wish(MILITARY_MUSEUM), Wish(HALYARD)]
    trip = plan_trip(request(tuesday, 3, *wishes), bundled_catalog)
    assert visits_of(trip)[TESLA_MUSEUM].index == 2
    assert [s.locked for d in trip.days for s in d.stops if s.site_id == TESLA_MUSEUM] == [True]


def test_every_plan_passes_the_checker_and_the_checker_rejects_a_broken_one(bundled_catalog):
    tuesday = date(2027, 5, 11)
    wishes = [Wish(s.id) for s in bundled_catalog.sites()[:25]]
    build = build_problem(request(tuesday, 3, *wishes), bundled_catalog)
    solution = planner.solve(build.problem)
    assert check(build.problem, solution).ok, check(build.problem, solution).problems
    route = next(r for r in solution.routes if len(r.visits) >= 2)
    first, second = route.visits[:2]
    hurried = replace(second, arrival=first.departure, start=first.departure)  # no time to travel
    broken = replace(
        solution,
        routes=tuple(
            replace(r, visits=(first, hurried, *r.visits[2:])) if r is route else r for r in solution.routes
        ),
    )
    assert not check(build.problem, broken).ok
    dropped = replace(solution, routes=tuple(replace(r, visits=()) for r in solution.routes), unassigned=())
    assert any("neither placed" in p for p in check(build.problem, dropped).problems)


def test_bad_requests_are_refused_with_every_reason():
    with pytest.raises(ValidationError) as raised:
        TripRequest("x", date(2027, 5, 11), 15, (), (), pace="sprint", mode="boat").validate()
    text = str(raised.value)
    for words in ("1 to 14 days", "where the nights", "pace", "travel mode", "at least one site"):
        assert words in text


def test_request_and_itinerary_round_trip_through_json(bundled_catalog):
    from maps.planning.itinerary import itinerary_from_json

    trip = plan_trip(
        request(date(2027, 5, 11), 2, Wish(TESLA_MUSEUM), Wish(HALYARD, must=True)), bundled_catalog
    )
    assert itinerary_from_json(trip.to_json()) == trip


# -- random problems ---------------------------------------------------------------------------


@st.composite
def problems(draw):
    size = draw(st.integers(min_value=2, max_value=12))
    points = [(draw(st.integers(0, 5000)), draw(st.integers(0, 5000))) for _ in range(size + 1)]
    durations = [[abs(a[0] - b[0]) + abs(a[1] - b[1]) for b in points] for a in points]
    days = draw(st.integers(min_value=1, max_value=3))
    day_list = []
    for d in range(days):
        start = d * 86_400 + 9 * 3600
        lunch = (start + 3 * 3600, start + 5 * 3600) if draw(st.booleans()) else None
        day_list.append(Day(d, 0, 0, (start, start + 10 * 3600), lunch, 3600 if lunch else 0))
    stops = []
    for n in range(1, size + 1):
        windows = []
        for d in range(days):
            if draw(st.booleans()):
                opens = d * 86_400 + draw(st.integers(8, 14)) * 3600
                windows.append((opens, opens + draw(st.integers(1, 8)) * 3600))
        stops.append(
            Stop(
                f"s{n}",
                n,
                draw(st.integers(10, 120)) * 60,
                tuple(windows),
                draw(st.integers(1, 99)),
                draw(st.booleans()) and draw(st.booleans()),
            )
        )
    return Problem(durations, tuple(stops), tuple(day_list))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_plan_the_engine_returns_passes_the_checker(problem):
    solution = planner.solve(problem, VroomEngine())
    result = check(problem, solution)
    assert result.ok, result.problems


def test_times_are_in_belgrade_time_across_daylight_saving(bundled_catalog):
    # The last Sunday of March 2027 is the 28th: clocks go forward in Belgrade.
    trip = plan_trip(
        request(date(2027, 3, 27), 3, Wish(TESLA_MUSEUM), Wish(MILITARY_MUSEUM)), bundled_catalog
    )
    for day in trip.days:
        assert (
            day.leave.utcoffset()
            == datetime(day.date.year, day.date.month, day.date.day, 12)
            .astimezone(day.leave.tzinfo)
            .utcoffset()
        )
        for stop in day.stops:
            assert 9 <= stop.start.hour < 19


def test_moving_a_stop_by_hand_retimes_and_flags_conflicts(bundled_catalog):
    from maps.planning.retime import retime

    tuesday = date(2027, 5, 11)
    wishes = [Wish(TESLA_MUSEUM), Wish(MILITARY_MUSEUM), Wish(HALYARD)]
    req = request(tuesday, 2, *wishes)
    fine = retime(req, bundled_catalog, [[HALYARD], [MILITARY_MUSEUM, TESLA_MUSEUM]])
    assert fine.stop_ids() == [HALYARD, MILITARY_MUSEUM, TESLA_MUSEUM]
    assert not any(s.flags for d in fine.days for s in d.stops)
    second = fine.days[1].stops[1]
    assert second.arrive >= fine.days[1].stops[0].leave
    # Everything on one day, then on a Monday: the traveler is told what no longer works.
    far = [
        HALYARD,
        MILITARY_MUSEUM,
        TESLA_MUSEUM,
        "pupin-memorial-complex-idvor",
        "sargan-eight-railway-mokra-gora",
    ]
    crowded = retime(req, bundled_catalog, [far, []])
    assert crowded.days[0].flags or any(s.flags for s in crowded.days[0].stops)
    monday = retime(request(date(2027, 5, 10), 1, *wishes), bundled_catalog, [[MILITARY_MUSEUM]])
    assert monday.days[0].stops[0].flags == ("closed when you get there",)
