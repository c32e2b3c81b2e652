"""Travel times: the offline estimate against sourced real drives, and OSRM's table protocol."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from maps.planning import travel

DRIVES = json.loads((Path(__file__).parent / "data" / "drives.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("drive", DRIVES, ids=lambda d: f"{d['to']}-{d['road_km']}-{d['minutes']}")
def test_the_estimate_matches_sourced_drives_from_belgrade(drive):
    matrix = travel.estimate([(drive["from_lat"], drive["from_lon"]), (drive["to_lat"], drive["to_lon"])])
    if drive["minutes"]:
        minutes = matrix.durations[0][1] / 60
        assert abs(minutes - drive["minutes"]) <= 0.15 * drive["minutes"], (minutes, drive["source"])
    if drive["road_km"]:
        km = matrix.distances[0][1] / 1000
        assert abs(km - drive["road_km"]) <= 0.2 * drive["road_km"], (km, drive["source"])


def test_walking_is_slow_and_symmetric():
    matrix = travel.estimate([(44.8230, 20.4500), (44.8125, 20.4612)], travel.WALK)  # across central Belgrade
    assert matrix.durations[0][1] == matrix.durations[1][0]
    assert 15 * 60 <= matrix.durations[0][1] <= 30 * 60


class _Osrm(BaseHTTPRequestHandler):
    """A local server that speaks OSRM's table API: durations are twice the offline estimate."""

    def do_GET(self):
        parts = urlsplit(self.path)
        segments = parts.path.split("/")
        if segments[1:3] != ["table", "v1"] or "annotations=duration,distance" not in parts.query:
            return self._reply(400, {"code": "InvalidUrl", "message": "bad request"})
        points = [tuple(map(float, pair.split(",")))[::-1] for pair in segments[4].split(";")]
        estimate = travel.estimate(points)
        body = {
            "code": "Ok",
            "durations": [[2.0 * v for v in row] for row in estimate.durations],
            "distances": [[float(v) for v in row] for row in estimate.distances],
            "sources": [{"location": [lon, lat]} for lat, lon in points],
            "destinations": [{"location": [lon, lat]} for lat, lon in points],
        }
        self._reply(200, body)

    def _reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Osrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_osrm_table_is_read(osrm_server):
    points = [(44.8178, 20.4569), (44.0242, 20.4600)]
    matrix = travel.osrm_table(osrm_server, points)
    offline = travel.estimate(points)
    assert matrix.durations[0][1] == pytest.approx(2 * offline.durations[0][1], abs=1)
    assert matrix.distances == offline.distances


def test_a_plan_uses_the_osrm_server(osrm_server, bundled_catalog):
    from dataclasses import replace
    from datetime import date, time

    from maps.planning.request import TripRequest, Wish
    from maps.planning.trip import plan_trip

    wishes = (Wish("galovica-polje-halyard-memorial", must=True),)
    # The double's roads are twice as slow: a long day with room to drive keeps the stop.
    request = TripRequest(
        "t", date(2027, 5, 11), 1, ("Belgrade",), wishes, day_end=time(22, 0), max_drive_minutes=600
    )
    offline = plan_trip(request, bundled_catalog)
    online = plan_trip(replace(request, osrm_url=osrm_server), bundled_catalog)
    leg = lambda trip: trip.days[0].stops[0].travel_seconds  # noqa: E731
    # Legs are counted on five-minute marks.
    assert leg(online) == pytest.approx(2 * leg(offline), abs=300)


def test_an_unreachable_osrm_server_is_a_clear_error():
    with pytest.raises(travel.TravelError, match="did not answer"):
        travel.osrm_table("http://127.0.0.1:9", [(44.8, 20.4), (44.0, 20.4)], timeout=2)
