"""Catalog data as a reader says it: opening hours in words for the trip's dates, and a source
link's title (its page and host) instead of a raw, sometimes percent-encoded URL."""

import re
from datetime import date, datetime, time, timedelta
from itertools import groupby
from urllib.parse import unquote, urlsplit

from sites.opening_hours import TIMEZONE, open_windows

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
UNKNOWN_HOURS = "hours not confirmed: check before you go"
ALL_DAY = "open all day"


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
