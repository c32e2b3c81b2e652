"""The engines on a public TOPTW instance, checked by the independent checker."""

from pathlib import Path

import pytest

from maps.planning.checker import check
from maps.planning.engines import OrToolsEngine, PyVrpEngine, VroomEngine
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
