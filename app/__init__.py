"""The Qt shell of Heritage Trails: the window, its widgets, the map view and the CLI."""
