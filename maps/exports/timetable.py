"""An itinerary as a timetable a traveler reads: each day's lines in time order (leave, travel,
wait, visit, lunch, back), shared by every view, and their plain text for the terminal."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from maps.exports.words import for_terminal
from maps.planning.itinerary import DayPlan, Itinerary, PlannedStop

#: A leg shorter than this that takes no time is two sites side by side, not a journey.
NEXT_DOOR_METRES = 100
FREE_DAY = "Free day: no visits planned"


class Kind(Enum):
    """What a timetable line stands for."""

    LEAVE = "leave"
    TRAVEL = "travel"
    WAIT = "wait"
    VISIT = "visit"
    LUNCH = "lunch"
    BACK = "back"
    FREE = "free"


@dataclass(frozen=True)
class Line:
    """One line of a day's timetable. A travel line's times (when on the road) are for
    calendars; read as text it shows none: the lines around it differ by the travel shown."""

    kind: Kind
    text: str  # what a person reads: a place, "Lunch", "travel 5 min, 0.6 km", "next door"
    start: datetime | None = None
    end: datetime | None = None
    stop: PlannedStop | None = None
    number: int = 0  # the stop's number within its day

    def times(self) -> str:
        """The line's time as a person reads it: "09:05" or "09:05–10:05" (nothing for travel)."""
        if self.start is None or self.kind is Kind.TRAVEL:
            return ""
        if self.end is None or self.end == self.start:
            return hm(self.start)
        return f"{hm(self.start)}–{hm(self.end)}"


def hm(moment: datetime) -> str:
    """A clock time, HH:MM."""
    return moment.strftime("%H:%M")


def is_next_door(seconds: int, metres: int) -> bool:
    """Whether a leg is no journey at all (the same building, the same square)."""
    return round(seconds / 60) < 1 and metres < NEXT_DOOR_METRES


def leg_text(seconds: int, metres: int) -> str:
    """A leg as a person reads it: "1 h 55 min, 152 km", "5 min, 0.6 km", or "next door"."""
    if is_next_door(seconds, metres):
        return "next door"
    minutes = round(seconds / 60)
    distance = f"{metres / 1000:.0f} km" if metres >= 10_000 else f"{metres / 1000:.1f} km"
    duration = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
    return f"{duration}, {distance}"


def minutes_text(start: datetime, end: datetime) -> str:
    """The time between two moments: "20 min", "1 h 05 min"."""
    minutes = round((end - start).total_seconds() / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def day_lines(day: DayPlan) -> list[Line]:
    """A day's timetable in time order: leave the base, then for each stop the leg to it, a
    wait for opening only when there is one, the visit; lunch where it falls (its own line);
    the leg back and the return. A day without stops is a single free-day line."""
    if not day.stops:
        return [Line(Kind.FREE, FREE_DAY)]
    lines = [Line(Kind.LEAVE, f"Leave {day.start_base.name}", day.leave)]
    lunch = day.lunch
    departed = day.leave
    legs: list[tuple[PlannedStop | None, int, int]] = [
        *((s, s.travel_seconds, s.travel_metres) for s in day.stops),
        (None, day.return_seconds, day.return_metres),
    ]
    for number, (stop, seconds, metres) in enumerate(legs, start=1):
        arrive = stop.arrive if stop else day.back
        begins = stop.start if stop else day.back
        takes = timedelta(seconds=seconds)
        leg = leg_text(seconds, metres)
        leg = leg if is_next_door(seconds, metres) else f"travel {leg}"

        def travel(start: datetime, leg=leg, takes=takes) -> Line:
            return Line(Kind.TRAVEL, leg, start, start + takes)

        if lunch and departed <= lunch[0] < begins:
            eat = Line(Kind.LUNCH, "Lunch", *lunch)
            # Lunch goes where the times add up: before the drive, after it, or in its middle.
            slack = arrive - departed > takes + (lunch[1] - lunch[0])
            if lunch[0] >= arrive:  # lunch while waiting at the next site for it to open
                lines += [
                    travel(departed),
                    *_wait(stop, arrive, lunch[0]),
                    eat,
                    *_wait(stop, lunch[1], begins, True),
                ]
            elif arrive - lunch[1] == takes or (slack and arrive - lunch[1] > takes):
                lines += [eat, travel(lunch[1]), *_wait(stop, arrive, begins)]  # lunch, then the road
            elif lunch[0] - departed == takes or (slack and lunch[0] - departed > takes):
                lines += [travel(departed), eat, *_wait(stop, lunch[1], begins, True)]  # lunch on arrival
            else:  # a break in the middle of the drive
                on_the_way = Line(Kind.TRAVEL, f"{leg}, with lunch on the way", departed, arrive)
                lines += [on_the_way, eat, *_wait(stop, arrive, begins)]
            lunch = None
        else:
            lines += [travel(departed), *_wait(stop, arrive, begins)]
        if stop:
            label = f"{stop.name} (suggested)" if stop.suggested else stop.name
            lines.append(Line(Kind.VISIT, label, stop.start, stop.leave, stop, number))
            departed = stop.leave
    lines.append(Line(Kind.BACK, f"Back at {day.end_base.name}", day.back))
    if lunch:  # outside every leg (a hand-made plan): still shown, in time order
        at = next((i for i, x in enumerate(lines) if x.start and x.start > lunch[0]), len(lines))
        lines.insert(at, Line(Kind.LUNCH, "Lunch", *lunch))
    return lines


def _wait(
    stop: PlannedStop | None, arrive: datetime, start: datetime, after_lunch: bool = False
) -> list[Line]:
    """The wait at a site before it opens, if there is one."""
    if stop is None or start <= arrive:
        return []
    text = f"{'Wait' if after_lunch else 'Arrive, wait'} {minutes_text(arrive, start)} for opening"
    return [Line(Kind.WAIT, text, arrive, start, stop)]


def format_timetable(itinerary: Itinerary) -> str:
    """Day by day, each line in time order; then what did not fit and why. A control character
    in a name (an old catalog's, a trip JSON's) is shown escaped (``\\x1b``), never sent raw."""
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
        for line in day_lines(day):
            lines += _text_lines(line)
        lines += [f"               ! {flag}" for flag in day.flags]
    if itinerary.left_out:
        lines.append("")
        lines.append("Not in the plan:")
        for item in itinerary.left_out:
            lines.append(f"  - {item.name}: {item.reason}")
    return "".join(for_terminal(line) + "\n" for line in lines)


def _text_lines(line: Line) -> list[str]:
    """A timetable line as terminal text: the time in a column of its own, then what happens."""
    if line.kind is Kind.FREE:
        return [f"  {line.text}"]
    if line.kind is Kind.TRAVEL:
        return [f"               {line.text}"]
    what = f"{line.number}. {line.text}" if line.kind is Kind.VISIT else line.text[0].lower() + line.text[1:]
    text = [f"  {line.times():<11}  {what}"]
    if line.stop and line.kind is Kind.VISIT:
        text += [f"               ! {flag}" for flag in line.stop.flags]
        if not line.stop.hours_confirmed:
            text.append(f"               ({line.stop.UNCONFIRMED})")
    return text
