"""The choices a traveler or an operator makes, in one place: the CLI, the window and the
planner all read them from here. Light on purpose (no planning engine, no PDF library), so the
command line can offer them before it loads anything heavy."""

from dataclasses import dataclass

#: The longest trip the planner takes, in days.
MAX_DAYS = 14


@dataclass(frozen=True)
class Pace:
    """How full days get: visits take longer or shorter, days end earlier or later."""

    name: str
    label: str
    visit_factor: float
    day_end_shift_min: int


PACES = {
    "relaxed": Pace("relaxed", "Relaxed", 1.3, -60),
    "normal": Pace("normal", "Normal", 1.0, 0),
    "packed": Pace("packed", "Packed", 0.8, 60),
}
DEFAULT_PACE = "normal"

#: Travel modes, with the label the window shows (their speeds are in maps.planning.travel).
MODES = {"car": "Car", "walk": "Walking (within a city)"}

#: Export formats, in the order files are written.
FORMATS = ("pdf", "gpx", "kml", "geojson", "ics", "csv", "html")

#: PDF page sizes: US Letter first, since most of our travelers print on it.
PAGE_SIZES = ("letter", "a4")
