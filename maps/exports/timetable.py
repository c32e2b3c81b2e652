"""An itinerary as a readable timetable (plain text), for the terminal and for print."""

from maps.planning.itinerary import Itinerary


def _hm(moment) -> str:
    return moment.strftime("%H:%M")


def _leg(seconds: int, metres: int) -> str:
    minutes = round(seconds / 60)
    if minutes < 1 and metres < 100:
        return "next door"
    distance = f"{metres / 1000:.0f} km" if metres >= 10_000 else f"{metres / 1000:.1f} km"
    return (
        f"{minutes // 60} h {minutes % 60:02d} min, {distance}"
        if minutes >= 60
        else f"{minutes} min, {distance}"
    )


def _lunch(day, after, before) -> str:
    """The lunch note for the leg between two moments, if lunch falls on it."""
    if day.lunch and after <= day.lunch[0] < before:
        return f", with lunch on the way {_hm(day.lunch[0])}-{_hm(day.lunch[1])}"
    return ""


def format_timetable(itinerary: Itinerary) -> str:
    """Day by day: leave, each leg and visit, lunch, return; then what did not fit and why."""
    request = itinerary.request
    lines = [
        f"{request.name}: {request.days} day(s) from {request.start:%A %d %B %Y}, "
        f"{request.pace} pace, by {request.mode}"
    ]
    for day in itinerary.days:
        lines.append("")
        lines.append(
            f"Day {day.index + 1}, {day.date:%A %d %B}: from {day.start_base.name} to {day.end_base.name}"
        )
        if not day.stops:
            lines.append("  A free day.")
            continue
        lines.append(f"  {_hm(day.leave)}  leave {day.start_base.name}")
        departed = day.leave
        for number, stop in enumerate(day.stops, start=1):
            leg = _leg(stop.travel_seconds, stop.travel_metres)
            lines.append(f"         travel {leg}{_lunch(day, departed, stop.arrive)}")
            wait = f" (arrive {_hm(stop.arrive)}, wait for opening)" if stop.start > stop.arrive else ""
            lines.append(f"  {_hm(stop.start)}  {number}. {stop.name}, until {_hm(stop.leave)}{wait}")
            for flag in stop.flags:
                lines.append(f"         ! {flag}")
            departed = stop.leave
        leg = _leg(day.return_seconds, day.return_metres)
        lines.append(f"         travel {leg}{_lunch(day, departed, day.back)}")
        lines.append(f"  {_hm(day.back)}  back at {day.end_base.name}")
        for flag in day.flags:
            lines.append(f"         ! {flag}")
    if itinerary.left_out:
        lines.append("")
        lines.append("Not in the plan:")
        for item in itinerary.left_out:
            lines.append(f"  - {item.name}: {item.reason}")
    return "\n".join(lines) + "\n"
