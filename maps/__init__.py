"""Geography and trips: the offline base map and map rendering (folium)."""

from maps.render import render_map

__all__ = ["render_map"]
