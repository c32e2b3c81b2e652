"""Travel times and distances between places: offline estimates, or an OSRM server's table.

Offline, a trip's legs are great-circle distance times a road-detour factor, over an average
speed for the mode. The factors are checked against real drives in the tests
(tests/maps/test_travel.py) and documented in README.md.
"""

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from maps import options
from sites.errors import HeritageError
from sites.geography import distance_km


class TravelError(HeritageError):
    """Travel times could not be had (an OSRM server that does not answer, say)."""


@dataclass(frozen=True)
class Mode:
    """How the traveler moves: a detour factor over the straight line, and average speeds:
    ``near_speed_kmh`` for the first ``near_km`` of road (leaving a town), ``speed_kmh`` beyond."""

    name: str
    detour: float
    speed_kmh: float
    osrm_profile: str
    near_km: float = 0.0
    near_speed_kmh: float = 0.0

    def seconds(self, road_m: float) -> float:
        """Time to cover ``road_m`` metres of road."""
        near = min(road_m, self.near_km * 1000)
        far = road_m - near
        near_time = near / (self.near_speed_kmh / 3.6) if near else 0.0
        return near_time + far / (self.speed_kmh / 3.6)


#: Car. Serbian roads run a median 1.34 times the straight line between towns (17 sourced
#: drives from Belgrade: 1.12 on the Niš motorway to 1.6 into the western hills); the first
#: 30 km go at 55 km/h (leaving towns, two-lane roads), the rest at 90 km/h. Against sourced
#: drive times this is within about 10% for Gornji Milanovac (Pranjani), Kovačica (Idvor)
#: and Kragujevac; it overestimates long motorway runs (Niš) and so errs on the safe side.
CAR = Mode("car", detour=1.3, speed_kmh=90.0, osrm_profile="driving", near_km=30.0, near_speed_kmh=55.0)
#: Walking within a city: streets add about a quarter to the straight line; 4.5 km/h.
WALK = Mode("walk", detour=1.25, speed_kmh=4.5, osrm_profile="foot")
MODES = {m.name: m for m in (CAR, WALK)}
assert set(MODES) == set(options.MODES), "every mode the window offers has its speeds here"


@dataclass(frozen=True)
class Matrix:
    """Durations (seconds) and distances (metres) between every pair of points."""

    durations: list[list[int]]
    distances: list[list[int]]


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance along the Earth's surface in metres."""
    return distance_km(lat1, lon1, lat2, lon2) * 1000


def estimate(points: Sequence[tuple[float, float]], mode: Mode = CAR) -> Matrix:
    """Offline matrix from (lat, lon) points: straight line x detour, at the mode's speed."""
    size = len(points)
    durations = [[0] * size for _ in range(size)]
    distances = [[0] * size for _ in range(size)]
    for i, (lat1, lon1) in enumerate(points):
        for j in range(i + 1, size):
            lat2, lon2 = points[j]
            road = great_circle_m(lat1, lon1, lat2, lon2) * mode.detour
            distances[i][j] = distances[j][i] = round(road)
            durations[i][j] = durations[j][i] = round(mode.seconds(road))
    return Matrix(durations, distances)


def osrm_table(
    base_url: str, points: Sequence[tuple[float, float]], mode: Mode = CAR, timeout: float = 10
) -> Matrix:
    """Road durations and distances from an OSRM server's table service.

    ``base_url`` is the server's root, e.g. ``http://localhost:5000``. Raises TravelError with
    a plain message when the server cannot be reached or answers with an error.
    """
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TravelError(f"{base_url!r} is not an OSRM server address like http://localhost:5000")
    coordinates = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
    url = f"{base_url.rstrip('/')}/table/v1/{mode.osrm_profile}/{coordinates}?annotations=duration,distance"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, RecursionError) as error:
        if isinstance(error, json.JSONDecodeError | UnicodeDecodeError | RecursionError):
            raise TravelError(f"The OSRM server at {base_url} answered with something not JSON") from None
        raise TravelError(f"The OSRM server at {base_url} did not answer: {error}") from None
    if not isinstance(answer, dict):
        raise TravelError(f"The OSRM server at {base_url} answered with something that is not a table")
    if answer.get("code") != "Ok":
        raise TravelError(
            f"The OSRM server at {base_url} refused the request: {answer.get('message', answer.get('code'))}"
        )
    durations = _matrix(answer.get("durations"), len(points), base_url, "durations")
    distances = answer.get("distances")
    if distances is None:
        distances = estimate(points, mode).distances
    else:
        distances = _matrix(distances, len(points), base_url, "distances")
    return Matrix(
        [[round(v) for v in row] for row in durations],
        [[round(v) for v in row] for row in distances],
    )


def _matrix(value: object, size: int, base_url: str, name: str) -> list[list[float]]:
    """An OSRM table as a square matrix of finite, non-negative numbers, or TravelError."""
    not_square = TravelError(f"The OSRM server at {base_url} sent {name} that are not a {size}x{size} table")
    if not isinstance(value, list) or len(value) != size:
        raise not_square
    rows = []
    for row in value:
        if not isinstance(row, list) or len(row) != size:
            raise not_square
        if any(v is None for v in row):
            raise TravelError("The OSRM server found no road between some of the places")
        numbers = [v for v in row if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(numbers) != size or not all(math.isfinite(v) and 0 <= v < 1e9 for v in numbers):
            raise TravelError(f"The OSRM server at {base_url} sent {name} that are not travel figures")
        rows.append(numbers)
    return rows
