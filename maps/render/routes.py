"""An itinerary's days as the maps draw them: one colour per day, base to base."""

#: One colour per trip day (ColorBrewer Set1 and Set2).
DAY_COLOURS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf",
               "#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#b3b300", "#666666")  # fmt: skip


def day_colour(index: int) -> str:
    """The colour of a trip day (``index`` from 0) on every map and in every legend."""
    return DAY_COLOURS[index % len(DAY_COLOURS)]


def route_data(days) -> list[dict]:
    """Each day of an itinerary as the map draws it: colour, the legend's label, path base to
    base, and numbered stops with their times (free days draw nothing)."""
    drawn = []
    for day in days:
        if not day.stops:
            continue
        path = [[day.start_base.lat, day.start_base.lon]]
        path += [[s.lat, s.lon] for s in day.stops]
        path.append([day.end_base.lat, day.end_base.lon])
        drawn.append(
            {
                "day": day.index + 1,
                "label": f"Day {day.index + 1} · {day.date:%a %d %b}",
                "colour": day_colour(day.index),
                "path": path,
                "stops": [
                    {
                        "number": n,
                        "id": s.site_id,
                        "name": s.name,
                        "lat": s.lat,
                        "lon": s.lon,
                        "when": f"{s.start:%H:%M}–{s.leave:%H:%M}",
                    }
                    for n, s in enumerate(day.stops, start=1)
                ],
            }
        )
    return drawn
