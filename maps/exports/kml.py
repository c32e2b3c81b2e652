"""KML for Google Earth and Google My Maps."""

from html import escape

from maps.exports.trip import Trip, story
from maps.render.routes import DAY_COLOURS


def to_kml(trip: Trip) -> str:
    """KML: a folder per day with styled, numbered placemarks and the day's line."""
    import simplekml

    kml = simplekml.Kml(name=trip.itinerary.request.name)
    for day in trip.itinerary.days:
        folder = kml.newfolder(name=f"Day {day.index + 1}, {day.date:%A %d %B}")
        colour = DAY_COLOURS[day.index % len(DAY_COLOURS)]
        kml_colour = "ff" + colour[5:7] + colour[3:5] + colour[1:3]  # KML is aabbggrr
        if day.stops:
            path = [
                (day.start_base.lon, day.start_base.lat),
                *((s.lon, s.lat) for s in day.stops),
                (day.end_base.lon, day.end_base.lat),
            ]
            line = folder.newlinestring(name=f"Day {day.index + 1} route", coords=path)
            line.style.linestyle.color = kml_colour
            line.style.linestyle.width = 4
        for number, stop in enumerate(day.stops, start=1):
            site = trip.sites[stop.site_id]
            mark = folder.newpoint(name=f"{number}. {site.name}", coords=[(site.lon, site.lat)])
            # KML descriptions are shown as HTML: the text goes in escaped, line breaks kept.
            mark.description = escape(f"{stop.start:%H:%M}-{stop.leave:%H:%M}\n\n{story(site)}").replace(
                "\n", "<br/>"
            )
            mark.style.iconstyle.color = kml_colour
            mark.timespan.begin = stop.start.isoformat()
            mark.timespan.end = stop.leave.isoformat()
    return kml.kml()
