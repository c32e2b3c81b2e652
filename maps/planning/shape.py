"""Trails keep their shape, and free days are offered back: the wishes and nights a curated
trail brings to a trip, and the catalog sites worth suggesting for days left free."""

from dataclasses import dataclass, replace

from maps.planning.engines import Engine
from maps.planning.itinerary import Itinerary
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip, resolve_place
from sites import geography
from sites.catalog import Catalog
from sites.models import Trail

#: Suggestions come from within this share of a day's driving budget, one way, of a base.
SUGGEST_REACH = 0.35
#: Candidates offered to the planner for each suggestion asked for.
SUGGEST_CANDIDATES = 3
#: Straight-line kilometres covered in an hour of driving, for the reach of a suggestion.
KM_PER_HOUR = 50


@dataclass(frozen=True)
class TrailShape:
    """What a set of trails asks of a trip: the wishes and, when the trip can hold them, the
    bases of its nights (each trail's own base for its own days)."""

    wishes: tuple[Wish, ...]
    bases: tuple[str, ...] | None  # None: the trails' days do not fit in the trip


def shape(trails: list[Trail], days: int) -> TrailShape:
    """Wishes for every trail site, each with its trail day; and one base per night when the
    trip has at least the trails' days (extra days stay at the last trail's base)."""
    needed = sum(t.days for t in trails)
    fits = days >= needed
    wishes: dict[str, Wish] = {}
    nights: list[str] = []
    for trail in trails:
        first = len(nights)
        for site_id, day in zip(trail.sites, trail.site_days, strict=True):
            hint = first + day - 1 if fits else None
            wishes.setdefault(site_id, Wish(site_id, trail_day=hint, trail_base=trail.base))
        nights += [trail.base] * trail.days
    if not trails or not fits:
        return TrailShape(tuple(wishes.values()), None)
    nights += [nights[-1]] * (days - needed)
    return TrailShape(tuple(wishes.values()), tuple(nights))


def suggestions(request: TripRequest, catalog: Catalog, count: int) -> list[Wish]:
    """Up to ``count`` published sites that share a theme with the trip and lie within easy
    reach of one of its bases, nearest first: candidates for days left free."""
    wished = {w.site_id for w in request.wishes}
    themes = {t for w in request.wishes for t in catalog.site(w.site_id).themes}
    bases = [_where(catalog, name) for name in dict.fromkeys(request.bases)]
    reach = request.max_drive() / 60 * SUGGEST_REACH * KM_PER_HOUR
    ranked = []
    for site in catalog.sites():
        if site.id in wished or site.status != "published" or not themes & set(site.themes):
            continue
        nearest = min(geography.distance_km(site.lat, site.lon, lat, lon) for lat, lon in bases)
        if nearest <= reach:
            ranked.append((-len(themes & set(site.themes)), nearest, site.id))
    return [Wish(site_id, priority=10, suggested=True) for *_, site_id in sorted(ranked)[:count]]


def plan_with_suggestions(
    request: TripRequest, catalog: Catalog, count: int, engine: Engine | None = None
) -> Itinerary:
    """Plan the trip with up to ``count`` suggested sites that fit it: three times as many
    candidates are offered to the planner, and the first ``count`` it can place are kept."""
    candidates = suggestions(request, catalog, SUGGEST_CANDIDATES * count)
    first = plan_trip(replace(request, wishes=request.wishes + tuple(candidates)), catalog, engine)
    planned = set(first.stop_ids())
    fitting = [w for w in candidates if w.site_id in planned]
    kept = replace(request, wishes=request.wishes + tuple(fitting[:count]))
    if len(fitting) <= count:
        return replace(first, request=kept)
    return plan_trip(kept, catalog, engine)


def _where(catalog: Catalog, name: str) -> tuple[float, float]:
    place = resolve_place(catalog, name)
    return place.lat, place.lon
