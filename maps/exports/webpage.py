"""A standalone HTML page of the trip that works offline."""

from maps.exports.trip import Trip
from maps.render.page import render_map
from maps.render.routes import route_data


def to_html(trip: Trip) -> str:
    """A standalone map of the trip that works offline, each day drawn in its colour."""
    sites = [trip.sites[i] for i in dict.fromkeys(trip.itinerary.stop_ids())]
    profile = trip.profile
    banner = " · ".join(p for p in (trip.itinerary.request.name, profile.name, profile.contact) if p)
    return render_map(
        sites,
        list(trip.themes),
        tiles=True,
        title=trip.itinerary.request.name,
        routes=route_data(trip.itinerary.days),
        banner=banner,
        sources=True,
        footer=profile.footer,
    )
