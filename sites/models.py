"""The catalog's domain objects: plain frozen dataclasses, no storage and no Qt."""

import json
from dataclasses import dataclass, field, fields
from datetime import date
from typing import ClassVar, NamedTuple

#: OpenStreetMap ``wheelchair`` values the catalog accepts.
WHEELCHAIR_VALUES = ("yes", "limited", "no")
COORD_PRECISIONS = ("building", "town")


@dataclass(frozen=True)
class Theme:
    """A story a site belongs to (Operation Halyard, Nikola Tesla, ...); themes are data."""

    id: str
    name: str
    colour: str
    icon: str
    description: str = ""


@dataclass(frozen=True)
class Source:
    """A page that backs some of a site's facts."""

    url: str
    supports: str = ""


@dataclass(frozen=True)
class Site:
    """A heritage site as a traveler and a curator see it."""

    id: str
    name: str
    lat: float
    lon: float
    town: str
    name_sr_latn: str = ""
    name_sr_cyrl: str = ""
    themes: tuple[str, ...] = ()
    summary: str = ""
    us_connection: str = ""
    description: str = ""
    coord_precision: str = "building"
    address: str | None = None
    region: str = ""
    opening_hours: str | None = None
    hours_source: str | None = None
    hours_checked: date | None = None
    visit_minutes: int = 60
    admission: str | None = None
    wheelchair: str | None = None
    website: str | None = None
    wikidata: str | None = None
    part_of: str | None = None
    #: How strongly a search should prefer this site among equal matches: 0 for most, up to
    #: 3 for the place a story is known by (the Tesla Museum for "tesla").
    prominence: int = 0
    sources: tuple[Source, ...] = ()
    last_verified: date | None = None
    status: str = "published"  # or "draft": only published sites reach travelers

    #: Said wherever a site's point is its town's centre, not the place itself.
    APPROXIMATE: ClassVar[str] = "approximate location: the town centre; find the place by its address"

    @property
    def approximate(self) -> bool:
        """Whether the site's point is its town's centre rather than the place itself."""
        return self.coord_precision == "town"

    def to_record(self) -> dict:
        """The site as a JSON-ready dict, in the bundled catalog's key order."""
        record = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif f.name == "themes":
                value = list(value)
            elif f.name == "sources":
                value = [{"url": s.url, "supports": s.supports} for s in value]
            record[f.name] = value
        return {key: record[key] for key in RECORD_KEYS}

    @classmethod
    def from_record(cls, record: dict) -> "Site":
        """Build a site from a bundled-catalog or export record (unknown keys are an error)."""
        unknown = set(record) - set(RECORD_KEYS)
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
        values = dict(record)
        values["themes"] = tuple(values.get("themes") or ())
        values["sources"] = tuple(
            Source(url=s["url"], supports=s.get("supports", "")) for s in values.get("sources") or ()
        )
        for key in ("hours_checked", "last_verified"):
            if values.get(key):
                values[key] = date.fromisoformat(values[key])
        return cls(**values)


#: Keys of a site record, in the order the bundled catalog and exports write them.
RECORD_KEYS = (
    "id",
    "name",
    "name_sr_latn",
    "name_sr_cyrl",
    "themes",
    "summary",
    "us_connection",
    "description",
    "lat",
    "lon",
    "coord_precision",
    "address",
    "town",
    "region",
    "opening_hours",
    "hours_source",
    "hours_checked",
    "visit_minutes",
    "admission",
    "wheelchair",
    "website",
    "wikidata",
    "part_of",
    "prominence",
    "sources",
    "last_verified",
    "status",
)
STATUSES = ("draft", "published")


