"""The catalog's domain objects: plain frozen dataclasses, no storage and no Qt."""

from dataclasses import dataclass, field, fields
from datetime import date
from typing import NamedTuple

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
    sources: tuple[Source, ...] = ()
    last_verified: date | None = None
    status: str = "published"  # or "draft": only published sites reach travelers

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
    "sources",
    "last_verified",
    "status",
)
STATUSES = ("draft", "published")


@dataclass(frozen=True)
class Trail:
    """A curated route through the catalog: sites in visiting order, with their story."""

    id: str
    title: str
    story: str
    days: int
    base: str
    sites: tuple[str, ...]


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
