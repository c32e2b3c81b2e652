"""KML 2.2 for Google Earth and Google My Maps.

Written element by element in the order the OGC KML 2.2 schema sets (a Feature's ``name``,
``address``, ``description``, ``TimeSpan``, ``styleUrl``, then its geometry; a Style's
``IconStyle`` before its ``LineStyle``). Each day has a shared style whose icon is Google
Earth's white paddle tinted in the day's colour (a tinted yellow pin turns every colour muddy);
a placemark's name says its day and number, "Day 2 · 3. Nikola Tesla Museum", so names stay
unique when a viewer flattens the folders; a free day has no folder.
"""

from html import escape
from xml.etree import ElementTree as etree

from maps.exports.trip import Trip, address, story
from maps.render.routes import day_colour

NAMESPACE = "http://www.opengis.net/kml/2.2"
#: A white icon: KML's <color> multiplies it, so the pin shows the day's colour itself.
WHITE_ICON = "https://maps.google.com/mapfiles/kml/paddle/wht-blank.png"
HOLLOW_ICON = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"


def kml_colour(hex_colour: str) -> str:
    """A #rrggbb colour in KML's aabbggrr, opaque."""
    return "ff" + hex_colour[5:7] + hex_colour[3:5] + hex_colour[1:3]


def to_kml(trip: Trip) -> str:
    """KML: a style per day, and a folder per day with stops visited (numbered placemarks and
    the day's line)."""
    etree.register_namespace("", NAMESPACE)
    root = etree.Element(f"{{{NAMESPACE}}}kml")
    document = _add(root, "Document")
    _add(document, "name", trip.itinerary.request.name)
    busy = [day for day in trip.itinerary.days if day.stops]
    for day in busy:
        colour = kml_colour(day_colour(day.index))
        style = _add(document, "Style", id=f"day{day.index + 1}")
        icon_style = _add(style, "IconStyle")
        _add(icon_style, "color", colour)
        _add(_add(icon_style, "Icon"), "href", WHITE_ICON)
        line_style = _add(style, "LineStyle")
        _add(line_style, "color", colour)
        _add(line_style, "width", "4")
        # A point that is its town's centre: the same colour on a hollow marker.
        rough = _add(_add(document, "Style", id=f"day{day.index + 1}-approximate"), "IconStyle")
        _add(rough, "color", colour)
        _add(_add(rough, "Icon"), "href", HOLLOW_ICON)
    for day in busy:
        folder = _add(document, "Folder")
        _add(folder, "name", f"Day {day.index + 1}, {day.date:%A %d %B}")
        for number, stop in enumerate(day.stops, start=1):
            site = trip.sites[stop.site_id]
            mark = _add(folder, "Placemark")
            _add(mark, "name", f"Day {day.index + 1} · {number}. {site.name}")
            _add(mark, "address", address(site))
            # Shown as HTML: the text goes in escaped, its line breaks kept.
            text = f"{stop.start:%H:%M}–{stop.leave:%H:%M}\n\n{story(site)}"
            _add(mark, "description", escape(text, quote=False).replace("\n", "<br/>"))
            span = _add(mark, "TimeSpan")
            _add(span, "begin", stop.start.isoformat())
            _add(span, "end", stop.leave.isoformat())
            rough = "-approximate" if site.approximate else ""
            _add(mark, "styleUrl", f"#day{day.index + 1}{rough}")
            _add(_add(mark, "Point"), "coordinates", f"{site.lon},{site.lat}")
        route = _add(folder, "Placemark")
        _add(route, "name", f"Day {day.index + 1} route")
        _add(route, "styleUrl", f"#day{day.index + 1}")
        line = _add(route, "LineString")
        _add(line, "tessellate", "1")
        path = [(day.start_base.lon, day.start_base.lat), *((s.lon, s.lat) for s in day.stops)]
        path.append((day.end_base.lon, day.end_base.lat))
        _add(line, "coordinates", " ".join(f"{lon},{lat}" for lon, lat in path))
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="unicode") + "\n"


def _add(parent, tag: str, text: str | None = None, **attributes: str):
    """A child element in the KML namespace, with its text."""
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element
