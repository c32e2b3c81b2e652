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
        return Itinerary(TripRequest.from_json(data["request"]), days, left_out, data.get("engine", ""))
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError([f"not an itinerary this app wrote ({error})"]) from None


def dumps(itinerary: Itinerary) -> str:
    """The itinerary as JSON text."""
    return json.dumps(itinerary.to_json(), ensure_ascii=False, indent=2)
