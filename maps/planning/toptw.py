"""Read the public TOPTW benchmark instances (Solomon- and Cordeau-based) as planning problems.

Layout (FORMAT.txt beside the instances): vertex 0 is the start and end; its closing time is
each route's budget; Euclidean distances rounded down to one decimal (Solomon) or two
(Cordeau). Times are scaled by 100 to integers.
"""

import math
from pathlib import Path

from maps.planning.problem import Day, Problem, Stop

SCALE = 100


def read_toptw(path: str | Path, days: int) -> Problem:
    """An instance as a problem with ``days`` routes (the literature's number of paths)."""
    path = Path(path)
    lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    decimals = 2 if path.name.startswith("pr") else 1
    points = [row for row in lines[2:] if len(row) >= 9]
    xy = [(float(p[1]), float(p[2])) for p in points]
    size = len(points)
    durations = [[0] * size for _ in range(size)]
    for i in range(size):
        for j in range(size):
            exact = math.dist(xy[i], xy[j])
            rounded = math.floor(exact * 10**decimals + 1e-9) / 10**decimals
            durations[i][j] = round(rounded * SCALE)
    depot = points[0]
    budget = round(float(depot[-1]) * SCALE)
    stops = tuple(
        Stop(
            id=p[0],
            location=n,
            service=round(float(p[3]) * SCALE),
            windows=((round(float(p[-2]) * SCALE), round(float(p[-1]) * SCALE)),),
            priority=round(float(p[4])),
        )
        for n, p in enumerate(points)
        if n > 0
    )
    day_list = tuple(Day(index=k, start_location=0, end_location=0, window=(0, budget)) for k in range(days))
    return Problem(durations=durations, stops=stops, days=day_list)
