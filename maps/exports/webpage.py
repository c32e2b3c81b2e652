"""A standalone HTML page of the trip that works offline: a heading with the operator's logo,
the timetable beside the map, and the operator's footer, none of them over the map's controls.
A stop in the timetable opens its popup on the map, as its numbered marker does."""

import base64
from html import escape
from pathlib import Path

from maps.exports.output import ExportError
from maps.exports.timetable import Kind, Line, day_lines
from maps.exports.trip import Trip
from maps.exports.words import APPROXIMATE
from maps.planning.itinerary import DayPlan
from maps.render.page import render_map
from maps.render.routes import day_colour, route_data

#: The image types a logo may be, known by their first bytes (not by the file's name).
_LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
#: A larger logo would make the page heavy to send; a logo is shown at most 60 pixels high.
MAX_LOGO_BYTES = 2_000_000

# The page is a grid: heading on top, timetable and map side by side, footer below; on a
# narrow screen the map comes first and the timetable under it.
_STYLE = """
html, body { height: 100%; }
body { display: grid; grid-template-columns: minmax(260px, 360px) minmax(0, 1fr);
       grid-template-rows: auto minmax(0, 1fr) auto;
       grid-template-areas: "head head" "times map" "foot foot"; font-family: sans-serif; }
body > .folium-map { grid-area: map; height: 100%; }
.ht-header { grid-area: head; display: flex; align-items: center; gap: 14px; padding: 8px 14px;
             border-bottom: 1px solid #ccc; }
.ht-logo { max-height: 60px; max-width: min(200px, 35vw); }
.ht-header h1 { font-size: 18px; margin: 0; overflow-wrap: anywhere; }
.ht-header p { margin: 2px 0 0; font-size: 13px; color: #444; }
.ht-timetable { grid-area: times; overflow: auto; padding: 0 10px 12px; border-right: 1px solid #ccc;
                font-size: 13px; }
.ht-timetable h2 { font-size: 13px; margin: 12px 0 4px; padding-left: 6px; border-left: 6px solid; }
.ht-timetable table { border-collapse: collapse; width: 100%; }
.ht-timetable td { padding: 1px 4px; vertical-align: top; overflow-wrap: anywhere; }
.ht-timetable td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
.ht-timetable tr.visit { cursor: pointer; }
.ht-timetable tr.visit:hover td { background: #eef3f8; }
.ht-timetable .ht-goto { font: bold 13px sans-serif; border: 0; padding: 0; background: none;
                         text-align: left; cursor: pointer; color: #1f4e79; }
.ht-timetable .ht-note { color: #8a4b00; font-size: 12px; }
.ht-timetable tr.travel td, .ht-timetable tr.wait td { color: #555; font-style: italic; font-size: 12px; }
.ht-timetable tr.lunch td { background: #fff4e0; }
.ht-footer { grid-area: foot; padding: 6px 14px; font-size: 12px; color: #444; border-top: 1px solid #ccc; }
@media (max-width: 720px) {
  html, body { height: auto; }
  body { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto 70vh auto auto;
         grid-template-areas: "head" "map" "times" "foot"; }
  .ht-timetable { border-right: 0; overflow: visible; }
}
"""

# Runs after the map is made: the map learns its place in the grid, and a stop in the
# timetable (a click, or Enter on its name) opens that stop's popup.
_SCRIPT = """
(function () {
    var api = window.heritageMap;
    api.map.invalidateSize();
    document.querySelector(".ht-timetable").addEventListener("click", function (event) {
        var row = event.target.closest("tr[data-stop]");
        if (row) { api.openStop(Number(row.dataset.day), Number(row.dataset.stop)); }
    });
})();
"""


