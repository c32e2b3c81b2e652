"""The PDF booklet: a cover, an overview map, and for each day a map, the timetable and every
stop's facts and sources. Drawn with reportlab in Open Sans (Latin with Č Ć Đ Š Ž, and
Cyrillic), the only font the file uses, embedded; the maps are vector drawings of the offline
base layer, so no network is needed. Each day is a bookmark; each stop has a QR code with a
``geo:`` link a phone opens in its map app; sources are clickable links with readable titles."""

import io
import math
from functools import cache
from xml.sax.saxutils import escape

import shapely
import shapely.geometry
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from maps import options
from maps.exports.output import ExportError
from maps.exports.profile import logo_problem
from maps.exports.timetable import Kind, day_lines
from maps.exports.trip import address
from maps.exports.words import APPROXIMATE, hours_in_words, source_title
from maps.render import basemap
from maps.render.routes import day_colour
from sites import geography

PAGE_SIZES = dict(zip(options.PAGE_SIZES, (LETTER, A4), strict=True))
FONT = "OpenSans"
FOOTER_SIZE, FOOTER_LINES = 7.5, 2
QR_SIZE = 0.75 * inch
_PLAIN_CELLS = [
    ("FONT", (0, 0), (-1, -1), FONT, 9),
    *((p, (0, 0), (-1, -1), 0) for p in ("LEFTPADDING", "RIGHTPADDING")),
]
_WHEELCHAIR = {"yes": "accessible", "limited": "partly accessible", "no": "not accessible"}


@cache
def _fonts() -> None:
    import ttf_opensans

    pdfmetrics.registerFont(TTFont(FONT, ttf_opensans.OPENSANS_REGULAR.path))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Bold", ttf_opensans.OPENSANS_BOLD.path))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Italic", ttf_opensans.OPENSANS_ITALIC.path))
    pdfmetrics.registerFont(TTFont(f"{FONT}-BoldItalic", ttf_opensans.OPENSANS_BOLDITALIC.path))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic", boldItalic=f"{FONT}-BoldItalic"
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#444444")
        ),
        "title": ParagraphStyle("title", parent=base, fontName=f"{FONT}-Bold", fontSize=26, leading=32),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=13, leading=18),
        "day": ParagraphStyle(
            "day", parent=base, fontName=f"{FONT}-Bold", fontSize=15, leading=20, spaceAfter=6
        ),
        "stop": ParagraphStyle(
            "stop", parent=base, fontName=f"{FONT}-Bold", fontSize=11.5, leading=15, spaceBefore=8
        ),
    }


def _text(value: str) -> str:
    """Catalog text made safe for reportlab's paragraph markup."""
    return escape(value or "")


#: Colours of the booklet's maps, matching the window's base map.
NEIGHBOUR_LAND = "#e4ddcf"
SERBIA_LAND = "#f3efe4"
WATER = "#c6dcea"
WATER_LINE = "#8fb6d3"


