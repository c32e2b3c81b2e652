"""From a traveler's wishes to a day-by-day itinerary: builds the planning problem from the
catalog (opening hours in Belgrade time, Serbian holidays, travel times), solves it, and reads
the engine's answer back as dates and times.
"""

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from maps.planning import solve, travel
from maps.planning.engines import Engine
from maps.planning.itinerary import DayPlan, Itinerary, LeftOut, Place, PlannedStop
from maps.planning.problem import GRID, Day, Problem, Solution, Stop, grid_down, grid_up
from maps.planning.request import PACES, TZ, TripRequest
from sites import geography, opening_hours
from sites.catalog import Catalog
from sites.errors import HeritageError, NotFoundError, ValidationError
from sites.folding import fold
from sites.models import Site


def resolve_place(catalog: Catalog, name: str) -> Place:
    """A base named by site id, catalog town, or a town of Serbia; NotFoundError otherwise."""
    try:
        site = catalog.site(name)
        return Place(site.name, site.lat, site.lon)
    except NotFoundError:
        pass
    wanted = fold(name.strip())
    for town in geography.towns():
        if fold(town.name) == wanted:
            return Place(town.name, town.lat, town.lon)
    towns = [s for s in catalog.sites() if fold(s.town) == wanted]
    if towns:
        lat = sum(s.lat for s in towns) / len(towns)
        lon = sum(s.lon for s in towns) / len(towns)
        return Place(towns[0].town, lat, lon)
    raise NotFoundError(f"{name!r} is neither a site id nor a town the app knows; try a town like Belgrade")


@dataclass
class _Build:
    problem: Problem
    sites: dict[str, Site]
    places: list[Place]
    midnight: datetime


def build_problem(request: TripRequest, catalog: Catalog, matrix: travel.Matrix | None = None) -> _Build:
    """The planning problem for a request, in seconds since the trip's first midnight."""
    request.validate()
    pace = PACES[request.pace]
    midnight = datetime.combine(request.start, time(0, 0), TZ)
    places: list[Place] = []
    place_index: dict[str, int] = {}
    for day in range(request.days):
        for name in (request.base_of_night(max(day - 1, 0)), request.base_of_night(day)):
            if name not in place_index:
                place_index[name] = len(places)
                places.append(resolve_place(catalog, name))
    sites = {}
    for wish in request.wishes:
        if wish.site_id not in sites:
            site = catalog.site(wish.site_id)
            if site.status != "published":
                raise ValidationError([f"{site.name} is a draft: a curator has not published it yet"])
            sites[wish.site_id] = site
    points = [(p.lat, p.lon) for p in places] + [(s.lat, s.lon) for s in sites.values()]
    if matrix is None:
        mode = travel.MODES[request.mode]
        matrix = (
            travel.osrm_table(request.osrm_url, points, mode)
            if request.osrm_url
            else travel.estimate(points, mode)
        )

    def seconds(moment: datetime) -> int:
        return int((moment - midnight).total_seconds())

    def mark(moment: datetime, up: bool) -> int:
        """Seconds, moved onto a five-minute mark (up or down)."""
        return grid_up(seconds(moment)) if up else grid_down(seconds(moment))

    days = []
    day_start, day_end = request.day_hours()
    for index in range(request.days):
        day_date = request.start + timedelta(days=index)
        begin = datetime.combine(day_date, day_start, TZ)
        end = datetime.combine(day_date, day_end, TZ)
        lunch = None
        if request.lunch:
            lunch = (
                seconds(datetime.combine(day_date, request.lunch[0], TZ)),
                seconds(datetime.combine(day_date, request.lunch[1], TZ)),
            )
        days.append(
            Day(
                index=index,
                start_location=place_index[request.base_of_night(max(index - 1, 0))],
                end_location=place_index[request.base_of_night(index)],
                window=(mark(begin, up=True), mark(end, up=False)),
                lunch=lunch,
                lunch_duration=_on_grid(request.lunch_minutes * 60) if request.lunch else 0,
                max_active=mark(end, up=False) - mark(begin, up=True),
                max_travel=request.max_drive() * 60,
            )
        )
    trip_end = midnight + timedelta(days=request.days)
    stops = []
    wish_of = {w.site_id: w for w in request.wishes}
    for offset, (site_id, site) in enumerate(sites.items()):
        wish = wish_of[site_id]
        service = _on_grid(max(600, site.visit_minutes * 60 * pace.visit_factor))
        windows = []
        try:
            open_periods = opening_hours.open_windows(site.opening_hours, midnight, trip_end)
        except HeritageError:
            open_periods = []  # unreadable hours: never promise an open door
        for opens, closes in open_periods:
            first_start = grid_up(seconds(opens))
            last_start = grid_down(seconds(closes) - service)
            if last_start >= first_start:
                windows.append((first_start, last_start))
        pinned = wish.day if wish.day is not None else wish.trail_day
        if pinned is not None and not 0 <= pinned < request.days:
            pinned = None
        stops.append(
            Stop(site_id, len(places) + offset, service, tuple(windows), wish.priority, wish.must, pinned)
        )
    # Legs are counted up to the next five minutes (time to park, to find the door): with
    # hours, visits and lunch on the same marks, every time in the plan is a round one.
    durations = [[grid_up(d) for d in row] for row in matrix.durations]
    problem = Problem(durations, tuple(stops), tuple(days), matrix.distances)
    return _Build(problem, sites, places, midnight)


