"""The choices a traveler or an operator makes, in one place: the CLI, the window and the
planner all read them from here. Light on purpose (no planning engine, no PDF library), so the
command line can offer them before it loads anything heavy."""

from dataclasses import dataclass

#: The longest trip the planner takes, in days.
MAX_DAYS = 14


@dataclass(frozen=True)
class Pace:
    """A day's budget: how long visits take, how long the day runs from leaving the base to
    coming back (lunch included), and how much of it may be spent driving."""

    name: str
    label: str
    visit_factor: float
    active_hours: float
    max_drive_hours: float

    @property
    def active_minutes(self) -> int:
        return round(self.active_hours * 60)

    @property
    def max_drive_minutes(self) -> int:
        return round(self.max_drive_hours * 60)


PACES = {
    "relaxed": Pace("relaxed", "Relaxed", 1.3, 6.0, 2.5),
    "normal": Pace("normal", "Normal", 1.0, 8.5, 4.0),
    "packed": Pace("packed", "Packed", 0.8, 10.5, 5.5),
}
DEFAULT_PACE = "normal"

#: Travel modes, with the label the window shows (their speeds are in maps.planning.travel).
MODES = {"car": "Car", "walk": "Walking (within a city)"}

#: Export formats, in the order files are written.
FORMATS = ("pdf", "gpx", "kml", "geojson", "ics", "csv", "html")

#: PDF page sizes: US Letter first, since most of our travelers print on it.
PAGE_SIZES = ("letter", "a4")
