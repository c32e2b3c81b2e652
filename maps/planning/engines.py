"""Vehicle-routing engines behind one interface: VROOM (chosen), and PyVRP and OR-Tools as peers.

Each turns a ``Problem`` into a ``Solution`` with real times, one day per vehicle. VROOM is the
engine the app plans with; the other two exist so ``make bench`` can measure it against them
on the same input (see README: why VROOM).
"""

import time
import warnings
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Protocol

from maps.planning.problem import NO_ROOM, Problem, Route, Solution, Stop, Unassigned, Visit

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
    """PyVRP: minimises travel time (waiting is free), must-sees as required clients and other
    stops as optional ones with a prize; a stop with several windows becomes a group of mutually
    exclusive clients, one per window. A day's travel budget is the vehicle's maximum distance
    (distance here *is* travel seconds), its active hours the maximum duration. No breaks."""

    time_limit: float = DEFAULT_TIME_LIMIT
    seed: int = 1
    name: str = "pyvrp"
    supports_lunch: bool = False

    def solve(self, problem: Problem) -> Solution:
        import numpy as np
        import pyvrp
        from pyvrp.constants import MAX_VALUE
        from pyvrp.exceptions import PenaltyBoundWarning
        from pyvrp.stop import MaxRuntime

        started = time.perf_counter()
        stops = _servable(problem)
        if not stops:
            return _finish(problem, [], self.name, started)
        durations = np.asarray(problem.durations, dtype=np.int64)
        # A stop locked to a day gets a location of its own (a copy of its place), so every
        # other day's profile can close the roads into it: PyVRP has no per-client vehicle list.
        locked = [stop for stop in stops if stop.day is not None]
        places = [*range(len(durations)), *(stop.location for stop in locked)]
        own_place = {stop.id: len(durations) + n for n, stop in enumerate(locked)}
        base = durations[np.ix_(places, places)]
        # One profile per day with locked stops, and one shared by the days without.
        keys = sorted({stop.day for stop in locked if stop.day is not None})
        profile_keys: list[int | None] = [*keys, None] if locked else [None]
        # PyVRP's stubs spell a matrix np.ndarray[int], which no numpy array type matches.
        matrices: list[Any] = []
        for key in profile_keys:
            matrix = base.copy()
            for stop in locked:
                if stop.day != key:
                    matrix[:, own_place[stop.id]] = MAX_VALUE
            np.fill_diagonal(matrix, 0)
            matrices.append(matrix)
        depots: dict[int, int] = {}
        for day in problem.days:
            for place in (day.start_location, day.end_location):
                depots.setdefault(place, len(depots))
        vehicle_types = [
            pyvrp.VehicleType(
                num_available=1,
                start_depot=depots[day.start_location],
                end_depot=depots[day.end_location],
                tw_early=day.window[0],
                tw_late=day.window[1],
                shift_duration=day.max_active if day.max_active is not None else _PYVRP_UNBOUNDED,
                max_distance=day.max_travel if day.max_travel is not None else _PYVRP_UNBOUNDED,
                unit_distance_cost=1,
                unit_duration_cost=0,
                profile=profile_keys.index(day.index if day.index in keys else None),
                name=str(day.index),
            )
            for day in problem.days
        ]
        # A prize outweighs the longest detour a stop can cost (two legs), so every optional
        # stop that fits is worth its travel; a prize that dwarfed travel would have PyVRP
        # trade time-window violations for prizes and end with no feasible plan.
        scale = 2 * int(durations.max()) + 1
        clients: list[pyvrp.Client] = []
        groups: list[pyvrp.ClientGroup] = []
        owner: list[Stop] = []
        for stop in stops:
            place = own_place.get(stop.id, stop.location)
            single = len(stop.windows) == 1
            group = None if single else len(groups)
            if not single:
                groups.append(pyvrp.ClientGroup(required=stop.must))
            for early, late in stop.windows:
                if group is not None:
                    groups[group].add_client(len(clients))
                clients.append(
                    pyvrp.Client(
                        location=place,
                        service_duration=stop.service,
                        tw_early=early,
                        tw_late=late,
                        prize=0 if stop.must else max(1, stop.priority) * scale,
                        required=stop.must and single,
                        group=group,
                    )
                )
                owner.append(stop)
        data = pyvrp.ProblemData(
            locations=[pyvrp.Location(x=0, y=0) for _ in places],
            clients=clients,
            depots=[pyvrp.Depot(location=place) for place in depots],
            vehicle_types=vehicle_types,
            distance_matrices=matrices,
            duration_matrices=matrices,
            groups=groups,
        )
        with warnings.catch_warnings():
            # PyVRP warns when it cannot find a feasible plan; that case is handled below.
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            result = pyvrp.solve(data, stop=MaxRuntime(self.time_limit), seed=self.seed, collect_stats=False)
        # The search keeps the cheapest feasible solution once it has one; an infeasible best
        # means it found none (a must-see it could not place): no routes then, never a plan
        # that breaks a window or a budget.
        routes = []
        if result.best.is_feasible():
            for route in result.best.routes():
                day = problem.days[route.vehicle_type()]
                visits = []
                for activity in route.schedule():
                    if activity.is_client():
                        stop = owner[activity.idx]
                        arrival = activity.start_time - activity.wait_duration
                        visits.append(
                            Visit(stop.id, arrival, activity.start_time, activity.start_time + stop.service)
                        )
                routes.append(Route(day.index, tuple(visits), route.start_time(), route.end_time()))
        return _finish(problem, routes, self.name, started)


