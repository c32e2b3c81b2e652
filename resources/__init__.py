"""Bundled data: the catalog as text, the offline base map, icons and styles."""
