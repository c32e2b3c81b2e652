"""Rules a site must keep before it reaches travelers."""

import re
from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from sites import opening_hours
from sites.models import COORD_PRECISIONS, WHEELCHAIR_VALUES, Site

#: A generous box around the Republic of Serbia (WGS84), for a quick plausibility check.
SERBIA_BOUNDS = (41.85, 18.80, 46.20, 23.05)  # south, west, north, east
VISIT_MINUTES = (10, 480)
#: The highest search prominence a site may have.
MAX_PROMINENCE = 3
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
#: Unicode's control characters (category Cc: C0, DEL and C1), without and with line breaks.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Fields whose text may run over several lines (line breaks and tabs allowed).
MULTILINE_FIELDS = ("summary", "us_connection", "description")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a site: which field, what, and whether it blocks publishing."""

    field: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def is_url(text: str) -> bool:
    """Whether text is an absolute http(s) URL with a host."""
    parts = urlsplit(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text.strip()


def in_serbia_bounds(lat: float, lon: float) -> bool:
    """Whether a point lies inside the box around Serbia."""
    south, west, north, east = SERBIA_BOUNDS
    return south <= lat <= north and west <= lon <= east


def validate_site(site: Site, theme_ids: set[str] | None = None) -> list[Problem]:
    """Every problem with a site, errors first; an empty list means it can be published."""
    problems = [*_text(site), *_identity(site), *_place(site), *_visit(site), *_provenance(site)]
    if theme_ids is not None:
        problems += [Problem("themes", f"unknown theme {t!r}") for t in site.themes if t not in theme_ids]
    return sorted(problems, key=lambda p: p.severity != "error")


def control_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The control characters in a text (escape codes, NUL, DEL...), as ``U+001B``; line breaks
    and tabs are allowed where text runs over several lines."""
    found = dict.fromkeys((_CONTROL_IN_LINES if multiline else _CONTROL).findall(text))
    return [f"U+{ord(ch):04X}" for ch in found]


def _text(site: Site) -> list[Problem]:
    """No field may hold control characters: they would reach terminals, GPX and KML raw."""
    problems = []
    texts = [(f.name, getattr(site, f.name)) for f in fields(site) if isinstance(getattr(site, f.name), str)]
    texts += [("sources", part) for source in site.sources for part in (source.url, source.supports)]
    for name, text in texts:
        found = control_characters(text, multiline=name in MULTILINE_FIELDS)
        if found:
            problems.append(Problem(name, f"holds control character(s) {', '.join(found)}; remove them"))
    return problems


def _identity(site: Site) -> list[Problem]:
    problems = []
    if not _SLUG.match(site.id or ""):
        problems.append(Problem("id", f"{site.id!r} must be lower-case letters, digits and hyphens"))
    for name in ("name", "town", "summary"):
        if not (getattr(site, name) or "").strip():
            problems.append(Problem(name, "is required"))
    if not site.themes:
        problems.append(Problem("themes", "at least one theme is required"))
    if site.wikidata and not _WIKIDATA.match(site.wikidata):
        problems.append(Problem("wikidata", f"{site.wikidata!r} is not a Wikidata id like Q1234"))
    return problems


def _place(site: Site) -> list[Problem]:
    problems = []
    if not -90 <= site.lat <= 90:
        problems.append(Problem("lat", f"latitude {site.lat} is outside -90..90"))
    if not -180 <= site.lon <= 180:
        problems.append(Problem("lon", f"longitude {site.lon} is outside -180..180"))
    if not problems:
        from sites.geography import place_warnings

        problems += [
            Problem("lat", message, severity="warning")
            for message in place_warnings(site.lat, site.lon, site.town)
        ]
    if site.coord_precision not in COORD_PRECISIONS:
        problems.append(Problem("coord_precision", f"must be one of {', '.join(COORD_PRECISIONS)}"))
    return problems


def _visit(site: Site) -> list[Problem]:
    problems = [Problem("opening_hours", m) for m in opening_hours.validate(site.opening_hours)]
    low, high = VISIT_MINUTES
    if not low <= site.visit_minutes <= high:
        problems.append(Problem("visit_minutes", f"{site.visit_minutes} is outside {low}..{high} minutes"))
    if not 0 <= site.prominence <= MAX_PROMINENCE:
        problems.append(Problem("prominence", f"{site.prominence} is outside 0..{MAX_PROMINENCE}"))
    if site.wheelchair is not None and site.wheelchair not in WHEELCHAIR_VALUES:
        problems.append(Problem("wheelchair", f"must be one of {', '.join(WHEELCHAIR_VALUES)} or empty"))
    return problems


def _provenance(site: Site) -> list[Problem]:
    problems = []
    if not site.sources:
        problems.append(Problem("sources", "at least one source is required to publish"))
    for number, source in enumerate(site.sources, start=1):
        if not is_url(source.url):
            problems.append(Problem("sources", f"source {number}: {source.url!r} is not a web address"))
    for name in ("website", "hours_source"):
        value = getattr(site, name)
        if value and not is_url(value):
            problems.append(Problem(name, f"{value!r} is not a web address"))
    if site.last_verified is None:
        problems.append(Problem("last_verified", "the date the entry was checked is required"))
    return problems
