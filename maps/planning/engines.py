"""Vehicle-routing engines behind one interface: VROOM (chosen), and PyVRP and OR-Tools as peers.

Each turns a ``Problem`` into a ``Solution`` with real times, one day per vehicle. VROOM is the
engine the app plans with; the other two exist so ``make bench`` can measure it against them
on the same input (see README: why VROOM).
"""

import time
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from maps.planning.problem import NO_ROOM, Problem, Route, Solution, Unassigned, Visit

#: Engines work to this many seconds when they have a time limit (PyVRP, OR-Tools).
DEFAULT_TIME_LIMIT = 1.0


class Engine(Protocol):
    """Solves a planning problem; must-see guarantees are layered on top (see solve)."""

    name: str
    supports_lunch: bool

    def solve(self, problem: Problem) -> Solution: ...


@dataclass
class VroomEngine:
    """VROOM through pyvroom: priorities, several time windows per stop, breaks, skills."""

    #: VROOM's search depth (1-5); None picks 5 for up to 150 stops and 3 beyond, where
    #: level 5 costs about three times the time for the same prize on our benchmark.
    exploration_level: int | None = None
    threads: int = 1
    name: str = "vroom"
    supports_lunch: bool = True

    def solve(self, problem: Problem) -> Solution:
        import vroom

        started = time.perf_counter()
        if not problem.stops:  # VROOM refuses an input without tasks
            return Solution(_with_empty_days(problem, []), (), self.name, 0.0)
        model = vroom.Input()
        model.set_durations_matrix("car", problem.durations)
        for day in problem.days:
            breaks = []
            if day.lunch and day.lunch_duration:
                breaks = [
                    vroom.Break(1, time_windows=[vroom.TimeWindow(*day.lunch)], service=day.lunch_duration)
                ]
            model.add_vehicle(
                vroom.Vehicle(
                    day.index,
                    start=day.start_location,
                    end=day.end_location,
                    time_window=vroom.TimeWindow(*day.window),
                    breaks=breaks,
                    skills={day.index + 1},
                    max_travel_time=day.max_travel,
                    # Left at its default, a single route leaves VROOM's fast path.
                    max_distance=None,
                )
            )
        for number, stop in enumerate(problem.stops):
            skills = {stop.day + 1} if stop.day is not None else set()
            model.add_job(
                vroom.Job(
                    number,
                    location=stop.location,
                    default_service=stop.service,
                    time_windows=[vroom.TimeWindow(a, b) for a, b in stop.windows],
                    priority=min(100, max(0, stop.priority)),
                    skills=skills,
                )
            )
        level = self.exploration_level or (5 if len(problem.stops) <= 150 else 3)
        answer = model.solve(exploration_level=level, nb_threads=self.threads).to_dict()
        routes = []
        for route in answer["routes"]:
            visits: list[Visit] = []
            lunch: tuple[int, int] | None = None
            leave: int | None = None
            back: int | None = None
            for step in route["steps"]:
                start = step["arrival"] + step["waiting_time"]
                if step["type"] == "start":
                    leave = start
                elif step["type"] == "end":
                    back = step["arrival"]
                elif step["type"] == "break":
                    lunch = (len(visits), start)
                else:
                    stop = problem.stops[step["id"]]
                    visits.append(Visit(stop.id, step["arrival"], start, start + step["service"]))
            # Every vehicle has a start and an end location, so every route has both steps.
            assert leave is not None and back is not None
            routes.append(Route(route["vehicle"], tuple(visits), leave, back, lunch))
        unassigned = tuple(Unassigned(problem.stops[u["id"]].id, NO_ROOM) for u in answer["unassigned"])
        return Solution(
            _with_empty_days(problem, routes), unassigned, self.name, time.perf_counter() - started
        )


@dataclass
class PyVrpEngine:
    """PyVRP: prize-collecting with optional clients; a stop with several windows becomes a
    group of mutually exclusive clients, one per window. No breaks."""

    time_limit: float = DEFAULT_TIME_LIMIT
    name: str = "pyvrp"
    supports_lunch: bool = False

    def solve(self, problem: Problem) -> Solution:
        import pyvrp
        from pyvrp.stop import MaxRuntime

        started = time.perf_counter()
        model = pyvrp.Model()
        size = len(problem.durations)
        locations = [model.add_location(x=i, y=0) for i in range(size)]
        depots = {}
        for day in problem.days:
            for index in (day.start_location, day.end_location):
                if index not in depots:
                    depots[index] = model.add_depot(locations[index])
        for day in problem.days:
            model.add_vehicle_type(
                num_available=1,
                start_depot=depots[day.start_location],
                end_depot=depots[day.end_location],
                tw_early=day.window[0],
                tw_late=day.window[1],
                unit_distance_cost=0,
                unit_duration_cost=1,
                name=str(day.index),
            )
        # A prize that dwarfs travel makes PyVRP trade time-window violations for prizes
        # and end infeasible; a priority point worth the longest leg keeps it honest.
        scale = max(1, max(max(row) for row in problem.durations))
        owner = []
        for stop in problem.stops:
            group = model.add_client_group(required=False) if len(stop.windows) > 1 else None
            for early, late in stop.windows:
                model.add_client(
                    locations[stop.location],
                    service_duration=stop.service,
                    tw_early=early,
                    tw_late=late,
                    prize=stop.priority * scale,
                    required=False,
                    group=group,
                )
                owner.append(stop)
        for i in range(size):
            for j in range(size):
                model.add_edge(locations[i], locations[j], distance=0, duration=problem.durations[i][j])
        result = model.solve(stop=MaxRuntime(self.time_limit), display=False, seed=1)
        routes = []
        for route in result.best.routes():
            day_index = int(problem.days[route.vehicle_type()].index)
            visits = []
            for activity in route.schedule():
                if activity.is_client():
                    stop = owner[activity.idx]
                    arrival = activity.start_time - activity.wait_duration
                    visits.append(
                        Visit(stop.id, arrival, activity.start_time, activity.start_time + stop.service)
                    )
            routes.append(Route(day_index, tuple(visits), route.start_time(), route.end_time()))
        return _finish(problem, routes, self.name, started)


