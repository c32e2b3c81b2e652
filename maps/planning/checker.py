"""The independent checker: recomputes a plan from scratch, whatever engine made it."""

from dataclasses import dataclass, field

from maps.planning.problem import Problem, Solution, route_travel


@dataclass
class Check:
    """What the independent checker found wrong with a solution (nothing: it is sound)."""

    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(problem: Problem, solution: Solution, *, tolerance: int = 1) -> Check:
    """Recompute a plan from scratch: windows, day ends, travel, the pace's budget for each
    day (hours out and hours on the road) and the must-see promise.

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
    # A day back at the base before lunchtime is over needs no lunch break on the road.
    out_at_lunch = route.return_base > day.lunch[0] + day.lunch_duration if day.lunch else False
    if day.lunch and route.visits and route.lunch is None and out_at_lunch:
        problems.append(f"{label}: there is no lunch break")
    back = (
        max(clock + problem.durations[where][day.end_location] + extra, not_before) if route.visits else clock
    )
    if route.return_base + tolerance < back:
        problems.append(f"{label}: the return to base is sooner than travel allows")
    if max(back, route.return_base) > day.window[1] + tolerance:
        problems.append(f"{label}: ends after the day's end")
    if route.visits and day.max_active is not None:
        active = max(back, route.return_base) - route.leave_base
        if active > day.max_active + tolerance:
            problems.append(
                f"{label}: {active / 3600:.1f} h out, more than the pace's {day.max_active / 3600:.1f} h"
            )
    if day.max_travel is not None:
        driving = route_travel(problem, route)
        if driving > day.max_travel + tolerance:
            budget = day.max_travel / 3600
            driven = driving / 3600
            problems.append(f"{label}: {driven:.1f} h on the road, more than the pace's {budget:.1f} h")
