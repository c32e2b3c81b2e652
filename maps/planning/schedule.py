"""A day walked in a given order: arrive, wait for opening, visit, lunch, return; and what breaks.

Used to time a plan the traveler arranged by hand, and to time an order found by an engine
that has no lunch break of its own.
"""

from maps.planning.problem import Day, Problem, Route, Visit


def simulate(problem: Problem, day: Day, site_ids: list[str]) -> tuple[Route, dict]:
    """Walk a day's stops in the given order: arrive, wait for opening, visit, lunch, return."""
    flags: dict[tuple[int, str | None], tuple[str, ...]] = {}
    stops = [problem.stop(i) for i in site_ids]
    clock, where = day.window[0], day.start_location
    if stops:  # leave no earlier than needed to reach the first stop as it opens
        first = stops[0]
        travel_first = problem.durations[where][first.location]
        opens = [a for a, b in first.windows if b >= day.window[0] + travel_first and a <= day.window[1]]
        if opens:
            clock = max(clock, min(opens) - travel_first)
    leave, visits, lunch = clock, [], None
    for position, stop in enumerate(stops):
        travel_time = problem.durations[where][stop.location]
        if lunch is None and day.lunch and (clock >= day.lunch[0] or clock + travel_time > day.lunch[1]):
            lunch_start = max(clock, day.lunch[0])
            lunch = (position, lunch_start)
            clock = lunch_start + day.lunch_duration
        arrival = clock + travel_time
        window = next(((a, b) for a, b in sorted(stop.windows) if b >= arrival), None)
        problems = []
        if window is None or window[0] - arrival > 6 * 3600:
            start = arrival
            problems.append("closed when you get there")
        else:
            start = max(arrival, window[0])
            if start > day.window[1]:
                problems.append("opens only after the day's end")
        visits.append(Visit(stop.id, arrival, start, start + stop.service))
        if start + stop.service > day.window[1]:
            problems.append("the visit runs past the day's end")
        if problems:
            flags[(day.index, stop.id)] = tuple(problems)
        clock, where = start + stop.service, stop.location
    if stops and lunch is None and day.lunch:
        lunch_start = max(clock, day.lunch[0])
        lunch = (len(stops), lunch_start)
        clock = lunch_start + day.lunch_duration
    back = clock + problem.durations[where][day.end_location] if stops else clock
    if back > day.window[1]:
        late = round((back - day.window[1]) / 60)
        flags[(day.index, None)] = (f"back at the base {late} min after the day's end",)
    if lunch is not None and day.lunch and lunch[1] > day.lunch[1]:
        flags[(day.index, None)] = (*flags.get((day.index, None), ()), "lunch comes late")
    return Route(day.index, tuple(visits), leave, back, lunch), flags