def _add_area(drawing, shape, window, xy, fill: str, stroke: str | None) -> None:
    """The polygons of a shape that fall in the map's window, filled."""
    area = shapely.intersection(shape, window)
    for polygon in getattr(area, "geoms", [area]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        coords = [c for lon, lat in polygon.exterior.coords for c in xy(lat, lon)]
        drawing.add(
            Polygon(
                coords,
                fillColor=colors.HexColor(fill),
                strokeColor=colors.HexColor(stroke) if stroke else None,
                strokeWidth=0.8 if stroke else 0,
            )
        )


def _lines(shape) -> list:
    """The line strings of a clipped shape."""
    if shape.is_empty:
        return []
    if shape.geom_type == "LineString":
        return [shape]
    return [g for g in getattr(shape, "geoms", []) if g.geom_type == "LineString"]


def map_drawing(days, width: float, height: float) -> Drawing:
    """A vector map of some days: Serbia's outline, towns, each day's route and numbered stops."""
    points = [(p.lat, p.lon) for d in days for p in (d.start_base, d.end_base)]
    points += [(s.lat, s.lon) for d in days for s in d.stops]
    if not points:
        points = [(42.2, 18.8), (46.2, 23.0)]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    middle_lat, middle_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    squash = math.cos(math.radians(middle_lat))
    span_lat = max(max(lats) - min(lats), 0.06) * 1.3
    span_lon = max(max(lons) - min(lons), 0.06) * 1.3
    # Equirectangular projection centred on the area, longitude squashed by cos(latitude).
    scale = min(width / (span_lon * squash), height / span_lat)
    half_w, half_h = width / 2, height / 2

    def xy(lat, lon):
        return half_w + (lon - middle_lon) * squash * scale, half_h + (lat - middle_lat) * scale

    view_lon = half_w / (squash * scale)
    view_lat = half_h / scale
    window = shapely.box(
        middle_lon - view_lon, middle_lat - view_lat, middle_lon + view_lon, middle_lat + view_lat
    )
    drawing = _drawing(width, height)
    # The same Natural Earth layers as the window's map: neighbouring countries are land (a
    # darker beige), the sea and lakes are water, rivers are lines, Serbia is the lightest land.
    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor(NEIGHBOUR_LAND), strokeColor=colors.grey))
    layers = basemap.region()
    for layer, fill in (("sea", WATER), ("lakes", WATER)):
        for feature in layers[layer]["features"]:
            _add_area(drawing, shapely.geometry.shape(feature["geometry"]), window, xy, fill, None)
    _add_area(drawing, geography.outline(), window, xy, SERBIA_LAND, "#6b7b8c")
    for feature in layers["rivers"]["features"]:
        rank = feature["properties"].get("rank") or 0
        for line in _lines(shapely.intersection(shapely.geometry.shape(feature["geometry"]), window)):
            coords = [c for lon, lat in line.coords for c in xy(lat, lon)]
            drawing.add(
                PolyLine(
                    coords, strokeColor=colors.HexColor(WATER_LINE), strokeWidth=max(0.4, 1.6 - 0.2 * rank)
                )
            )
    for feature in layers["borders"]["features"]:
        for line in _lines(shapely.intersection(shapely.geometry.shape(feature["geometry"]), window)):
            coords = [c for lon, lat in line.coords for c in xy(lat, lon)]
            drawing.add(
                PolyLine(
                    coords, strokeColor=colors.HexColor("#8a8f98"), strokeWidth=0.6, strokeDashArray=[2, 1.5]
                )
            )
    for town in geography.towns():
        if not shapely.contains_xy(window, town.lon, town.lat):
            continue
        x, y = xy(town.lat, town.lon)
        drawing.add(
            Circle(x, y, 1.6, fillColor=colors.white, strokeColor=colors.HexColor("#6b7b8c"), strokeWidth=0.5)
        )
        if town.population >= 50_000 or span_lat < 1.0:
            drawing.add(
                String(
                    x + 3,
                    y - 2.5,
                    town.name,
                    fontName=FONT,
                    fontSize=6.5,
                    fillColor=colors.HexColor("#44505c"),
                )
            )
    for day in days:
        if not day.stops:
            continue
        colour = colors.HexColor(day_colour(day.index))
        path = [day.start_base, *day.stops, day.end_base]
        coords = [c for p in path for c in xy(p.lat, p.lon)]
        drawing.add(PolyLine(coords, strokeColor=colour, strokeWidth=2))
        for number, stop in enumerate(day.stops, start=1):
            x, y = xy(stop.lat, stop.lon)
            drawing.add(Circle(x, y, 6.5, fillColor=colour, strokeColor=colors.white, strokeWidth=1))
            drawing.add(
                String(
                    x,
                    y - 2.6,
                    str(number),
                    fontName=f"{FONT}-Bold",
                    fontSize=7,
                    fillColor=colors.white,
                    textAnchor="middle",
                )
            )
        bx, by = xy(day.start_base.lat, day.start_base.lon)
        drawing.add(Rect(bx - 3.5, by - 3.5, 7, 7, fillColor=colors.black, strokeColor=colors.white))
    per_km = scale / 111.32
    km = next((k for k in (100, 50, 20, 10, 5, 2, 1) if k * per_km <= width / 4), 1)
    drawing.add(Line(8, 12, 8 + km * per_km, 12, strokeColor=colors.black, strokeWidth=1.5))
    drawing.add(String(8, 15, f"{km} km", fontName=FONT, fontSize=6.5))
    return drawing