#: PyVRP's "no limit" for a vehicle's duration and distance.
_PYVRP_UNBOUNDED = 2**63 - 1


@dataclass
class OrToolsEngine:
    """OR-Tools routing: minimises travel time; must-sees are visits whose penalty outweighs
    everything else, other stops optional ones (disjunctions with a penalty); windows are cumul
    ranges with the gaps removed, a day's travel budget a second dimension and its active hours
    the span of the time dimension. Costs are matrices, so no Python runs during the search. No
    breaks here (the app's lunch comes from VROOM)."""

    time_limit: float = DEFAULT_TIME_LIMIT
    name: str = "ortools"
    supports_lunch: bool = False

    def solve(self, problem: Problem) -> Solution:
        from ortools.constraint_solver import pywrapcp, routing_enums_pb2

        started = time.perf_counter()
        stops = _servable(problem)
        if not stops:
            return _finish(problem, [], self.name, started)
        # Nodes: one per stop, then a start and an end node per day.
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
        travel = [[problem.durations[a][b] for b in node_location] for a in node_location]
        busy = [[leg + service[a] for leg in row] for a, row in enumerate(travel)]
        travel_callback = routing.RegisterTransitMatrix(travel)
        routing.SetArcCostEvaluatorOfAllVehicles(travel_callback)
        horizon = max(d.window[1] for d in problem.days)
        routing.AddDimension(routing.RegisterTransitMatrix(busy), horizon, horizon, False, "time")
        clock = routing.GetDimensionOrDie("time")
        for number, day in enumerate(problem.days):
            clock.CumulVar(routing.Start(number)).SetRange(*day.window)
            clock.CumulVar(routing.End(number)).SetRange(*day.window)
            if day.max_active is not None:
                clock.SetSpanUpperBoundForVehicle(day.max_active, number)
        if any(day.max_travel is not None for day in problem.days):
            longest = max(sum(max(row) for row in travel), 1)
            budgets = [longest if d.max_travel is None else d.max_travel for d in problem.days]
            routing.AddDimensionWithVehicleCapacity(travel_callback, 0, budgets, True, "travel")
        vehicle = {day.index: number for number, day in enumerate(problem.days)}
        scale = _prize_scale(problem)
        must_penalty = scale * (100 * len(stops) + 1)
        for node, stop in enumerate(stops):
            index = manager.NodeToIndex(node)
            windows = sorted(stop.windows)
            cumul = clock.CumulVar(index)
            cumul.SetRange(windows[0][0], windows[-1][1])
            for (_, gap_start), (gap_end, _) in pairwise(windows):
                if gap_end - gap_start > 1:
                    cumul.RemoveInterval(gap_start + 1, gap_end - 1)
            if stop.day is not None:
                # SetAllowedVehiclesForIndex takes no Python list in this OR-Tools; -1 is
                # "not visited", which the disjunction below may still choose.
                routing.VehicleVar(index).SetValues([-1, vehicle[stop.day]])
            # A must-see may be dropped only at a cost above every optional stop and all travel
            # together: strictly mandatory visits leave the first-solution heuristics with no
            # plan at all on a crowded day (none in a second from 100 tight windows).
            penalty = must_penalty if stop.must else max(1, stop.priority) * scale
            routing.AddDisjunction([index], penalty)
        params = pywrapcp.DefaultRoutingSearchParameters()
        # Insertion builds a first plan that keeps tight windows; the arc-by-arc default
        # strands must-sees it reaches too late.
        params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        params.time_limit.FromMilliseconds(int(self.time_limit * 1000))
        # Every plan OR-Tools returns keeps every constraint; a must-see it had to drop is
        # reported by _finish like any stop left out.
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


def _servable(problem: Problem) -> list[Stop]:
    """The stops an engine is given: all but those locked to a day the trip does not have."""
    days = {day.index for day in problem.days}
    return [stop for stop in problem.stops if stop.day is None or stop.day in days]


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