@dataclass(frozen=True)
class Trail:
    """A curated route through the catalog: sites in visiting order, each on a day of the trail,
    with their story.

    ``site_days[n]`` is the 1-based day ``sites[n]`` is visited on; ``sites`` stays the plain
    ordered ids, so a caller that ignores days still reads the route in order.
    """

    id: str
    title: str
    story: str
    days: int
    base: str
    sites: tuple[str, ...]
    site_days: tuple[int, ...]

    def day_of(self, site_id: str) -> int | None:
        """The day a site is visited on, or None when the trail does not visit it."""
        try:
            return self.site_days[self.sites.index(site_id)]
        except ValueError:
            return None

    def problems(self) -> list[str]:
        """What breaks the trail's days, in words (an empty list when nothing does): every day
        is a whole number in 1..days, every day has a site, a site appears once, and sites are
        listed in visiting order (no site of an earlier day after one of a later day)."""
        if not _is_whole(self.days) or self.days < 1:
            return [f"days must be a whole number from 1 up, not {self.days!r}"]
        if len(self.site_days) != len(self.sites):
            return [f"{len(self.sites)} sites but {len(self.site_days)} days for them"]
        problems = []
        latest = 0
        for site_id, day in zip(self.sites, self.site_days, strict=True):
            if not _is_whole(day):
                problems.append(f"site {site_id!r} has day {day!r}, which is not a whole number")
            elif not 1 <= day <= self.days:
                problems.append(f"site {site_id!r} is on day {day}, outside 1..{self.days}")
            elif day < latest:
                problems.append(f"site {site_id!r} (day {day}) is listed after a site of day {latest}")
            else:
                latest = day
        seen: set[str] = set()
        for site_id in self.sites:
            if site_id in seen:
                problems.append(f"site {site_id!r} appears more than once")
            seen.add(site_id)
        empty = [str(day) for day in range(1, self.days + 1) if day not in self.site_days]
        if empty:
            problems.append(f"day {empty[0]} has no site" if len(empty) == 1
                            else f"days {', '.join(empty)} have no site")  # fmt: skip
        return problems

    def to_record(self) -> dict:
        """The trail as ``trails.json`` holds it: each site with its day."""
        return {
            "id": self.id,
            "title": self.title,
            "story": self.story,
            "days": self.days,
            "base": self.base,
            "sites": [{"id": s, "day": d} for s, d in zip(self.sites, self.site_days, strict=True)],
        }

    @classmethod
    def from_record(cls, record: dict) -> "Trail":
        """Build a trail from a ``trails.json`` record; a malformed one raises ValueError saying
        what is wrong (the days themselves are checked by ``problems``)."""
        unknown = set(record) - set(TRAIL_RECORD_KEYS)
        missing = [key for key in TRAIL_RECORD_KEYS if key not in record]
        if unknown or missing:
            parts = [f"unknown field(s) {', '.join(sorted(unknown))}"] if unknown else []
            parts += [f"missing field(s) {', '.join(missing)}"] if missing else []
            raise ValueError("; ".join(parts))
        entries = record["sites"]
        if not isinstance(entries, list):
            raise ValueError('"sites" must be a list of {"id": …, "day": …}')
        for n, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or set(entry) != {"id", "day"} or not isinstance(entry["id"], str):
                shown = json.dumps(entry, ensure_ascii=False)
                raise ValueError(f'site {n} must be {{"id": …, "day": …}}, not {shown}')
        values = {key: record[key] for key in TRAIL_RECORD_KEYS if key != "sites"}
        return cls(
            **values,
            sites=tuple(entry["id"] for entry in entries),
            site_days=tuple(entry["day"] for entry in entries),
        )


#: Keys of a trail record, in the order ``trails.json`` writes them.
TRAIL_RECORD_KEYS = ("id", "title", "story", "days", "base", "sites")


def _is_whole(value: object) -> bool:
    """An int that is not a bool (JSON's ``true`` would otherwise pass for 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


class SearchResult(NamedTuple):
    """A site that matched a query, with its relevance (higher is better).

    A named tuple rather than a dataclass: a broad query builds tens of thousands of these,
    and a tuple is several times cheaper to make.
    """

    site: Site
    score: float


@dataclass(frozen=True)
class SiteFilter:
    """What a traveler narrows the catalog by; empty fields do not filter."""

    themes: frozenset[str] = field(default_factory=frozenset)
    town: str | None = None
    region: str | None = None
    wheelchair: str | None = None
    open_on: date | None = None
