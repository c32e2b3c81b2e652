"""The planning problem and its solution, in plain numbers: no catalog, no dates, no Qt.

A multi-day trip is a team orienteering problem with time windows. Each day is a vehicle
with its own start and end location, time window and lunch break; each candidate site is an
optional stop with a visit duration, a priority and the windows in which a visit may *start*
(absolute seconds since the trip's first midnight, so a day the site is closed simply has no
window). A must-see stop has to be placed, or explained.
"""

from dataclasses import dataclass
from itertools import pairwise

#: Every time the planner works with is a multiple of this many seconds (five minutes), so a
#: timetable shown to a person is on round marks and still adds up (see maps.planning.trip).
GRID = 300


def grid_up(seconds: int) -> int:
    """``seconds`` moved up onto the next five-minute mark (unchanged on a mark)."""
    return -(-seconds // GRID) * GRID


def grid_down(seconds: int) -> int:
    """``seconds`` moved down onto the five-minute mark before it (unchanged on a mark)."""
    return seconds // GRID * GRID


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
    #: The pace's budget: seconds from leaving the base to coming back, and seconds of
    #: travel in the day (None: only the window bounds the day).
    max_active: int | None = None
    max_travel: int | None = None


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
