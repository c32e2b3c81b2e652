"""The planning problem and its solution, in plain numbers: no catalog, no dates, no Qt.

A multi-day trip is a team orienteering problem with time windows. Each day is a vehicle
with its own start and end location, time window and lunch break; each candidate site is an
optional stop with a visit duration, a priority and the windows in which a visit may *start*
(absolute seconds since the trip's first midnight, so a day the site is closed simply has no
window). A must-see stop has to be placed, or explained.
"""

from dataclasses import dataclass, field
from itertools import pairwise

#: Reasons a stop is left out, as a traveler reads them.
CLOSED = "closed on every day of the trip"
TOO_FAR = "too far to reach and visit within a day's hours"
LOWER_PRIORITY = "lower priority than the stops that were kept"
NO_ROOM = "no room left in the days for it"


@dataclass(frozen=True)
class Stop:
    """A candidate visit."""

    id: str
    location: int  # row/column of the duration matrix
    service: int  # seconds on site
    windows: tuple[tuple[int, int], ...]  # allowed visit *start* times, absolute seconds
    priority: int = 50  # 1..100, higher is kept first
    must: bool = False
    day: int | None = None  # locked to this day (a traveler's pin)


@dataclass(frozen=True)
class Day:
    """One day of the trip: where it starts and ends, its hours and its lunch break."""

    index: int
    start_location: int
    end_location: int
    window: tuple[int, int]  # absolute seconds: leave the base no earlier, be back no later
    lunch: tuple[int, int] | None = None  # window in which lunch starts
    lunch_duration: int = 0


@dataclass(frozen=True)
class Problem:
    """Durations and distances between locations, the stops, and the days."""

    durations: list[list[int]]  # seconds
    stops: tuple[Stop, ...]
    days: tuple[Day, ...]
    distances: list[list[int]] | None = None  # metres, for reporting only

    def stop(self, stop_id: str) -> Stop:
        """A stop by id."""
        for stop in self.stops:
            if stop.id == stop_id:
                return stop
        raise KeyError(stop_id)


@dataclass(frozen=True)
class Visit:
    """A stop placed on a day: when the traveler arrives, starts the visit and leaves."""

    stop_id: str
    arrival: int
    start: int
    departure: int


@dataclass(frozen=True)
class Route:
    """One day's visits in order, with the lunch break and the times at the base."""

    day: int
    visits: tuple[Visit, ...]
    leave_base: int
    return_base: int
    #: Lunch as (visits before it, start time): taken after leaving the previous place and
    #: before travelling on to the next.
    lunch: tuple[int, int] | None = None


@dataclass(frozen=True)
class Unassigned:
    """A stop the plan leaves out, and why."""

    stop_id: str
    reason: str


@dataclass(frozen=True)
class Solution:
    """What an engine returns: a route per day and the stops left out."""

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...] = ()
    engine: str = ""
    seconds: float = 0.0

    def placed(self) -> set[str]:
        """Ids of every stop placed on some day."""
        return {v.stop_id for r in self.routes for v in r.visits}

    def prize(self, problem: Problem) -> int:
        """Sum of the priorities of the placed stops."""
        priorities = {s.id: s.priority for s in problem.stops}
        return sum(priorities[i] for i in self.placed())

    def travel(self, problem: Problem) -> int:
        """Total seconds spent travelling."""
        return sum(route_travel(problem, route) for route in self.routes)


def route_travel(problem: Problem, route: Route) -> int:
    """Seconds of travel on one day's route, base to base."""
    day = problem.days[route.day]
    path = [day.start_location, *(problem.stop(v.stop_id).location for v in route.visits), day.end_location]
    if not route.visits:
        return 0
    return sum(problem.durations[a][b] for a, b in pairwise(path))


@dataclass
class Check:
    """What the independent checker found wrong with a solution (nothing: it is sound)."""

    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(problem: Problem, solution: Solution, *, tolerance: int = 1) -> Check:
    """Recompute a plan from scratch: windows, day ends, travel and the must-see promise.

    Independent of every engine; used by the tests and after a traveler edits a plan.
    """
    result = Check()
    stops = {s.id: s for s in problem.stops}
    seen: set[str] = set()
    for route in solution.routes:
        _check_route(problem, route, stops, seen, result.problems, tolerance)
    explained = {u.stop_id for u in solution.unassigned}
    for stop in problem.stops:
        if stop.must and stop.id not in seen and stop.id not in explained:
            result.problems.append(f"must-see {stop.id} is neither placed nor explained")
        if stop.id not in seen and stop.id not in explained:
            result.problems.append(f"{stop.id} is neither placed nor reported as left out")
    return result


def _check_route(problem, route, stops, seen, problems, tolerance) -> None:
    day = problem.days[route.day]
    label = f"day {route.day + 1}"
    if route.leave_base < day.window[0] - tolerance:
        problems.append(f"{label}: leaves the base before the day starts")
    clock, where = route.leave_base, day.start_location
    # Lunch may be taken on the road (VROOM's breaks fall anywhere between two places): it
    # adds its length to the next leg and must end before the traveler arrives.
    extra, not_before = 0, 0
    for position, visit in enumerate([*route.visits, None]):
        if route.lunch and route.lunch[0] == position:
            lunch_start = route.lunch[1]
            if lunch_start + tolerance < clock:
                problems.append(f"{label}: lunch starts before the previous visit ends")
            if day.lunch and not day.lunch[0] - tolerance <= lunch_start <= day.lunch[1] + tolerance:
                problems.append(f"{label}: lunch is outside the lunch hours")
            extra, not_before = day.lunch_duration, lunch_start + day.lunch_duration
        if visit is None:
            break
        stop = stops.get(visit.stop_id)
        if stop is None:
            problems.append(f"{label}: {visit.stop_id} is not a stop of this problem")
            continue
        if visit.stop_id in seen:
            problems.append(f"{visit.stop_id} is visited twice")
        seen.add(visit.stop_id)
        earliest = max(clock + problem.durations[where][stop.location] + extra, not_before)
        extra, not_before = 0, 0
        if visit.arrival + tolerance < earliest:
            problems.append(f"{label}: {visit.stop_id} is reached sooner than the travel time allows")
        if visit.start + tolerance < visit.arrival:
            problems.append(f"{label}: {visit.stop_id} starts before arrival")
        if not any(a - tolerance <= visit.start <= b + tolerance for a, b in stop.windows):
            problems.append(f"{label}: {visit.stop_id} is visited while closed")
        if visit.departure + tolerance < visit.start + stop.service:
            problems.append(f"{label}: {visit.stop_id} is left before the visit ends")
        clock, where = visit.departure, stop.location
    if day.lunch and route.visits and route.lunch is None:
        problems.append(f"{label}: there is no lunch break")
    back = (
        max(clock + problem.durations[where][day.end_location] + extra, not_before) if route.visits else clock
    )
    if route.return_base + tolerance < back:
        problems.append(f"{label}: the return to base is sooner than travel allows")
    if max(back, route.return_base) > day.window[1] + tolerance:
        problems.append(f"{label}: ends after the day's end")
