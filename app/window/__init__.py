"""The main window: search bar and filters, the list of sites, the detail pane, the map view."""
