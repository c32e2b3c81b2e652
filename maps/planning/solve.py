"""Solve a planning problem with the promises a traveler relies on.

The engine maximises priority; this layer makes must-sees a guarantee rather than a weight
(VROOM's priorities add up, so two nice-to-haves can outweigh one must-see), searches on with a
complete engine before it says a must-see does not fit, balances the days so that none is
empty while another runs long, and gives every stop left out a reason a person understands.
"""

import time
from dataclasses import replace

from maps.planning.engines import Engine, PyVrpEngine, VroomEngine
from maps.planning.problem import (
    CLOSED,
    LOWER_PRIORITY,
    NO_ROOM,
    TOO_FAR,
    Day,
    Problem,
    Route,
    Solution,
    Stop,
    Unassigned,
    Visit,
    grid_down,
    route_travel,
)
from maps.planning.schedule import simulate

MUST_PRIORITY = 100
#: Nice-to-haves are weighed in four bands (1-4) under a must-see's 100: since no day holds
#: more than about twenty visits, no set of nice-to-haves VROOM could trade for a must-see
#: adds up to its weight, so the additive objective itself keeps must-sees in.
WISH_BANDS = 4
#: What a must-see left out because the others took the time is told. A search that ran out
#: of time proves nothing, so the words say what was done, not that no plan exists.
MUSTS_CROWD = "no plan was found that fits it in the days together with the other must-sees"
#: Why a stop is out of reach within the pace's driving budget.
TOO_FAR_TO_DRIVE = "too far to drive there and back within a day's driving budget"
#: Seconds the complete must-see search may take: PyVRP placed every must-see of every
#: generated TSPTW instance (n up to 200) within 0.3 s in the benchmark; 1 s leaves margin.
COMPLETE_SEARCH_SECONDS = 1.0
#: Seconds the balancing may spend in all; past it, the best plan found so far stands.
BALANCE_SECONDS = 4.0
#: VROOM's search depth for each balancing trial.
BALANCE_EXPLORATION = 2
#: Balancing stops when the longest day is known to within this many seconds.
BALANCE_PRECISION = 15 * 60


def solve(problem: Problem, engine: Engine | None = None, *, balance: bool = True) -> Solution:
    """Plan every stop that can be planned; must-sees first, then by priority; then balance
    the days so the longest one is as short as the same stops allow."""
    engine = engine or VroomEngine()
    reasons = {stop.id: reason for stop in problem.stops if (reason := impossible(problem, stop))}
    musts = [_as_must(s) for s in problem.stops if s.must and s.id not in reasons]
    wishes = [_as_wish(s) for s in problem.stops if not s.must and s.id not in reasons]
    solution = engine.solve(replace(problem, stops=tuple(musts + wishes)))
    dropped: list[Stop] = []
    if _missing(musts, solution):
        solution, musts, dropped, crowded = _keep_musts(problem, engine, musts, wishes)
        reasons.update({stop_id: MUSTS_CROWD for stop_id in crowded})
    if balance:
        solution = balanced(problem, solution, engine)
    solution = replace(solution, routes=tuple(_leave_late(problem, r) for r in solution.routes))
    return _explain(problem, solution, reasons, {s.id for s in dropped})


def _keep_musts(
    problem: Problem, engine: Engine, musts: list[Stop], wishes: list[Stop]
) -> tuple[Solution, list[Stop], list[Stop], set[str]]:
    """A plan with every must-see the engine or a complete search can place, and the
    nice-to-haves that still fit around them; returns the plan, the must-sees kept, the
    nice-to-haves dropped for them and the must-sees no search could place."""
    alone = engine.solve(replace(problem, stops=tuple(musts)))
    if _missing(musts, alone):
        alone = _complete_search(problem, musts) or alone
    crowded = {s.id for s in _missing(musts, alone)}
    placed_day = {v.stop_id: r.day for r in alone.routes for v in r.visits}
    # Must-sees go to the days the successful search gave them: the engine then only has to
    # order each day, which it does well, and fill the time left with nice-to-haves.
    musts = [replace(s, day=placed_day[s.id]) for s in musts if s.id not in crowded]
    pool = sorted(wishes, key=lambda s: s.priority)
    dropped: list[Stop] = []
    batch = 1
    solution = engine.solve(replace(problem, stops=tuple(musts + pool)))
    while _missing(musts, solution) and pool:
        dropped += pool[:batch]
        pool = pool[batch:]
        batch *= 2
        solution = engine.solve(replace(problem, stops=tuple(musts + pool)))
    if _missing(musts, solution):
        solution, dropped = alone, pool + dropped
    return solution, musts, dropped, crowded


def _complete_search(problem: Problem, musts: list[Stop]) -> Solution | None:
    """Place every must-see with an engine that treats them as required, or None.

    PyVRP has no lunch break, so it plans days shortened by lunch; each day's order is then
    walked with lunch where it falls, and kept only if nothing breaks.
    """
    shortened = tuple(_without_lunch(day) for day in problem.days)
    found = PyVrpEngine(time_limit=COMPLETE_SEARCH_SECONDS).solve(
        replace(problem, stops=tuple(replace(s, must=True) for s in musts), days=shortened)
    )
    if _missing(musts, found):
        return None
    routes = []
    for day in problem.days:
        order = next((r for r in found.routes if r.day == day.index), None)
        ids = [v.stop_id for v in order.visits] if order else []
        route, flags = simulate(problem, day, ids)
        if flags or _over_budget(problem, day, route):
            return None
        routes.append(route)
    return Solution(tuple(routes), (), "pyvrp", found.seconds)


