"""Opening hours in OpenStreetMap syntax, read with opening-hours-py in Belgrade time.

Serbian public holidays (country ``RS``) are applied, so ``PH off`` closes a museum on
Orthodox Christmas. A site whose hours no source confirms is taken to keep cautious hours.
"""

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, State

from sites.errors import ValidationError

TIMEZONE = ZoneInfo("Europe/Belgrade")
COUNTRY = "RS"
#: The hours taken for a site whose hours no source confirms: the days and times most museums
#: and churches in Serbia keep, so a plan never sends a traveler to a closed door on a Monday
#: or at dusk, and "open on" a date does not promise more than that. Travelers are told to check.
UNCONFIRMED_HOURS = "Tu-Sa 10:00-16:00; PH off"

_POSITION = re.compile(r"-->\s*\d+:(\d+)")


def parse(text: str) -> OpeningHours:
    """Parse an OSM ``opening_hours`` string, or raise ValidationError saying where it breaks."""
    return _parse(text.strip())


@lru_cache(maxsize=4096)
def _parse(text: str) -> OpeningHours:
    if not text:
        raise ValidationError(["opening hours are empty (leave the field blank instead)"])
    try:
        return OpeningHours(text, timezone=TIMEZONE, country=COUNTRY)
    except Exception as error:  # the library raises its own ParserError and SyntaxError
        raise ValidationError([describe_syntax_error(text, error)]) from None


def describe_syntax_error(text: str, error: Exception) -> str:
    """A one-line account of where an opening-hours string stops making sense."""
    match = _POSITION.search(str(error))
    if not match:
        return f"opening hours {text!r} cannot be read"
    column = int(match.group(1))
    return (
        f"opening hours {text!r} cannot be read from character {column}: "
        f"{text[column - 1 :]!r} is not valid OpenStreetMap syntax"
    )


def validate(text: str | None) -> list[str]:
    """Problems with an opening-hours value; an empty list when it is valid or absent."""
    if text is None:
        return []
    try:
        parse(text)
    except ValidationError as error:
        return error.problems
    return []


def open_windows(text: str | None, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The periods between ``start`` and ``end`` (aware datetimes) when a site is open.

    With no hours given, the cautious ``UNCONFIRMED_HOURS``.
    """
    if text is None:
        text = UNCONFIRMED_HOURS
    windows = []
    for begin, finish, state, _comment in parse(text).intervals(start, end):
        if state == State.OPEN:
            windows.append((max(begin, start), min(finish or end, end)))
    return windows


def is_open_on(text: str | None, day: date) -> bool:
    """Whether a site is open at some time on a given day in Belgrade."""
    start = datetime.combine(day, time(0, 0), TIMEZONE)
    return bool(open_windows(text, start, start + timedelta(days=1)))
