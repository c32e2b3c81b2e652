"""Times for a plan the traveler arranged by hand: nothing moves, and whatever no longer works
is flagged.
"""

from dataclasses import replace

from maps.planning.itinerary import Itinerary
from maps.planning.problem import Solution, Unassigned
from maps.planning.request import TripRequest, Wish
from maps.planning.schedule import simulate
from maps.planning.trip import build_problem, to_itinerary
from sites.catalog import Catalog
from sites.errors import ValidationError


def retime(request: TripRequest, catalog: Catalog, order: list[list[str]]) -> Itinerary:
    """Times for a plan the traveler arranged by hand: ``order`` lists each day's site ids.

    Nothing is moved: every stop keeps its day and place, and whatever no longer works (a
    visit outside opening hours, a day that ends late, no time for lunch) is flagged.
    """
    if len(order) != request.days:
        raise ValidationError([f"the plan has {len(order)} days but the trip has {request.days}"])
    known = {w.site_id for w in request.wishes}
    extra = [Wish(site_id) for day in order for site_id in day if site_id not in known]
    request = replace(request, wishes=request.wishes + tuple(extra))
    build = build_problem(request, catalog)
    problem = build.problem
    routes, flags = [], {}
    for day in problem.days:
        route, day_flags = simulate(problem, day, order[day.index])
        routes.append(route)
        flags.update(day_flags)
    placed = {site_id for day in order for site_id in day}
    left = tuple(Unassigned(s.id, "removed from the plan") for s in problem.stops if s.id not in placed)
    itinerary = to_itinerary(request, build, Solution(tuple(routes), left, "manual"))
    days = []
    for day_plan in itinerary.days:
        stops = tuple(replace(s, flags=flags.get((day_plan.index, s.site_id), ())) for s in day_plan.stops)
        days.append(replace(day_plan, stops=stops, flags=flags.get((day_plan.index, None), ())))
    return replace(itinerary, days=tuple(days))
