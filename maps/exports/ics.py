"""iCalendar: the trip in a traveler's calendar, in Belgrade time."""

from datetime import UTC, datetime

from maps.exports.trip import CREATOR, Trip, slug, story


def to_ics(trip: Trip) -> bytes:
    """iCalendar: an event per visit in Belgrade time, the travel before it, and lunch."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//{CREATOR}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", trip.itinerary.request.name)
    trip_id = slug(trip.itinerary.request.name)
    stamp = datetime.now(UTC)
    previous: dict[int, datetime] = {}  # day index -> when its last stop so far was left
    for day_index, number, stop, site in trip.stops():
        departed = (
            previous.get(day_index) or next(d for d in trip.itinerary.days if d.index == day_index).leave
        )
        if stop.arrive > departed:
            travel = Event()
            travel.add("uid", f"{trip_id}-d{day_index + 1}-{number}-travel@heritage-trails")
            travel.add("dtstamp", stamp)
            travel.add(
                "summary",
                f"Travel to {site.name} ({round(stop.travel_seconds / 60)} min, "
                f"{stop.travel_metres / 1000:.0f} km)",
            )
            travel.add("dtstart", departed)
            travel.add("dtend", stop.arrive)
            travel.add("transp", "TRANSPARENT")
            calendar.add_component(travel)
        event = Event()
        event.add("uid", f"{trip_id}-d{day_index + 1}-{number}@heritage-trails")
        event.add("dtstamp", stamp)
        event.add("summary", site.name)
        event.add("dtstart", stop.start)
        event.add("dtend", stop.leave)
        event.add("location", ", ".join(p for p in (site.address, site.town) if p))
        event.add("geo", (site.lat, site.lon))
        event.add("description", story(site))
        if site.website:
            event.add("url", site.website)
        calendar.add_component(event)
        previous[day_index] = stop.leave
    for day in trip.itinerary.days:
        if day.lunch and day.stops:
            lunch = Event()
            lunch.add("uid", f"{trip_id}-d{day.index + 1}-lunch@heritage-trails")
            lunch.add("dtstamp", stamp)
            lunch.add("summary", "Lunch")
            lunch.add("dtstart", day.lunch[0])
            lunch.add("dtend", day.lunch[1])
            calendar.add_component(lunch)
    calendar.add_missing_timezones()
    return calendar.to_ical()
