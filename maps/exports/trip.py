"""What every writer reads: the plan, the catalog entries of its stops, the themes and the
operator's profile; and the text of a stop that several formats share.
"""

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from maps.exports.profile import OperatorProfile
from maps.exports.words import APPROXIMATE, UNKNOWN_HOURS, for_file
from maps.planning.itinerary import Itinerary, PlannedStop
from sites.folding import fold
from sites.models import Site, Theme

CREATOR = "Heritage Trails"


@dataclass(frozen=True)
class Trip:
    """What every writer needs: the plan, the catalog entries of its stops, the themes."""

    itinerary: Itinerary
    sites: dict[str, Site]
    themes: Sequence[Theme] = ()
    profile: OperatorProfile = field(default_factory=OperatorProfile)
    page_size: str = "letter"  # for the PDF booklet: one of maps.options.PAGE_SIZES
    #: Street tiles embedded in the HTML page (``maps.render.tiles.layer_options``), or None.
    offline_tiles: dict | None = None

    def stops(self) -> Iterable[tuple[int, int, PlannedStop, Site]]:
        """(day index, number within the day, stop, site) for every stop, in order."""
        for day in self.itinerary.days:
            for number, stop in enumerate(day.stops, start=1):
                yield day.index, number, stop, self.sites[stop.site_id]


def story(site: Site) -> str:
    """A stop's text as plain text: summary, US connection, address, hours, sources."""
    lines = [site.summary, "", f"Why it matters to Americans: {site.us_connection}"]
    lines += [
        "",
        f"Where: {address(site)}",
    ]
    if site.approximate:
        lines.append(f"Map point: {APPROXIMATE}")
    lines.append(f"Opening hours: {site.opening_hours or UNKNOWN_HOURS}")
    if site.admission:
        lines.append(f"Admission: {site.admission}")
    lines += ["", "Sources:"] + [f"- {s.url}" for s in site.sources]
    return "\n".join(lines)


def street(site: Site) -> str:
    """The address without its town: "Krunska 51" for "Krunska 51, Belgrade" in Belgrade (the
    catalog's addresses often end with the town, sometimes after a postcode)."""
    parts = [p.strip() for p in (site.address or "").split(",") if p.strip()]
    while parts and re.fullmatch(rf"(\d{{5}}\s+)?{re.escape(fold(site.town))}", fold(parts[-1])):
        parts.pop()
    return ", ".join(dict.fromkeys(parts))


def address(site: Site) -> str:
    """Where a site is, said once: street and town ("Krunska 51, Belgrade"); the town is left
    out when the street already names it ("…, New Belgrade", "Studenica, Kraljevo")."""
    road = street(site)
    if road and any(fold(p).strip().endswith(fold(site.town)) for p in road.split(",")):
        return road
    return ", ".join(p for p in (road, site.town) if p)


def slug(text: str) -> str:
    """A file-name-safe version of a trip name."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "trip"


def fit_for_files(trip: Trip) -> Trip:
    """The trip with every text (the plan's, the sites', the themes', the operator's name,
    contact and footer) made fit for any file: no control character, surrogate half or
    non-character, each replaced by U+FFFD (see ``words.for_file``). Ids are cleaned alike, so
    the stops still find their sites; the logo's path is left as it is."""
    profile = trip.profile
    return replace(
        trip,
        itinerary=_fit(trip.itinerary),
        sites=_fit(trip.sites),
        themes=_fit(tuple(trip.themes)),
        profile=replace(
            profile,
            name=for_file(profile.name),
            contact=for_file(profile.contact),
            footer=for_file(profile.footer),
        ),
    )


def _fit(value: Any) -> Any:
    """A value with every string in it through ``for_file``: in frozen dataclasses, tuples,
    lists, sets and dicts (keys too); anything else (numbers, dates) as it is."""
    if isinstance(value, str):
        return for_file(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return replace(
            value, **{f.name: _fit(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        )
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_fit(item) for item in value)
    if isinstance(value, dict):
        return {_fit(key): _fit(item) for key, item in value.items()}
    return value


def trip_for(itinerary: Itinerary, catalog, profile: OperatorProfile | None = None) -> Trip:
    """Gather what the writers need from the catalog (every stop must still be in it)."""
    sites = {i: catalog.site(i) for i in dict.fromkeys(itinerary.stop_ids())}
    return Trip(itinerary, sites, catalog.themes(), profile or OperatorProfile())