def to_html(trip: Trip) -> str:
    """A standalone page of the trip that works offline: the map, each day drawn in its colour
    with a legend, beside the day-by-day timetable, under the operator's name and logo."""
    sites = [trip.sites[i] for i in dict.fromkeys(trip.itinerary.stop_ids())]
    page = render_map(
        sites,
        list(trip.themes),
        # With embedded street tiles the page asks no server for any.
        tiles=trip.offline_tiles is None,
        title=trip.itinerary.request.name,
        routes=route_data(trip.itinerary.days),
        sources=True,
        offline_tiles=trip.offline_tiles,
    )
    # The rendered page is finished HTML: the grid's style goes at the end of its head, the
    # heading and timetable (all text escaped) before the map, the footer after it, and the
    # script after the map's own (which folium puts after the body).
    head, _, rest = page.partition("</head>")
    opening, _, rest = rest.partition("<body>")
    body, _, rest = rest.rpartition("</body>")
    scripts, _, closing = rest.rpartition("</html>")
    footer = (
        f'<footer class="ht-footer">{escape(trip.profile.footer)}</footer>' if trip.profile.footer else ""
    )
    return (
        f"{head}<style>{_STYLE}</style>\n</head>{opening}<body>\n{header_html(trip)}\n{timetable_html(trip)}"
        f"{body}{footer}\n</body>{scripts}<script>{_SCRIPT}</script>\n</html>{closing}"
    )


def header_html(trip: Trip) -> str:
    """The page's heading: the operator's logo, the trip's name, its dates, who prepared it."""
    profile, days = trip.profile, trip.itinerary.days
    parts = ['<header class="ht-header">']
    if profile.logo:
        alt = escape(profile.name or "The operator's logo")
        parts.append(f'<img class="ht-logo" src="{logo_uri(profile.logo)}" alt="{alt}">')
    parts.append(f"<div><h1>{escape(trip.itinerary.request.name)}</h1>")
    if days:
        first, last = days[0].date, days[-1].date
        parts.append(f"<p>{len(days)} day(s) · {first:%A %d %B} – {last:%A %d %B %Y}</p>")
    if profile.name or profile.contact:
        made_by = " · ".join(p for p in (profile.name, profile.contact) if p)
        parts.append(f"<p>Prepared by {escape(made_by)}</p>")
    parts.append("</div></header>")
    return "".join(parts)


def logo_uri(path: str | Path) -> str:
    """The logo as a data: URI, so the page needs no other file; only a PNG or JPEG is taken,
    known by its content."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ExportError(f"The operator's logo {path} cannot be read ({error.strerror or error})") from None
    kind = next((kind for magic, kind in _LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise ExportError(f"The operator's logo {path} is not a PNG or JPEG image")
    if len(data) > MAX_LOGO_BYTES:
        raise ExportError(
            f"The operator's logo {path} is {len(data) / 1e6:.1f} MB; "
            f"a logo of up to {MAX_LOGO_BYTES / 1e6:.0f} MB goes into the page"
        )
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def timetable_html(trip: Trip) -> str:
    """The timetable as an HTML section: per day a heading in its map colour and a row per line;
    a visit's row names the stop (day and number) that its click opens on the map."""
    parts = ['<aside class="ht-timetable" aria-label="Timetable">']
    for day in trip.itinerary.days:
        parts.append(_day_html(day, trip))
    parts.append("</aside>")
    return "\n".join(parts)


def _day_html(day: DayPlan, trip: Trip) -> str:
    heading = f"Day {day.index + 1}, {day.date:%A %d %B}: {day.start_base.name} to {day.end_base.name}"
    parts = [f'<h2 style="border-color: {day_colour(day.index)}">{escape(heading)}</h2><table>']
    for line in day_lines(day):
        parts.append(_row(day, line, trip))
    parts.append("</table>")
    return "".join(parts)


def _row(day: DayPlan, line: Line, trip: Trip) -> str:
    time = f'<td class="time">{line.times()}</td>'
    if line.kind is not Kind.VISIT or line.stop is None:
        return f'<tr class="{line.kind.value}">{time}<td>{escape(line.text)}</td></tr>'
    notes = [f"⚠ {flag}" for flag in line.stop.flags]
    if not line.stop.hours_confirmed:
        notes.append(line.stop.UNCONFIRMED)
    if trip.sites[line.stop.site_id].approximate:
        notes.append(APPROXIMATE)
    what = f'<button type="button" class="ht-goto">{escape(f"{line.number}. {line.text}")}</button>'
    what += "".join(f'<div class="ht-note">{escape(note)}</div>' for note in notes)
    return (
        f'<tr class="visit" data-day="{day.index + 1}" data-stop="{line.number}"'
        f' title="Show on the map">{time}<td>{what}</td></tr>'
    )
