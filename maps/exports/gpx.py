"""GPX 1.1 for OsmAnd, Organic Maps and Garmin devices."""

from datetime import UTC

from maps.exports.trip import CREATOR, Trip, story

#: The GPX symbol (Garmin's names, which most apps know) of a point that is its town's centre.
APPROXIMATE_SYMBOL = "City (Small)"


def to_gpx(trip: Trip) -> str:
    """GPX 1.1: a waypoint per stop and a route per day (base, stops, base)."""
    import gpxpy.gpx

    gpx = gpxpy.gpx.GPX()
    gpx.creator = CREATOR
    gpx.name = trip.itinerary.request.name
    gpx.description = f"{len(trip.itinerary.days)}-day trip from {trip.itinerary.request.start.isoformat()}"
    for day_index, number, stop, site in trip.stops():
        point = gpxpy.gpx.GPXWaypoint(
            latitude=site.lat,
            longitude=site.lon,
            name=f"D{day_index + 1}.{number} {site.name}",
            time=stop.start.astimezone(UTC),
            description=story(site),
        )
        point.comment = f"Day {day_index + 1}, {stop.start:%H:%M}-{stop.leave:%H:%M}"
        if site.approximate:
            # A town's symbol in GPS receivers and apps that read <sym>: the point is the town's.
            point.symbol = APPROXIMATE_SYMBOL
            point.comment += ", approximate location"
        point.type = site.themes[0] if site.themes else None
        point.source = site.sources[0].url if site.sources else None
        gpx.waypoints.append(point)
    for day in trip.itinerary.days:
        if not day.stops:
            continue
        route = gpxpy.gpx.GPXRoute(name=f"Day {day.index + 1}, {day.date:%A %d %B}", number=day.index + 1)
        route.points.append(
            gpxpy.gpx.GPXRoutePoint(day.start_base.lat, day.start_base.lon, name=day.start_base.name)
        )
        for stop in day.stops:
            route.points.append(
                gpxpy.gpx.GPXRoutePoint(stop.lat, stop.lon, name=stop.name, time=stop.arrive.astimezone(UTC))
            )
        route.points.append(
            gpxpy.gpx.GPXRoutePoint(day.end_base.lat, day.end_base.lon, name=day.end_base.name)
        )
        gpx.routes.append(route)
    return gpx.to_xml(version="1.1")
