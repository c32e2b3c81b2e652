"""iCalendar: the trip in a traveler's calendar, in Belgrade time."""

from datetime import UTC, datetime, timedelta

from maps.exports.timetable import Kind, Line, day_lines, hm
from maps.exports.trip import CREATOR, Trip, slug, story
from maps.planning.itinerary import DayPlan


def to_ics(trip: Trip) -> bytes:
    """iCalendar, each day in time order: an event per visit, per leg on the road and for lunch
    (so the calendar has no overlaps and no hidden gaps), and an all-day event on a free day."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//{CREATOR}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", trip.itinerary.request.name)
    trip_id = slug(trip.itinerary.request.name)
    stamp = datetime.now(UTC)
    for day in trip.itinerary.days:
        lines = day_lines(day)
        for index, line in enumerate(lines):
            event = Event()
            event.add("uid", f"{trip_id}-d{day.index + 1}-{index}@heritage-trails")
            event.add("dtstamp", stamp)
            if line.kind is Kind.FREE:
                event.add("summary", f"Day {day.index + 1}: free day")
                event.add("dtstart", day.date)
                event.add("dtend", day.date + timedelta(days=1))
                event.add("transp", "TRANSPARENT")
            elif line.kind is Kind.TRAVEL and line.start and line.end and line.end > line.start:
                event.add(
                    "summary",
                    f"Travel to {_destination(day, lines, index)} ({line.text.removeprefix('travel ')})",
                )
                event.add("dtstart", line.start)
                event.add("dtend", line.end)
                event.add("transp", "TRANSPARENT")
            elif line.kind is Kind.LUNCH:
                event.add("summary", "Lunch")
                event.add("dtstart", line.start)
                event.add("dtend", line.end)
            elif line.kind is Kind.VISIT and line.stop:
                site = trip.sites[line.stop.site_id]
                event.add("summary", site.name)
                event.add("dtstart", line.start)
                event.add("dtend", line.end)
                event.add("location", ", ".join(p for p in (site.address, site.town) if p))
                event.add("geo", (site.lat, site.lon))
                event.add("description", f"{_visit_note(line)}\n\n{story(site)}")
                if site.website:
                    event.add("url", site.website)
            else:  # leaving, waiting and coming back are the edges of the events above
                continue
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _destination(day: DayPlan, lines: list[Line], index: int) -> str:
    """Where a leg leads: the next visit, or the base the day ends at."""
    visit = next((x for x in lines[index + 1 :] if x.kind in (Kind.VISIT, Kind.BACK)), None)
    return visit.text if visit and visit.kind is Kind.VISIT else day.end_base.name


def _visit_note(visit: Line) -> str:
    """The visit's times, with the wait for opening when there is one."""
    stop = visit.stop
    assert stop is not None
    note = f"Visit {visit.times()}."
    if stop.start > stop.arrive:
        note += f" Arrive at {hm(stop.arrive)} and wait for it to open."
    return note
