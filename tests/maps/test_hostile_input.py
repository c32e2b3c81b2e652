"""Input of any shape is refused with a message, never a traceback: itinerary JSON someone
sends, an OSRM server's answer, a damaged trips file, impossible trip requests."""

import copy
import json
import threading
from datetime import date, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.planning import travel
from maps.planning.itinerary import itinerary_from_json
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip
from maps.trip_store import TripStore
from sites.errors import StorageError, ValidationError

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def planned(bundled_catalog):
    request = TripRequest(
        "Hostile",
        date(2027, 5, 11),
        2,
        ("Belgrade",),
        (Wish("nikola-tesla-museum"), Wish("hotel-moskva-belgrade")),
    )
    return plan_trip(request, bundled_catalog).to_json()


def _paths(data, prefix=()):
    """Every path into a JSON value (dict keys and list positions)."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


def _replace(data, path, value):
    data = copy.deepcopy(data)
    if not path:
        return value
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_an_itinerary_with_any_value_anywhere_loads_or_is_refused_with_a_message(planned, data):
    paths = list(_paths(planned))
    path = data.draw(st.sampled_from(paths))
    hostile = _replace(planned, path, data.draw(JSON))
    try:
        itinerary = itinerary_from_json(hostile)
    except ValidationError as error:
        assert str(error)
    else:
        json.dumps(itinerary.to_json())  # what loads is whole enough to write again


def test_an_itinerary_whose_times_run_backwards_is_refused(planned):
    day = next(d for d in planned["days"] if d["stops"])
    stop = day["stops"][0]
    hostile = _replace(
        planned, ("days", day["index"], "stops", 0, "start"), stop["leave"][:11] + "23:59:00+02:00"
    )
    with pytest.raises(ValidationError, match="out of order"):
        itinerary_from_json(hostile)


class _Answer(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def answering():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


POINTS = [(44.8, 20.46), (44.02, 20.46)]


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'"Ok"',
        b"not json",
        b"\xff\xfe",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"code": "Ok"}',
        b'{"code": "Ok", "durations": "fast"}',
        b'{"code": "Ok", "durations": [[0, NaN], [1, 0]]}',
        b'{"code": "Ok", "durations": [[0, -5], [5, 0]]}',
        b'{"code": "Ok", "durations": [[0, 1e400], [5, 0]]}',
        b'{"code": "Ok", "durations": [[0, 5], [5]]}',
        b'{"code": "Ok", "durations": [[0, 5]]}',
        b'{"code": "Ok", "durations": [[0, "5"], [5, 0]]}',
        b'{"code": "Ok", "durations": [[0, true], [5, 0]]}',
        b'{"code": "Ok", "durations": [[0, 5], [5, 0]], "distances": [[0]]}',
        b'{"code": "Error", "message": ["x"]}',
    ],
)
def test_any_osrm_answer_that_is_not_a_table_is_a_clear_error(answering, body):
    _Answer.body = body
    with pytest.raises(travel.TravelError, match="OSRM server"):
        travel.osrm_table(answering, POINTS)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_json_for_a_matrix_is_a_table_or_a_clear_error(value):
    try:
        rows = travel._matrix(value, 2, "http://osrm", "durations")
    except travel.TravelError as error:
        assert "OSRM" in str(error)
    else:
        assert len(rows) == 2 and all(len(r) == 2 and all(v >= 0 for v in r) for r in rows)


@pytest.mark.parametrize("url", ["foo", "file:///etc/passwd", "http://", "ftp://x"])
def test_an_osrm_address_that_is_not_a_web_address_is_refused(url):
    with pytest.raises(travel.TravelError, match="not an OSRM server address"):
        travel.osrm_table(url, POINTS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": date(9999, 12, 31)}, "must start between"),
        ({"max_drive_minutes": 0}, "most driving"),
        ({"max_drive_minutes": 10_000}, "most driving"),
    ],
)
def test_impossible_requests_are_refused_with_the_reason(change, message):
    values = {"name": "t", "start": date(2027, 5, 11), "days": 2, "bases": ("Belgrade",)}
    request = TripRequest(**{**values, "wishes": (Wish("nikola-tesla-museum"),), **change})
    with pytest.raises(ValidationError, match=message):
        request.validate()


def test_a_day_start_with_a_utc_offset_is_refused():
    from datetime import timedelta, timezone

    offset = time(9, 0, tzinfo=timezone(timedelta(hours=5)))
    request = TripRequest("t", date(2027, 5, 11), 2, ("Belgrade",), (Wish("x"),), day_start=offset)
    with pytest.raises(ValidationError, match="without a UTC offset"):
        request.validate()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_trips_file_is_named_with_the_way_out(tmp_path, damage):
    path = tmp_path / "trips.db"
    if damage == "garbage":
        path.write_bytes(b"garbage" * 500)
    else:
        TripStore(path).close()
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] + b"\0" * 100 if damage == "truncated" else b"")
    if damage == "empty":
        assert TripStore(path).list() == []  # an empty file is a new, empty trips file
        return
    with pytest.raises(StorageError, match="damaged or is not a trips file"):
        TripStore(path)
