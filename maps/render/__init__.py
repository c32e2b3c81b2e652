"""The map page: folium elements, the inlined Leaflet assets, the layers and their JavaScript."""
