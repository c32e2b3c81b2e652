"""Catalog data as a reader says it: opening hours in words for the trip's dates, a source
link's title (its page and host) instead of a raw, sometimes percent-encoded URL, and text with
no character a file or a terminal could choke on."""

import re
from datetime import date, datetime, time, timedelta
from itertools import groupby
from urllib.parse import unquote, urlsplit

from maps.planning.itinerary import PlannedStop
from sites.models import Site
from sites.opening_hours import TIMEZONE, open_windows

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
UNKNOWN_HOURS = PlannedStop.UNCONFIRMED
#: Said wherever a point is the town centre, not the place itself (``coord_precision`` "town").
APPROXIMATE = Site.APPROXIMATE
ALL_DAY = "open all day"
#: Characters no export may carry: control characters but tab and line breaks (XML 1.0 forbids most,
#: a terminal acts on them), halves of surrogate pairs (no encoder takes them) and the two
#: non-characters XML 1.0 forbids. A catalog written before they were refused, or a trip JSON
#: someone sends, may still hold them.
_UNFIT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: For a line of terminal text: control characters (newline too), surrogate halves, line separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def for_file(text: str) -> str:
    """Text any export format can carry: a carriage return is a line break (``\\n``), each other
    unfit character becomes U+FFFD, the replacement character, which says something was there;
    the rest is kept as it is."""
    return _UNFIT.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def for_terminal(line: str) -> str:
    """One line of text for a terminal: every control character (an escape sequence from a
    file) shown as ``\\x1b``, never sent raw, and every surrogate half as ``\\ud83d``."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), line)


def hours_in_words(text: str | None, on: date) -> str:
    """A site's hours in the week of ``on``, grouped by day: "Tue–Sun 10:00–18:00, closed
    Monday". Computed from the OSM value for those dates, so seasons and public holidays are
    the ones the traveler meets."""
    if not text:
        return UNKNOWN_HOURS
    monday = on - timedelta(days=on.weekday())
    week = [_day_hours(text, monday + timedelta(days=i)) for i in range(7)]
    if len(set(week)) == 1:
        if week[0] == ALL_DAY:
            return "open at all hours"
        return f"every day {week[0]}" if week[0] else "closed all that week"
    opened, closed, index = [], [], 0
    for hours, run in groupby(week):
        days = WEEKDAYS[index : index + len(list(run))]
        index += len(days)
        if hours:
            opened.append(f"{_span(days)} {hours}")
        else:
            closed.append(days[0] if len(days) == 1 else _span(days))
    return ", ".join([*opened, *([f"closed {' and '.join(closed)}"] if closed else [])])


def _span(days: tuple[str, ...]) -> str:
    """Weekdays in a row as a short span: "Sun", "Sat–Sun", "Tue–Fri"."""
    return days[0][:3] if len(days) == 1 else f"{days[0][:3]}–{days[-1][:3]}"


def _day_hours(text: str, day: date) -> str:
    """One day's opening windows, "10:00–18:00" or "08:00–12:00, 14:00–18:00"; empty when closed."""
    start = datetime.combine(day, time(0, 0), TIMEZONE)
    end = start + timedelta(days=1)
    windows = open_windows(text, start, end)
    if windows and windows[0][0] <= start and windows[-1][1] >= end and len(windows) == 1:
        return ALL_DAY
    return " and ".join(f"{a:%H:%M}–{'24:00' if b >= end else f'{b:%H:%M}'}" for a, b in windows)


def source_title(url: str) -> str:
    """A link's readable title: its page's last meaningful path segment and its host, as in
    "Genčić Family House (en.wikipedia.org)"; the host alone for a home page."""
    parts = urlsplit(url)
    host = parts.hostname or url
    host = host.removeprefix("www.")
    segments = [s for s in unquote(parts.path).split("/") if re.search(r"[^\W\d_]", s)]
    if not segments:
        return host
    page = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1])
    page = re.sub(r"[-_+]+", " ", page).strip()
    page = page[:1].upper() + page[1:]
    if len(page) > 60:
        page = page[:57].rsplit(" ", 1)[0] + "…"
    return f"{page} ({host})"
