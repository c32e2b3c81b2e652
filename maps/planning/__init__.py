"""Planning a trip: the problem and its checker, the engines, the solve with its promises,
travel times, the traveler's request and the itinerary they receive."""
