"""Geography and trips: planning (planning/), the map page (render/), exports (exports/) and saved trips."""
