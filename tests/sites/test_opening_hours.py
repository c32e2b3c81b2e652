"""Opening hours: OSM syntax, Belgrade time, Serbian public holidays."""

from datetime import date, datetime, timedelta

import pytest

from sites import opening_hours
from sites.errors import ValidationError


def test_a_syntax_error_says_where_it_breaks():
    with pytest.raises(ValidationError, match=r"from character 23: 'of'"):
        opening_hours.parse("Tu-Su 10:00-18:00; Mo of")


@pytest.mark.parametrize("text", ["blah", "Mo-Fr 25:00-26:00", "   ", "Tu-Su 10:00-"])
def test_unreadable_hours_are_reported(text):
    assert opening_hours.validate(text)


def test_valid_hours_and_none_pass():
    assert opening_hours.validate("Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off") == []
    assert opening_hours.validate(None) == []


def test_closed_on_mondays_and_on_orthodox_christmas():
    hours = "Tu-Su 10:00-18:00; PH off"
    assert not opening_hours.is_open_on(hours, date(2026, 11, 30))  # a Monday
    assert opening_hours.is_open_on(hours, date(2026, 12, 1))
    assert not opening_hours.is_open_on(hours, date(2027, 1, 7))


def test_windows_are_in_belgrade_time():
    start = datetime(2026, 7, 1, tzinfo=opening_hours.TIMEZONE)
    end = datetime(2026, 7, 2, tzinfo=opening_hours.TIMEZONE)
    [(opens, closes)] = opening_hours.open_windows("Mo-Su 10:00-18:00", start, end)
    assert (opens.hour, closes.hour) == (10, 18)
    assert opens.utcoffset().total_seconds() == 2 * 3600  # CEST


def test_unconfirmed_hours_are_taken_cautiously():
    monday = datetime(2026, 6, 29, tzinfo=opening_hours.TIMEZONE)  # a Monday
    windows = opening_hours.open_windows(None, monday, monday + timedelta(days=7))
    assert [w[0].strftime("%a %H:%M") for w in windows] == [
        f"{day} 10:00" for day in ("Tue", "Wed", "Thu", "Fri", "Sat")
    ]
    assert all(closes.hour == 16 for _, closes in windows)
    assert not opening_hours.is_open_on(None, date(2027, 1, 7))  # Orthodox Christmas