@dataclass
class OrToolsEngine:
    """OR-Tools routing: optional visits as disjunctions with a penalty, windows as cumul
    ranges with the gaps removed. No breaks here (the app's lunch comes from VROOM)."""

    time_limit: float = DEFAULT_TIME_LIMIT
    name: str = "ortools"
    supports_lunch: bool = False

    def solve(self, problem: Problem) -> Solution:
        from ortools.constraint_solver import pywrapcp, routing_enums_pb2

        started = time.perf_counter()
        # Nodes: one per stop, then a start and an end node per day.
        stops = list(problem.stops)
        node_location = [s.location for s in stops]
        starts, ends = [], []
        for day in problem.days:
            starts.append(len(node_location))
            node_location.append(day.start_location)
            ends.append(len(node_location))
            node_location.append(day.end_location)
        manager = pywrapcp.RoutingIndexManager(len(node_location), len(problem.days), starts, ends)
        routing = pywrapcp.RoutingModel(manager)
        service = [s.service for s in stops] + [0] * (len(node_location) - len(stops))

        def transit(from_index, to_index):
            a, b = manager.IndexToNode(from_index), manager.IndexToNode(to_index)
            return problem.durations[node_location[a]][node_location[b]] + service[a]

        callback = routing.RegisterTransitCallback(transit)
        routing.SetArcCostEvaluatorOfAllVehicles(callback)
        horizon = max(d.window[1] for d in problem.days)
        routing.AddDimension(callback, horizon, horizon, False, "time")
        clock = routing.GetDimensionOrDie("time")
        for number, day in enumerate(problem.days):
            clock.CumulVar(routing.Start(number)).SetRange(*day.window)
            clock.CumulVar(routing.End(number)).SetRange(*day.window)
        scale = _prize_scale(problem)
        for node, stop in enumerate(stops):
            index = manager.NodeToIndex(node)
            windows = sorted(stop.windows)
            cumul = clock.CumulVar(index)
            cumul.SetRange(windows[0][0], windows[-1][1])
            for (_, gap_start), (gap_end, _) in pairwise(windows):
                if gap_end - gap_start > 1:
                    cumul.RemoveInterval(gap_start + 1, gap_end - 1)
            if stop.day is not None:
                routing.SetAllowedVehiclesForIndex([stop.day], index)
            routing.AddDisjunction([index], stop.priority * scale)
        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        params.time_limit.FromMilliseconds(int(self.time_limit * 1000))
        assignment = routing.SolveWithParameters(params)
        routes = []
        if assignment is not None:
            for number, day in enumerate(problem.days):
                visits = []
                index = routing.Start(number)
                leave = assignment.Value(clock.CumulVar(index))
                departure, where = leave, day.start_location
                index = assignment.Value(routing.NextVar(index))
                while not routing.IsEnd(index):
                    stop = stops[manager.IndexToNode(index)]
                    start = assignment.Value(clock.CumulVar(index))
                    arrival = departure + problem.durations[where][stop.location]
                    visits.append(Visit(stop.id, arrival, start, start + stop.service))
                    departure, where = start + stop.service, stop.location
                    index = assignment.Value(routing.NextVar(index))
                back = departure + problem.durations[where][day.end_location] if visits else leave
                routes.append(Route(day.index, tuple(visits), leave, back))
        return _finish(problem, routes, self.name, started)


ENGINES = {"vroom": VroomEngine, "pyvrp": PyVrpEngine, "ortools": OrToolsEngine}


def _prize_scale(problem: Problem) -> int:
    """A multiplier that makes one priority point outweigh any amount of travel."""
    longest = max((max(row) for row in problem.durations), default=1)
    return max(1, longest) * (len(problem.stops) + 2)


def _finish(problem: Problem, routes: list[Route], engine: str, started: float) -> Solution:
    placed = {v.stop_id for r in routes for v in r.visits}
    unassigned = tuple(Unassigned(s.id, NO_ROOM) for s in problem.stops if s.id not in placed)
    return Solution(_with_empty_days(problem, routes), unassigned, engine, time.perf_counter() - started)


def _with_empty_days(problem: Problem, routes: list[Route]) -> tuple[Route, ...]:
    """A route for every day, in day order, empty where an engine used no vehicle."""
    by_day = {r.day: r for r in routes}
    return tuple(
        by_day.get(day.index, Route(day.index, (), day.window[0], day.window[0])) for day in problem.days
    )