def plan_trip(
    request: TripRequest, catalog: Catalog, engine: Engine | None = None, matrix: travel.Matrix | None = None
) -> Itinerary:
    """Plan a trip: the day-by-day itinerary and what was left out, with reasons."""
    build = build_problem(request, catalog, matrix)
    solution = solve.solve(build.problem, engine)
    # A trail's days shape the plan where they can; when a stop its trail day cannot hold
    # (closed that day, say) is left out, the plan is made again with that stop free to go
    # on any day, then with every stop free, and the one that keeps the most is taken.
    hinted = {w.site_id for w in request.wishes if w.day is None and w.trail_day is not None}
    stuck = {u.stop_id for u in solution.unassigned} & hinted
    if stuck:
        for freeing in (stuck, hinted):
            freed = replace(
                build.problem,
                stops=tuple(replace(s, day=None) if s.id in freeing else s for s in build.problem.stops),
            )
            again = solve.solve(freed, engine)
            if again.prize(build.problem) > solution.prize(build.problem):
                solution = again
        # What is still left out is told with the reason that holds for any day.
        reasons = {u.stop_id: u for u in again.unassigned}
        solution = replace(solution, unassigned=tuple(reasons.get(u.stop_id, u) for u in solution.unassigned))
    return to_itinerary(request, build, solution)


def to_itinerary(request: TripRequest, build: _Build, solution: Solution) -> Itinerary:
    """Read an engine's solution back as dates and times."""
    problem = build.problem

    def at(seconds: int) -> datetime:
        return (build.midnight + timedelta(seconds=seconds)).astimezone(TZ)

    locked = {w.site_id for w in request.wishes if w.day is not None}
    suggested = {w.site_id for w in request.wishes if w.suggested}
    days = []
    for route in solution.routes:
        day = problem.days[route.day]
        where = day.start_location
        stops = []
        for visit in route.visits:
            stop = problem.stop(visit.stop_id)
            site = build.sites[visit.stop_id]
            stops.append(
                PlannedStop(
                    site.id,
                    site.name,
                    at(visit.arrival),
                    at(visit.start),
                    at(visit.departure),
                    problem.durations[where][stop.location],
                    _distance(problem, where, stop.location),
                    site.lat,
                    site.lon,
                    site.id in locked,
                    suggested=site.id in suggested,
                    hours_confirmed=site.opening_hours is not None,
                )
            )
            where = stop.location
        lunch = None
        if route.lunch is not None:
            lunch = (at(route.lunch[1]), at(route.lunch[1] + day.lunch_duration))
        leave = at(route.leave_base if route.visits else day.window[0])
        back = at(route.return_base if route.visits else day.window[0])
        days.append(
            DayPlan(
                route.day,
                request.start + timedelta(days=route.day),
                build.places[day.start_location],
                build.places[day.end_location],
                leave,
                back,
                tuple(stops),
                lunch,
                problem.durations[where][day.end_location] if stops else 0,
                _distance(problem, where, day.end_location) if stops else 0,
            )
        )
    left_out = tuple(
        LeftOut(u.stop_id, build.sites[u.stop_id].name, _reason(request, build, u.stop_id, u.reason))
        for u in solution.unassigned
        if u.stop_id not in suggested  # a suggestion that does not fit is simply not made
    )
    return Itinerary(request, tuple(days), left_out, solution.engine)


def _reason(request: TripRequest, build: _Build, site_id: str, reason: str) -> str:
    """A reason with the trip's own words: the base, the pace, and a trail's own base."""
    if reason != solve.TOO_FAR_TO_DRIVE:
        return reason
    bases = sorted({p.name for p in build.places})
    wish = next(w for w in request.wishes if w.site_id == site_id)
    text = f"too far for a day trip from {' or '.join(bases)} at {request.pace} pace"
    if wish.trail_base and wish.trail_base not in bases:
        text += f"; the trail stays in {wish.trail_base}"
    return text


def _on_grid(seconds: float) -> int:
    """Seconds rounded to the nearest five-minute mark (at least one mark)."""
    return max(GRID, round(seconds / GRID) * GRID)


def _distance(problem: Problem, a: int, b: int) -> int:
    return problem.distances[a][b] if problem.distances else 0
