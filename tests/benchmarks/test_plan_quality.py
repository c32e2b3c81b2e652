"""The plan-quality benchmark reads its figures off an itinerary as a traveler would."""

import json
from datetime import date, datetime, timedelta

from benchmarks import plan_quality
from maps.planning.itinerary import DayPlan, Itinerary, LeftOut, Place, PlannedStop
from maps.planning.request import TZ, TripRequest, Wish

BELGRADE = Place("Belgrade", 44.82, 20.46)


def _day(index: int, leave_hour: float, back_hour: float, legs_minutes: list[int]) -> DayPlan:
    """A day leaving and coming back at the given hours, with one stop per leg but the last."""
    day = date(2027, 5, 4) + timedelta(days=index)
    midnight = datetime(day.year, day.month, day.day, tzinfo=TZ)
    leave, back = midnight + timedelta(hours=leave_hour), midnight + timedelta(hours=back_hour)
    stops = tuple(
        PlannedStop(f"s{index}-{n}", "A site", leave, leave, leave, minutes * 60, 0, 44.8, 20.4)
        for n, minutes in enumerate(legs_minutes[:-1])
    )
    return_seconds = legs_minutes[-1] * 60 if stops else 0
    return DayPlan(index, day, BELGRADE, BELGRADE, leave, back, stops, None, return_seconds, 0)


def _itinerary(pace: str, days: tuple[DayPlan, ...], left_out: tuple[LeftOut, ...]) -> Itinerary:
    wishes = (Wish("s0-0", must=True), Wish("far", must=True), Wish("nice"))
    request = TripRequest("t", date(2027, 5, 4), len(days), ("Belgrade",), wishes, pace=pace)
    return Itinerary(request, days, left_out)


def test_a_long_day_beside_an_empty_one_is_over_budget_and_lopsided():
    days = (_day(0, 9, 18.5, [60, 90, 120]), _day(1, 9, 9, []))
    left_out = (LeftOut("far", "Far", "too far"), LeftOut("nice", "Nice", "no room"))
    figures = plan_quality.figures(_itinerary("normal", days, left_out), "normal")

    assert figures["stops"] == [2, 0]
    assert figures["active_hours"] == [9.5, 0.0]
    assert figures["drive_hours"] == [4.5, 0.0]
    assert (figures["over_active"], figures["over_drive"], figures["over_days"]) == (1, 1, 1)
    assert figures["lopsided"] is True
    assert figures["musts_left_out"] == 1


def test_a_day_within_the_packed_budget_is_not_counted():
    days = (_day(0, 9, 18.5, [60, 90, 120]),)
    figures = plan_quality.figures(_itinerary("packed", days, ()), "packed")

    assert (figures["over_days"], figures["lopsided"], figures["musts_left_out"]) == (0, False, 0)


def test_compare_prints_the_change_in_each_summary_figure(tmp_path, capsys):
    full = plan_quality.figures(_itinerary("normal", (_day(0, 9, 18.5, [60, 90, 120]),), ()), "normal")
    calm = plan_quality.figures(_itinerary("normal", (_day(0, 9, 13, [30, 30]),), ()), "normal")
    key = {"trip": "tesla", "trails": ["tesla"], "base": "Belgrade", "must": True}
    key |= {"pace": "normal", "days": 1}
    speed = [{"days": 3, "candidates": 40, "seconds": 0.1, "allowed": 1.0}]
    for name, figures in (("before", full), ("after", calm)):
        rows = [{**key, **figures, "seconds": 0.5}]
        (tmp_path / f"{name}.json").write_text(json.dumps({"rows": rows, "speed": speed}))

    plan_quality.main(["--compare", str(tmp_path / "before.json"), str(tmp_path / "after.json")])
    out = capsys.readouterr().out
    lines = {line.split("  ")[1].strip(): line.split() for line in out.splitlines()}

    assert lines["days over budget"][-3:] == ["1", "0", "-1"]
    assert lines["stops kept"][-3:] == ["2", "1", "-1"]
    assert "trips planned differently (stops per day): 1 of 1" in out
