"""The plan a traveler receives: days of timed stops, lunch, and what was left out; and its JSON form."""

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, time

from maps.planning.request import TripRequest
from sites.errors import ValidationError
from sites.opening_hours import TIMEZONE


@dataclass(frozen=True)
class Place:
    """A base: a town or a site, with its coordinates."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class PlannedStop:
    """A visit in the itinerary."""

    #: What a traveler is told beside a visit whose hours no source confirms.
    UNCONFIRMED = "hours not confirmed: check before you go"

    site_id: str
    name: str
    arrive: datetime
    start: datetime
    leave: datetime
    travel_seconds: int  # the leg that leads here
    travel_metres: int
    lat: float
    lon: float
    locked: bool = False
    flags: tuple[str, ...] = ()  # conflicts found after a manual edit
    suggested: bool = False  # added by "Suggest sites", not asked for
    hours_confirmed: bool = True  # False: no source gives its hours; planned on cautious ones


@dataclass(frozen=True)
class DayPlan:
    """One day: leave the base, visit, lunch, and return."""

    index: int
    date: date
    start_base: Place
    end_base: Place
    leave: datetime
    back: datetime
    stops: tuple[PlannedStop, ...]
    lunch: tuple[datetime, datetime] | None
    return_seconds: int
    return_metres: int
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeftOut:
    """A wish that is not in the plan, and why."""

    site_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class Itinerary:
    """The plan: a day per trip day, and what did not fit."""

    request: TripRequest
    days: tuple[DayPlan, ...]
    left_out: tuple[LeftOut, ...] = ()
    engine: str = ""

    def stop_ids(self) -> list[str]:
        """Every planned site id, day by day."""
        return [s.site_id for d in self.days for s in d.stops]

    def to_json(self) -> dict:
        """The itinerary as JSON-ready data (times in ISO 8601 with their UTC offset)."""

        def convert(value):
            if isinstance(value, datetime | date | time):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [convert(v) for v in value]
            return value

        data = convert(asdict(self))
        data["request"] = self.request.to_json()
        return data


def itinerary_from_json(data: dict) -> Itinerary:
    """An itinerary from ``Itinerary.to_json`` data (a saved trip, an itinerary JSON file)."""

    def place(p: dict) -> Place:
        return Place(p["name"], p["lat"], p["lon"])

    def moment(text: str) -> datetime:
        # JSON keeps only the UTC offset: the same instant is put back in Belgrade's zone, so
        # calendars see Europe/Belgrade (and its summer time), not a fixed "UTC+02:00".
        value = datetime.fromisoformat(text)
        return value.replace(tzinfo=TIMEZONE) if value.tzinfo is None else value.astimezone(TIMEZONE)

    try:
        days = tuple(
            DayPlan(
                index=d["index"],
                date=date.fromisoformat(d["date"]),
                start_base=place(d["start_base"]),
                end_base=place(d["end_base"]),
                leave=moment(d["leave"]),
                back=moment(d["back"]),
                stops=tuple(
                    PlannedStop(
                        **{
                            **s,
                            "arrive": moment(s["arrive"]),
                            "start": moment(s["start"]),
                            "leave": moment(s["leave"]),
                            "flags": tuple(s.get("flags", ())),
                        }
                    )
                    for s in d["stops"]
                ),
                lunch=(moment(d["lunch"][0]), moment(d["lunch"][1])) if d.get("lunch") else None,
                return_seconds=d["return_seconds"],
                return_metres=d["return_metres"],
                flags=tuple(d.get("flags", ())),
            )
            for d in data["days"]
        )
        left_out = tuple(LeftOut(**x) for x in data.get("left_out", ()))
        itinerary = Itinerary(TripRequest.from_json(data["request"]), days, left_out, data.get("engine", ""))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as error:
        raise ValidationError([f"not an itinerary this app wrote ({error})"]) from None
    problems = _problems(itinerary)
    if problems:
        raise ValidationError([f"not an itinerary this app wrote: {p}" for p in problems[:5]])
    return itinerary


def _problems(itinerary: Itinerary) -> list[str]:
    """What makes a read itinerary unusable: the checks JSON parsing alone does not make."""
    problems = []
    request = itinerary.request
    try:
        request.validate()
    except ValidationError as error:
        problems += error.problems
    if len(itinerary.days) != request.days:
        problems.append(f"it has {len(itinerary.days)} day(s) but its request asks for {request.days}")
    for position, day in enumerate(itinerary.days):
        if day.index != position:
            problems.append(f"day {position + 1} is numbered {day.index!r}")
            continue
        places: list[Place | PlannedStop] = [day.start_base, day.end_base, *day.stops]
        for place in places:
            if not isinstance(place.name, str) or not _is_coordinate(place.lat, place.lon):
                problems.append(f"day {position + 1}: {place.name!r} has no usable name and coordinates")
        for stop in day.stops:
            if not isinstance(stop.site_id, str):
                problems.append(f"day {position + 1}: a stop has no site id")
            if not (stop.arrive <= stop.start <= stop.leave) or not all(
                t.tzinfo is not None for t in (stop.arrive, stop.start, stop.leave)
            ):
                problems.append(f"day {position + 1}: {stop.name} has times out of order or without a zone")
            if not all(isinstance(v, int) and v >= 0 for v in (stop.travel_seconds, stop.travel_metres)):
                problems.append(f"day {position + 1}: {stop.name} has a travel leg that is not a count")
    return problems


def _is_coordinate(lat: object, lon: object) -> bool:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    return numbers and -90 <= lat <= 90 and -180 <= lon <= 180  # type: ignore[operator]


def dumps(itinerary: Itinerary) -> str:
    """The itinerary as JSON text."""
    return json.dumps(itinerary.to_json(), ensure_ascii=False, indent=2)
