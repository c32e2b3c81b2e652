"""iCalendar: the trip in a traveler's calendar, in Belgrade time.

Every time carries ``TZID=Europe/Belgrade`` with its VTIMEZONE (RFC 5545 asks for one per
TZID), whatever zone the itinerary's times came in with (a reloaded trip's are fixed offsets
until put back in the zone), so a calendar in New York shows them at the right hour. Times are
whole minutes; travel and lunch are free time (``TRANSP:TRANSPARENT``), not appointments.
"""

from datetime import UTC, datetime, timedelta

from maps.exports.timetable import Kind, Line, day_lines, hm
from maps.exports.trip import CREATOR, Trip, address, slug, story
from maps.planning.itinerary import DayPlan
from sites.opening_hours import TIMEZONE


def to_ics(trip: Trip) -> bytes:
    """iCalendar, each day in time order: an event per visit, per leg on the road and for lunch
    (so the calendar has no overlaps and no hidden gaps), and an all-day event on a free day."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", f"-//{CREATOR}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", trip.itinerary.request.name)
    trip_id = slug(trip.itinerary.request.name)
    stamp = datetime.now(UTC).replace(second=0, microsecond=0)
    for day in trip.itinerary.days:
        lines = day_lines(day)
        for index in range(len(lines)):
            for number, event in enumerate(_events(trip, day, lines, index)):
                event.add("uid", f"{trip_id}-d{day.index + 1}-{index}-{number}@heritage-trails")
                event.add("dtstamp", stamp)
                calendar.add_component(event)
    # The zone's rules for the trip's year and the next (a short VTIMEZONE, right for every event).
    first = trip.itinerary.request.start.replace(month=1, day=1)
    calendar.add_missing_timezones(first, first.replace(year=first.year + 2))
    return calendar.to_ical()


def _events(trip: Trip, day: DayPlan, lines: list[Line], index: int) -> list:
    """The calendar events of one timetable line (none for leaving, waiting and coming back:
    they are the edges of the events around them)."""
    from icalendar import Event

    line = lines[index]
    event = Event()
    if line.kind is Kind.FREE:
        event.add("summary", f"Day {day.index + 1}: free day")
        event.add("dtstart", day.date)
        event.add("dtend", day.date + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        return [event]
    if line.start is None or line.end is None:
        return []
    if line.kind is Kind.TRAVEL:
        if line.end <= line.start:
            return []
        leg = line.text.removeprefix("travel ")
        where = _destination(day, lines, index)
        going = f"Travel to {where}" if where else f"Back to {day.end_base.name}"
        lunch = next((x for x in lines[index + 1 :] if x.kind is Kind.LUNCH), None)
        if lunch and lunch.start and lunch.end and line.start < lunch.start < line.end:
            # A lunch stop in the middle of the drive: on the road before it and after it.
            return [
                _free(f"{going} ({leg})", line.start, lunch.start),
                _free(f"{going} (on after lunch)", lunch.end, line.end),
            ]
        return [_free(f"{going} ({leg})", line.start, line.end)]
    if line.kind is Kind.LUNCH:
        return [_free("Lunch", line.start, line.end)]
    if line.kind is Kind.VISIT and line.stop:
        site = trip.sites[line.stop.site_id]
        event.add("summary", site.name)
        event.add("location", address(site))
        event.add("geo", (site.lat, site.lon))
        event.add("description", f"{_visit_note(line)}\n\n{story(site)}")
        if site.website:
            event.add("url", site.website)
    else:
        return []
    event.add("dtstart", belgrade(line.start))
    event.add("dtend", belgrade(line.end))
    return [event]


def belgrade(moment: datetime) -> datetime:
    """A moment in Belgrade's zone, to the whole minute (as the timetable shows it)."""
    return moment.astimezone(TIMEZONE).replace(second=0, microsecond=0)


def _free(summary: str, start: datetime, end: datetime):
    """An event for time on the road or at lunch (free time: it is not an appointment)."""
    from icalendar import Event

    event = Event()
    event.add("summary", summary)
    event.add("dtstart", belgrade(start))
    event.add("dtend", belgrade(end))
    event.add("transp", "TRANSPARENT")
    return event


def _destination(day: DayPlan, lines: list[Line], index: int) -> str:
    """The visit a leg leads to; empty for the leg back to the base the day ends at."""
    visit = next((x for x in lines[index + 1 :] if x.kind in (Kind.VISIT, Kind.BACK)), None)
    if visit and visit.kind is Kind.VISIT and visit.stop:
        return visit.stop.name
    return ""


def _visit_note(visit: Line) -> str:
    """The visit's times, with the wait for opening when there is one."""
    stop = visit.stop
    assert stop is not None
    note = f"Visit {visit.times()}."
    if stop.start > stop.arrive:
        note += f" Arrive at {hm(stop.arrive)} and wait for it to open."
    return note