def _drawing(width: float, height: float) -> Drawing:
    """A drawing that starts in Open Sans (reportlab would name Helvetica, which is not embedded)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    return drawing


def geo_code(lat: float, lon: float, size: float = QR_SIZE) -> Image:
    """A QR code holding a ``geo:`` link (RFC 5870): a phone opens the place in its map app.

    Encoded with reportlab's QR encoder under a fixed mask (any mask is valid; trying all eight,
    as its widget does, takes most of a long booklet's time) and placed as a one-bit image, a
    pixel per module, which keeps a 120-stop booklet fast and small."""
    from PIL import Image as Bitmap

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(f"geo:{lat:.6f},{lon:.6f}")
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    count, border = qr.getModuleCount(), 2
    bitmap = Bitmap.new("1", (count + 2 * border,) * 2, 1)
    bitmap.putdata([0 if dark else 1 for row in _framed(qr.modules, border) for dark in row])
    png = io.BytesIO()
    bitmap.save(png, "PNG")
    png.seek(0)
    return Image(png, width=size, height=size)


def _framed(modules: list[list], border: int) -> list[list[bool]]:
    """QR modules with a light border (the quiet zone) around them."""
    width = len(modules) + 2 * border
    blank = [[False] * width for _ in range(border)]
    side = [False] * border
    return [*blank, *([*side, *map(bool, row), *side] for row in modules), *blank]


def footer_lines(text: str, width: float) -> list[str]:
    """A footer wrapped to ``width`` in at most FOOTER_LINES lines, a line shortened with "…"
    when it still does not fit (so it never runs into the page number beside it)."""
    lines = [x for part in text.splitlines() for x in simpleSplit(part, FONT, FOOTER_SIZE, width)]
    shown = [_shorten(x, width) for x in lines[:FOOTER_LINES]]
    if len(lines) > FOOTER_LINES and not shown[-1].endswith("…"):
        shown[-1] = _shorten(shown[-1] + " …", width, always=True)
    return shown


def _shorten(line: str, width: float, always: bool = False) -> str:
    """A line cut to fit ``width`` with "…" at its end (``always``: end it with "…" anyway)."""
    if pdfmetrics.stringWidth(line, FONT, FOOTER_SIZE) <= width and not always:
        return line
    line = line.removesuffix(" …")
    while line and pdfmetrics.stringWidth(line + " …", FONT, FOOTER_SIZE) > width:
        line = line[:-1]
    return line.rstrip() + " …"


class Bookmark(Flowable):
    """An entry in the PDF's outline (the reader's bookmarks) pointing at where it stands."""

    def __init__(self, title: str, key: str):
        super().__init__()
        self.title, self.key = title, key
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=0)


def booklet(trip, page_size: str = "letter") -> bytes:
    """The trip as a PDF booklet, on US Letter or A4."""
    _fonts()
    styles = _styles()
    size = PAGE_SIZES[page_size.lower()]
    buffer = io.BytesIO()
    itinerary, profile = trip.itinerary, trip.profile
    request = itinerary.request
    margin = 0.7 * inch
    document = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=request.name,
        author=profile.name or "Heritage Trails",
        creator="Heritage Trails",
        initialFontName=FONT,  # else every page names Helvetica, a font the file does not embed
    )
    frame = Frame(margin, margin, size[0] - 2 * margin, size[1] - 2 * margin, id="body")

    def footer(canvas, doc):
        # The page number on the right; the operator's footer and the trip's name wrap (or are
        # shortened) in the room left of it, so the two never meet.
        canvas.saveState()
        canvas.setFont(FONT, FOOTER_SIZE)
        canvas.setFillColor(colors.HexColor("#555555"))
        number = f"page {doc.page}"
        canvas.drawRightString(size[0] - margin, margin / 2, number)
        room = size[0] - 2 * margin - pdfmetrics.stringWidth(number, FONT, FOOTER_SIZE) - 18
        left = " · ".join(p for p in (profile.footer, profile.name, request.name) if p)
        lines = footer_lines(left, room)
        for index, line in enumerate(lines):
            canvas.drawString(margin, margin / 2 + (len(lines) - 1 - index) * FOOTER_SIZE * 1.25, line)
        canvas.restoreState()

    document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=footer)])
    width = size[0] - 2 * margin
    story = []
    if profile.logo:
        problem = logo_problem(profile.logo)  # changed or removed since the profile was saved
        if problem:
            raise ExportError(f"The operator's logo {profile.logo} {problem}")
        logo = Image(profile.logo)
        ratio = min(1.5 * inch / logo.imageHeight, 2.5 * inch / logo.imageWidth)
        logo.drawWidth, logo.drawHeight = logo.imageWidth * ratio, logo.imageHeight * ratio
        story += [logo, Spacer(1, 12)]
    first, last = itinerary.days[0].date, itinerary.days[-1].date
    story += [
        Paragraph(_text(request.name), styles["title"]),
        Paragraph(f"{len(itinerary.days)} days · {first:%A %d %B} – {last:%A %d %B %Y}", styles["subtitle"]),
    ]
    if profile.name or profile.contact:
        made_by = " · ".join(_text(p) for p in (profile.name, profile.contact) if p)
        story.append(Paragraph(f"Prepared by {made_by}", styles["subtitle"]))
    story += [Spacer(1, 14), map_drawing(itinerary.days, width, min(width * 0.8, 5.2 * inch)), Spacer(1, 8)]
    legend = " · ".join(
        f'<font color="{day_colour(d.index)}"><b>Day {d.index + 1}</b></font>: '
        + (f"{len(d.stops)} stop(s)" if d.stops else "free day")
        for d in itinerary.days
    )
    story.append(Paragraph(legend, styles["small"]))
    for day in itinerary.days:
        title = f"Day {day.index + 1} — {day.date:%A %d %B %Y}"
        mark = Bookmark(f"{title}{'' if day.stops else ': free day'}", f"day{day.index + 1}")
        if day.stops:
            story += [PageBreak(), mark, *_day(trip, day, width, styles)]
        else:  # a free day is one line, where the booklet has got to
            story += [Spacer(1, 10), mark, Paragraph(f"{title}: free day, no visits planned", styles["stop"])]
    if itinerary.left_out:
        story += [Spacer(1, 12), Bookmark("Not in the plan", "left-out")]
        story += [Paragraph("Not in the plan", styles["day"])]
        story += [
            Paragraph(f"{_text(x.name)}: {_text(x.reason)}", styles["body"]) for x in itinerary.left_out
        ]
    document.build(story)
    return buffer.getvalue()


def _day(trip, day, width, styles) -> list:
    parts = [
        Paragraph(
            f"Day {day.index + 1} — {day.date:%A %d %B %Y}: {_text(day.start_base.name)} to "
            f"{_text(day.end_base.name)}",
            styles["day"],
        )
    ]
    parts += [map_drawing([day], width, min(width * 0.55, 3.6 * inch)), Spacer(1, 8)]
    parts += [_timetable(day, styles), Spacer(1, 6)]
    for number, stop in enumerate(day.stops, start=1):
        site = trip.sites[stop.site_id]
        facts = [
            f"<b>Where:</b> {_text(address(site))}"
            + (f" <font color='#8c2d04'>({_text(APPROXIMATE)})</font>" if site.approximate else ""),
            f"<b>Opening hours:</b> {_text(hours_in_words(site.opening_hours, day.date))}",
            f"<b>Admission:</b> {_text(site.admission or 'unknown')}",
            f"<b>Wheelchair:</b> {_WHEELCHAIR.get(site.wheelchair or '', 'unknown')}",
        ]
        heading = [
            Paragraph(f"{number}. {_text(site.name)}", styles["stop"]),
            Paragraph(f"{stop.start:%H:%M}–{stop.leave:%H:%M} · {_text(site.summary)}", styles["body"]),
        ]
        beside = Table([[heading, geo_code(site.lat, site.lon)]], colWidths=[None, QR_SIZE + 8])
        beside.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_PLAIN_CELLS]))
        block = [
            beside,
            Paragraph("<br/>".join(facts), styles["body"]),
            Paragraph(f"<b>Why it matters to Americans.</b> {_text(site.us_connection)}", styles["body"]),
            Paragraph(
                "<b>Sources:</b> "
                + "; ".join(_link(s.url) for s in site.sources)
                + (f" (checked {site.last_verified:%d %B %Y})" if site.last_verified else ""),
                styles["small"],
            ),
        ]
        parts.append(KeepTogether(block))
    return parts


def _link(url: str) -> str:
    """A source as a clickable link titled with its page and host."""
    href = escape(url, {'"': "&quot;"})
    return f'<a href="{href}" color="#1a5fa8"><u>{_text(source_title(url))}</u></a>'


def _timetable(day, styles) -> Table:
    """A day's timetable: a row per line in time order, travel in grey between the rows it
    joins (so the times above and below differ by the travel shown)."""
    rows: list[list] = []
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    previous = None
    for line in day_lines(day):
        row, after_wait, previous = len(rows), previous is Kind.WAIT, line.kind
        if line.kind is Kind.WAIT or (line.kind is Kind.VISIT and not after_wait):  # a visit's rows begin
            style.append(("LINEABOVE", (0, row), (-1, row), 0.4, colors.HexColor("#cccccc")))
        if line.kind is Kind.TRAVEL:
            rows.append(["", Paragraph(f"<i>{_text(line.text)}</i>", styles["small"])])
            continue
        what = f"{line.number}. {_text(line.text)}" if line.kind is Kind.VISIT else _text(line.text)
        if line.kind is Kind.VISIT:
            what = f"<b>{what}</b>"
            if line.stop is not None and not line.stop.hours_confirmed:
                what += f"<br/><font color='#8c2d04'>{_text(line.stop.UNCONFIRMED)}</font>"
        elif line.kind is Kind.LUNCH:
            style.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor("#fff4e0")))
        rows.append([line.times(), Paragraph(what, styles["body"])])
    table = Table(rows, colWidths=[1.0 * inch, None])
    table.setStyle(TableStyle(style))
    return table


def to_pdf(trip, page_size: str | None = None) -> bytes:
    """The trip as a PDF booklet on ``page_size``, or on the trip's own page size."""
    return booklet(trip, page_size or trip.page_size)
