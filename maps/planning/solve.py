"""Solve a planning problem with the promises a traveler relies on.

The engine maximises priority; this layer makes must-sees a guarantee rather than a weight
(VROOM's priorities add up, so two nice-to-haves can outweigh one must-see), and gives every
stop left out a reason a person understands.
"""

from dataclasses import replace

from maps.planning.engines import Engine, VroomEngine
from maps.planning.problem import (
    CLOSED,
    LOWER_PRIORITY,
    NO_ROOM,
    TOO_FAR,
    Problem,
    Solution,
    Stop,
    Unassigned,
)

MUST_PRIORITY = 100
#: Nice-to-haves are weighed in four bands (1-4) under a must-see's 100: since no day holds
#: more than about twenty visits, no set of nice-to-haves VROOM could trade for a must-see
#: adds up to its weight, so the additive objective itself keeps must-sees in.
WISH_BANDS = 4
#: What a must-see left out because the others took the time is told.
MUSTS_CROWD = "does not fit in the days together with the other must-sees"


def solve(problem: Problem, engine: Engine | None = None) -> Solution:
    """Plan every stop that can be planned; must-sees first, then by priority."""
    engine = engine or VroomEngine()
    reasons = {stop.id: reason for stop in problem.stops if (reason := impossible(problem, stop))}
    musts = [_as_must(s) for s in problem.stops if s.must and s.id not in reasons]
    wishes = [_as_wish(s) for s in problem.stops if not s.must and s.id not in reasons]
    solution = engine.solve(replace(problem, stops=tuple(musts + wishes)))
    dropped: list[Stop] = []
    missing = _missing(musts, solution)
    if missing:
        alone = engine.solve(replace(problem, stops=tuple(musts)))
        crowded = _missing(musts, alone)
        reasons.update({s.id: MUSTS_CROWD for s in crowded})
        musts = [s for s in musts if s not in crowded]
        pool = sorted(wishes, key=lambda s: s.priority)
        batch = 1
        solution = engine.solve(replace(problem, stops=tuple(musts + pool)))
        while _missing(musts, solution) and pool:
            dropped += pool[:batch]
            pool = pool[batch:]
            batch *= 2
            solution = engine.solve(replace(problem, stops=tuple(musts + pool)))
        if _missing(musts, solution):
            solution = alone
    return _explain(problem, solution, reasons, {s.id for s in dropped})


def impossible(problem: Problem, stop: Stop) -> str | None:
    """Why a stop cannot be visited on any day at all, or None if some day could hold it."""
    days = [d for d in problem.days if stop.day is None or d.index == stop.day]
    overlapping = False
    for day in days:
        for opens, last_start in stop.windows:
            if last_start < day.window[0] or opens > day.window[1]:
                continue
            overlapping = True
            start = max(day.window[0] + problem.durations[day.start_location][stop.location], opens)
            back = start + stop.service + problem.durations[stop.location][day.end_location]
            if start <= last_start and back <= day.window[1]:
                return None
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
        elif stop.id in dropped or (not stop.must and stop.priority <= lowest_kept):
            reason = LOWER_PRIORITY
        elif stop.must:
            reason = MUSTS_CROWD
        else:
            reason = NO_ROOM
        unassigned.append(Unassigned(stop.id, reason))
    return replace(solution, unassigned=tuple(unassigned))
