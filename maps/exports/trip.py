"""What every writer reads: the plan, the catalog entries of its stops, the themes and the
operator's profile; and the text of a stop that several formats share.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from maps.exports.profile import OperatorProfile
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

    def stops(self) -> Iterable[tuple[int, int, PlannedStop, Site]]:
        """(day index, number within the day, stop, site) for every stop, in order."""
        for day in self.itinerary.days:
            for number, stop in enumerate(day.stops, start=1):
                yield day.index, number, stop, self.sites[stop.site_id]


def story(site: Site) -> str:
    """A stop's text as plain text: summary, US connection, address, hours, sources."""
    lines = [site.summary, "", f"Why it matters to Americans: {site.us_connection}"]
    where = ", ".join(p for p in (site.address, site.town) if p)
    lines += [
        "",
        f"Where: {where}",
        f"Opening hours: {site.opening_hours or 'not published; check before you go'}",
    ]
    if site.admission:
        lines.append(f"Admission: {site.admission}")
    lines += ["", "Sources:"] + [f"- {s.url}" for s in site.sources]
    return "\n".join(lines)


def slug(text: str) -> str:
    """A file-name-safe version of a trip name."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "trip"


def trip_for(itinerary: Itinerary, catalog, profile: OperatorProfile | None = None) -> Trip:
    """Gather what the writers need from the catalog (every stop must still be in it)."""
    sites = {i: catalog.site(i) for i in dict.fromkeys(itinerary.stop_ids())}
    return Trip(itinerary, sites, catalog.themes(), profile or OperatorProfile())
