"""RFC 7946 GeoJSON for any GIS."""

import json

from maps.exports.trip import Trip
from maps.render.routes import day_colour


def to_geojson(trip: Trip) -> str:
    """RFC 7946 GeoJSON: a Point per stop (with the site's fields) and a LineString per day."""
    features = []
    for day in trip.itinerary.days:
        if day.stops:
            path = [
                [day.start_base.lon, day.start_base.lat],
                *([s.lon, s.lat] for s in day.stops),
                [day.end_base.lon, day.end_base.lat],
            ]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": path},
                    "properties": {
                        "kind": "route",
                        "day": day.index + 1,
                        "date": day.date.isoformat(),
                        "colour": day_colour(day.index),
                    },
                }
            )
    for day_index, number, stop, site in trip.stops():
        properties = site.to_record()
        properties.update(
            {
                "kind": "stop",
                "day": day_index + 1,
                "order": number,
                "arrive": stop.arrive.isoformat(),
                "start": stop.start.isoformat(),
                "leave": stop.leave.isoformat(),
                "travel_minutes": round(stop.travel_seconds / 60),
                "travel_km": round(stop.travel_metres / 1000, 1),
            }
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                "properties": properties,
            }
        )
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"
    )
