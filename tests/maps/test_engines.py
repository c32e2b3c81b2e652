"""The engines on public TOPTW instances and generated must-see instances, checked by the
independent checker; the peers' budgets, day locks and must-see promise."""

from pathlib import Path

import pytest

from benchmarks.tsptw import generate
from maps.planning.checker import check
from maps.planning.engines import OrToolsEngine, PyVrpEngine, VroomEngine
from maps.planning.problem import Day, Problem, Stop
from maps.planning.toptw import read_toptw

TOPTW = Path(__file__).parent / "data" / "toptw"  # two published instances; see README there


def test_reading_an_instance():
    problem = read_toptw(TOPTW / "c101.txt", days=2)
    assert len(problem.stops) == 100 and len(problem.days) == 2
    assert problem.days[0].window == (0, 123_600)
    assert problem.stops[0].windows == ((91_200, 96_700),)


def test_vroom_reaches_the_best_known_prize_on_c101_with_one_route():
    problem = read_toptw(TOPTW / "c101.txt", days=1)
    solution = VroomEngine().solve(problem)
    assert check(problem, solution).ok
    assert solution.prize(problem) == 320  # best known for c101, one route (TOPTW literature)


@pytest.mark.parametrize(
    "engine", [PyVrpEngine(time_limit=0.3), OrToolsEngine(time_limit=0.3)], ids=lambda e: e.name
)
def test_the_peer_engines_return_checked_plans(engine):
    problem = read_toptw(TOPTW / "r101.txt", days=2)
    solution = engine.solve(problem)
    assert check(problem, solution).ok, check(problem, solution).problems
    assert solution.prize(problem) > 0


PEERS = [PyVrpEngine(time_limit=0.5), OrToolsEngine(time_limit=0.5)]


def _peers(test):
    return pytest.mark.parametrize("engine", PEERS, ids=lambda e: e.name)(test)


@_peers
@pytest.mark.parametrize("width", [20, 60])
def test_the_peers_place_every_must_see_of_a_tight_instance(engine, width):
    instance = generate(20, width, seed=4)
    solution = engine.solve(instance.problem)
    assert solution.unassigned == ()
    assert solution.placed() == {s.id for s in instance.problem.stops}
    assert check(instance.problem, solution).ok, check(instance.problem, solution).problems
    # Travel is what they minimise: never worse than the tour that generated the windows.
    assert solution.travel(instance.problem) <= instance.witness.travel(instance.problem)


def _line(*stops: Stop, days: tuple[Day, ...] | None = None) -> Problem:
    """Places on a line, a minute apart per unit: the base at 0, then 1, 2, ... 5."""
    durations = [[abs(a - b) * 60 for b in range(6)] for a in range(6)]
    return Problem(durations, stops, days or (Day(0, 0, 0, (0, 8 * 3600)),))


ALL_DAY = ((0, 8 * 3600),)


@_peers
def test_a_day_without_the_travel_for_a_stop_leaves_it_out(engine):
    near, far = Stop("near", 1, 600, ALL_DAY), Stop("far", 5, 600, ALL_DAY)
    budget = 2 * 3 * 60  # enough to go to place 1 and back, not to place 5
    problem = _line(near, far, days=(Day(0, 0, 0, (0, 8 * 3600), max_travel=budget),))
    solution = engine.solve(problem)
    assert solution.placed() == {"near"}
    assert [u.stop_id for u in solution.unassigned] == ["far"]
    assert solution.travel(problem) <= budget
    assert check(problem, solution).ok
    # The same day without the budget takes both: the budget is what left "far" out.
    assert engine.solve(_line(near, far)).placed() == {"near", "far"}


@_peers
def test_a_day_without_the_active_hours_for_a_stop_leaves_it_out(engine):
    short, long = Stop("short", 2, 1800, ALL_DAY), Stop("long", 3, 4 * 3600, ALL_DAY)
    problem = _line(short, long, days=(Day(0, 0, 0, (0, 8 * 3600), max_active=3 * 3600),))
    solution = engine.solve(problem)
    assert solution.placed() == {"short"}
    route = solution.routes[0]
    assert route.return_base - route.leave_base <= 3 * 3600
    assert check(problem, solution).ok


@_peers
def test_a_stop_locked_to_a_day_is_visited_that_day(engine):
    # Day 0 starts next to place 1, day 1 at the far end: left free, place 1 goes on day 0.
    days = (Day(0, 0, 0, (0, 8 * 3600)), Day(1, 5, 5, (24 * 3600, 32 * 3600)))
    both_days = ((0, 8 * 3600), (24 * 3600, 32 * 3600))
    free = _line(Stop("a", 1, 600, both_days), Stop("b", 1, 600, both_days), days=days)
    assert {v.stop_id for v in engine.solve(free).routes[0].visits} == {"a", "b"}
    # Locked to day 1, "a" goes there; "b" shares its place but not its lock.
    locked = _line(Stop("a", 1, 600, both_days, day=1), Stop("b", 1, 600, both_days), days=days)
    solution = engine.solve(locked)
    assert "a" in {v.stop_id for v in solution.routes[1].visits}
    assert solution.placed() == {"a", "b"}
    assert check(locked, solution).ok


@_peers
def test_a_must_see_with_two_windows_is_visited_in_one_of_them(engine):
    # The first window opens before anyone can get there; the second is reachable.
    stop = Stop("m", 5, 600, ((0, 60), (3600, 7200)), must=True)
    solution = engine.solve(_line(stop))
    assert solution.placed() == {"m"}
    assert 3600 <= solution.routes[0].visits[0].start <= 7200
    assert check(_line(stop), solution).ok


@_peers
def test_a_must_see_no_plan_can_hold_is_reported_never_planned_late(engine):
    late = Stop("late", 5, 600, ((0, 60),), must=True)  # five minutes away, closes after one
    near = Stop("near", 1, 600, ALL_DAY)
    problem = _line(late, near)
    solution = engine.solve(problem)
    assert "late" not in solution.placed()
    assert "late" in {u.stop_id for u in solution.unassigned}
    assert check(problem, solution).ok, check(problem, solution).problems
