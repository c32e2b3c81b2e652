"""What a traveler asks for: the trip's dates, bases, wishes, hours, pace and mode."""

from dataclasses import asdict, dataclass
from datetime import date, time

from maps.options import MAX_DAYS, MODES, PACES
from sites import opening_hours
from sites.errors import ValidationError

TZ = opening_hours.TIMEZONE
#: The years a trip may start in: opening hours and holidays mean nothing far outside them.
FIRST_YEAR, LAST_YEAR = 1970, 2200
__all__ = ["MAX_DAYS", "PACES", "TZ", "TripRequest", "Wish"]


@dataclass(frozen=True)
class Wish:
    """A site the traveler wants: must-see or nice-to-have (priority 1-99), maybe pinned to a day."""

    site_id: str
    must: bool = False
    priority: int = 50
    day: int | None = None  # 0-based day the traveler locked it to
    #: 0-based day a curated trail visits it on: kept when it can be, unlike a lock.
    trail_day: int | None = None
    trail_base: str | None = None  # where its trail spends the nights
    suggested: bool = False  # added by "Suggest sites", not asked for


@dataclass(frozen=True)
class TripRequest:
    """Everything the traveler asked for."""

    name: str
    start: date
    days: int
    bases: tuple[str, ...]  # where each night is spent: one for all, or one per day
    wishes: tuple[Wish, ...]
    day_start: time = time(9, 0)
    day_end: time | None = None  # None: the pace's active hours after day_start
    pace: str = "normal"
    lunch: tuple[time, time] | None = (time(12, 30), time(14, 0))  # lunch starts in this window
    lunch_minutes: int = 60
    mode: str = "car"
    osrm_url: str | None = None
    max_drive_minutes: int | None = None  # None: the pace's driving budget

    def validate(self) -> None:
        """Raise ValidationError naming every problem with the request."""
        problems = []
        if not 1 <= self.days <= MAX_DAYS:
            problems.append(f"the trip must last 1 to {MAX_DAYS} days, not {self.days}")
        if not self.bases:
            problems.append("say where the nights are spent (a town or a site)")
        elif len(self.bases) not in (1, self.days):
            problems.append(
                f"give one base for the whole trip or one per day ({self.days}), not {len(self.bases)}"
            )
        if not FIRST_YEAR <= self.start.year <= LAST_YEAR:
            problems.append(f"the trip must start between {FIRST_YEAR} and {LAST_YEAR}, not {self.start}")
        if any(t is not None and t.tzinfo is not None for t in (self.day_start, self.day_end)):
            problems.append("give the day's hours as Belgrade times like 09:30, without a UTC offset")
        elif self.day_end is not None and self.day_end <= self.day_start:
            problems.append("the day must end after it starts")
        if self.max_drive_minutes is not None and not 0 < self.max_drive_minutes <= 24 * 60:
            problems.append("the most driving in a day must be more than zero and at most 24 hours")
        if self.pace not in PACES:
            problems.append(f"pace must be one of {', '.join(PACES)}")
        if self.mode not in MODES:
            problems.append(f"travel mode must be one of {', '.join(MODES)}")
        if not self.wishes:
            problems.append("add at least one site to the trip")
        if problems:
            raise ValidationError(problems)

    def day_hours(self) -> tuple[time, time]:
        """When each day starts and ends: as asked, or the pace's active hours."""
        if self.day_end is not None:
            return self.day_start, self.day_end
        minutes = self.day_start.hour * 60 + self.day_start.minute + PACES[self.pace].active_minutes
        return self.day_start, time(min(minutes, 24 * 60 - 1) // 60, min(minutes, 24 * 60 - 1) % 60)

    def max_drive(self) -> int:
        """Minutes of driving a day may hold: as asked, or the pace's budget."""
        if self.max_drive_minutes is not None:
            return self.max_drive_minutes
        return PACES[self.pace].max_drive_minutes

    def base_of_night(self, day: int) -> str:
        """The base slept in after a given day."""
        return self.bases[0] if len(self.bases) == 1 else self.bases[day]

    def to_json(self) -> dict:
        """The request as JSON-ready data."""
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["day_start"] = self.day_start.isoformat("minutes")
        data["day_end"] = self.day_end.isoformat("minutes") if self.day_end else None
        data["lunch"] = [t.isoformat("minutes") for t in self.lunch] if self.lunch else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "TripRequest":
        """A request from ``to_json`` data."""
        values = dict(data)
        values["start"] = date.fromisoformat(values["start"])
        values["day_start"] = time.fromisoformat(values["day_start"])
        values["day_end"] = time.fromisoformat(values["day_end"]) if values.get("day_end") else None
        values["lunch"] = (
            tuple(time.fromisoformat(t) for t in values["lunch"]) if values.get("lunch") else None
        )
        values["bases"] = tuple(values["bases"])
        values["wishes"] = tuple(Wish(**w) for w in values["wishes"])
        request = cls(**values)
        _check_types(request, _REQUEST_TYPES)
        for wish in request.wishes:
            _check_types(wish, _WISH_TYPES)
        if request.lunch is not None and len(request.lunch) != 2:
            raise ValueError("lunch is a start and an end time")
        if not all(isinstance(b, str) for b in request.bases):
            raise ValueError("bases are names of places")
        return request


#: What each field read from JSON must be (bool is not an int here: JSON's true is no count).
_REQUEST_TYPES = {
    "name": (str,),
    "days": (int,),
    "pace": (str,),
    "lunch_minutes": (int,),
    "mode": (str,),
    "osrm_url": (str, type(None)),
    "max_drive_minutes": (int, type(None)),
}
_WISH_TYPES = {
    "site_id": (str,),
    "must": (bool,),
    "priority": (int,),
    "day": (int, type(None)),
    "trail_day": (int, type(None)),
    "trail_base": (str, type(None)),
    "suggested": (bool,),
}


def _check_types(value: object, expected: dict[str, tuple[type, ...]]) -> None:
    """Raise ValueError naming the first field read from JSON that has the wrong type."""
    for name, types in expected.items():
        field = getattr(value, name)
        if not isinstance(field, types) or (isinstance(field, bool) and bool not in types):
            raise ValueError(f"{name} cannot be {field!r}")