def _without_lunch(day: Day) -> Day:
    """A day whose hours leave room for lunch, for an engine that cannot plan breaks."""
    if not day.lunch:
        return day
    end = day.window[1] - day.lunch_duration
    active = day.max_active - day.lunch_duration if day.max_active is not None else None
    return replace(day, window=(day.window[0], end), max_active=active, lunch=None, lunch_duration=0)


def balanced(problem: Problem, solution: Solution, engine: Engine) -> Solution:
    """The same stops over days whose longest is as short as the engine can make it.

    Bisects on a common length for every day (each day must end that long after it may
    start): stops move out of a long day into a short or empty one while the length falls.
    """
    placed = solution.placed()
    if not placed or len(problem.days) < 2:
        return solution
    keep = tuple(_as_must(s) for s in problem.stops if s.id in placed)
    if isinstance(engine, VroomEngine):
        # Each trial only has to place the same stops again: a shallower search does it.
        engine = replace(engine, exploration_level=BALANCE_EXPLORATION)
    started = time.perf_counter()
    best, hi = solution, _longest_window_use(problem, solution)
    lo = 0
    # Balancing may take about as long again as finding the plan did, within a ceiling.
    budget = min(BALANCE_SECONDS, max(0.3, 1.5 * solution.seconds))
    while hi - lo > BALANCE_PRECISION and time.perf_counter() - started < budget:
        length = grid_down((lo + hi) // 2)
        days = tuple(_cut(d, d.window[0] + length) for d in problem.days)
        trial = engine.solve(replace(problem, stops=keep, days=days))
        if trial.placed() == placed:
            best, hi = trial, _longest_window_use(problem, trial)
        else:
            lo = length
    if best is solution:
        return solution
    return replace(best, unassigned=solution.unassigned, engine=solution.engine)


def _cut(day: Day, end: int) -> Day:
    """A day that must end by ``end``; lunch only if the day still runs at lunchtime."""
    end = min(end, day.window[1])
    if not day.lunch:
        return replace(day, window=(day.window[0], end))
    last_lunch = min(day.lunch[1], end - day.lunch_duration)
    if last_lunch < day.lunch[0]:
        return replace(day, window=(day.window[0], end), lunch=None, lunch_duration=0)
    return replace(day, window=(day.window[0], end), lunch=(day.lunch[0], last_lunch))


def _longest_window_use(problem: Problem, solution: Solution) -> int:
    """The most time any day uses of its hours: from when it may start to the return."""
    return max(
        (r.return_base - problem.days[r.day].window[0] for r in solution.routes if r.visits), default=0
    )


def _leave_late(problem: Problem, route: Route) -> Route:
    """Leave the base just in time for the first visit rather than waiting at the door."""
    if not route.visits or (route.lunch and route.lunch[0] == 0):
        return route
    day = problem.days[route.day]
    first = route.visits[0]
    travel = problem.durations[day.start_location][problem.stop(first.stop_id).location]
    leave = max(route.leave_base, first.start - travel)
    visits = (Visit(first.stop_id, first.start, first.start, first.departure), *route.visits[1:])
    return replace(route, leave_base=leave, visits=visits) if leave != route.leave_base else route


def _over_budget(problem: Problem, day: Day, route: Route) -> bool:
    if not route.visits:
        return False
    if day.max_travel is not None and route_travel(problem, route) > day.max_travel:
        return True
    return day.max_active is not None and route.return_base - route.leave_base > day.max_active


def impossible(problem: Problem, stop: Stop) -> str | None:
    """Why a stop cannot be visited on any day at all, or None if some day could hold it."""
    days = [d for d in problem.days if stop.day is None or d.index == stop.day]
    overlapping = within_drive = False
    for day in days:
        there = problem.durations[day.start_location][stop.location]
        back_travel = problem.durations[stop.location][day.end_location]
        if day.max_travel is not None and there + back_travel > day.max_travel:
            continue
        within_drive = True
        for opens, last_start in stop.windows:
            if last_start < day.window[0] or opens > day.window[1]:
                continue
            overlapping = True
            start = max(day.window[0] + there, opens)
            back = start + stop.service + back_travel
            if start <= last_start and back <= day.window[1]:
                return None
    if days and not within_drive:
        return TOO_FAR_TO_DRIVE
    return TOO_FAR if overlapping else CLOSED


def _as_must(stop: Stop) -> Stop:
    return replace(stop, priority=MUST_PRIORITY)


def _as_wish(stop: Stop) -> Stop:
    band = 1 + (max(1, min(99, stop.priority)) - 1) * WISH_BANDS // 99
    return replace(stop, priority=band)


def _missing(musts: list[Stop], solution: Solution) -> list[Stop]:
    placed = solution.placed()
    return [s for s in musts if s.id not in placed]


def _explain(problem: Problem, solution: Solution, reasons: dict[str, str], dropped: set[str]) -> Solution:
    placed = solution.placed()
    kept_priorities = [s.priority for s in problem.stops if s.id in placed]
    lowest_kept = min(kept_priorities, default=MUST_PRIORITY + 1)
    unassigned = []
    for stop in problem.stops:
        if stop.id in placed:
            continue
        if stop.id in reasons:
            reason = reasons[stop.id]
        elif stop.id in dropped or (not stop.must and stop.priority < lowest_kept):
            reason = LOWER_PRIORITY
        elif stop.must:
            reason = MUSTS_CROWD
        else:
            reason = NO_ROOM
        unassigned.append(Unassigned(stop.id, reason))
    return replace(solution, unassigned=tuple(unassigned))
