"""A standalone HTML page of the trip that works offline: the map, and the timetable beside it."""

from html import escape

from maps.exports.timetable import Kind, day_lines
from maps.exports.trip import Trip
from maps.render.page import render_map
from maps.render.routes import DAY_COLOURS, route_data

_STYLE = """
.ht-timetable { position: absolute; z-index: 1000; left: 10px; top: 90px; width: 340px;
                max-height: calc(100% - 160px); overflow: auto; padding: 6px 10px;
                background: rgba(255,255,255,.95); font: 13px sans-serif; border-radius: 4px;
                box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.ht-timetable summary { font-weight: bold; cursor: pointer; }
.ht-timetable h2 { font-size: 13px; margin: 10px 0 4px; padding-left: 6px; border-left: 6px solid; }
.ht-timetable table { border-collapse: collapse; width: 100%; }
.ht-timetable td { padding: 1px 4px; vertical-align: top; }
.ht-timetable td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
.ht-timetable tr.visit td { font-weight: bold; }
.ht-timetable tr.travel td, .ht-timetable tr.wait td { color: #555; font-style: italic; font-size: 12px; }
.ht-timetable tr.lunch td { background: #fff4e0; }
"""


def to_html(trip: Trip) -> str:
    """A standalone map of the trip that works offline, each day drawn in its colour, with the
    day-by-day timetable in a panel that folds away."""
    sites = [trip.sites[i] for i in dict.fromkeys(trip.itinerary.stop_ids())]
    profile = trip.profile
    banner = " · ".join(p for p in (trip.itinerary.request.name, profile.name, profile.contact) if p)
    page = render_map(
        sites,
        list(trip.themes),
        tiles=True,
        title=trip.itinerary.request.name,
        routes=route_data(trip.itinerary.days),
        banner=banner,
        sources=True,
        footer=profile.footer,
    )
    # The rendered page is finished HTML; the timetable (all text escaped) goes in at its end.
    head, _, tail = page.rpartition("</body>")
    return f"{head}{timetable_html(trip)}\n</body>{tail}"


def timetable_html(trip: Trip) -> str:
    """The timetable as an HTML section: a heading in the day's map colour and a row per line."""
    parts = [f"<style>{_STYLE}</style>", '<section class="ht-timetable"><details open>']
    parts.append("<summary>Timetable</summary>")
    for day in trip.itinerary.days:
        colour = DAY_COLOURS[day.index % len(DAY_COLOURS)]
        heading = f"Day {day.index + 1}, {day.date:%A %d %B}: {day.start_base.name} to {day.end_base.name}"
        parts.append(f'<h2 style="border-color: {colour}">{escape(heading)}</h2><table>')
        for line in day_lines(day):
            what = f"{line.number}. {line.text}" if line.kind is Kind.VISIT else line.text
            parts.append(
                f'<tr class="{line.kind.value}"><td class="time">{line.times()}</td>'
                f"<td>{escape(what)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</details></section>")
    return "\n".join(parts)
