"""From a traveler's wishes to a day-by-day itinerary: builds the planning problem from the
catalog (opening hours in Belgrade time, Serbian holidays, travel times) and reads the
engine's answer back as dates and times."""

import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta

from maps import planner, travel
from maps.engines import Engine
from maps.planning import Day, Problem, Route, Solution, Stop, Unassigned, Visit
from sites import geography, opening_hours
from sites.catalog import Catalog
from sites.errors import CatalogError, NotFoundError, ValidationError
from sites.folding import fold
from sites.models import Site

TZ = opening_hours.TIMEZONE
MAX_DAYS = 14


@dataclass(frozen=True)
class Pace:
    """How full days get: visits take longer or shorter, days end earlier or later."""

    name: str
    visit_factor: float
    day_end_shift_min: int


PACES = {
    "relaxed": Pace("relaxed", 1.3, -60),
    "normal": Pace("normal", 1.0, 0),
    "packed": Pace("packed", 0.8, 60),
}


@dataclass(frozen=True)
class Wish:
    """A site the traveler wants: must-see or nice-to-have (priority 1-99), maybe pinned to a day."""

    site_id: str
    must: bool = False
    priority: int = 50
    day: int | None = None  # 0-based day the traveler locked it to


@dataclass(frozen=True)
class TripRequest:
    """Everything the traveler asked for."""

    name: str
    start: date
    days: int
    bases: tuple[str, ...]  # where each night is spent: one for all, or one per day
    wishes: tuple[Wish, ...]
    day_start: time = time(9, 0)
    day_end: time = time(19, 0)
    pace: str = "normal"
    lunch: tuple[time, time] | None = (time(12, 30), time(14, 0))  # lunch starts in this window
    lunch_minutes: int = 60
    mode: str = "car"
    osrm_url: str | None = None

    def validate(self) -> None:
        """Raise ValidationError naming every problem with the request."""
        problems = []
        if not 1 <= self.days <= MAX_DAYS:
            problems.append(f"the trip must last 1 to {MAX_DAYS} days, not {self.days}")
        if not self.bases:
            problems.append("say where the nights are spent (a town or a site)")
        elif len(self.bases) not in (1, self.days):
            problems.append(
                f"give one base for the whole trip or one per day ({self.days}), not {len(self.bases)}"
            )
        if self.day_end <= self.day_start:
            problems.append("the day must end after it starts")
        if self.pace not in PACES:
            problems.append(f"pace must be one of {', '.join(PACES)}")
        if self.mode not in travel.MODES:
            problems.append(f"travel mode must be one of {', '.join(travel.MODES)}")
        if not self.wishes:
            problems.append("add at least one site to the trip")
        if problems:
            raise ValidationError(problems)

    def base_of_night(self, day: int) -> str:
        """The base slept in after a given day."""
        return self.bases[0] if len(self.bases) == 1 else self.bases[day]

    def to_json(self) -> dict:
        """The request as JSON-ready data."""
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["day_start"], data["day_end"] = (
            self.day_start.isoformat("minutes"),
            self.day_end.isoformat("minutes"),
        )
        data["lunch"] = [t.isoformat("minutes") for t in self.lunch] if self.lunch else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "TripRequest":
        """A request from ``to_json`` data."""
        values = dict(data)
        values["start"] = date.fromisoformat(values["start"])
        values["day_start"] = time.fromisoformat(values["day_start"])
        values["day_end"] = time.fromisoformat(values["day_end"])
        values["lunch"] = (
            tuple(time.fromisoformat(t) for t in values["lunch"]) if values.get("lunch") else None
        )
        values["bases"] = tuple(values["bases"])
        values["wishes"] = tuple(Wish(**w) for w in values["wishes"])
        return cls(**values)


@dataclass(frozen=True)
class Place:
    """A base: a town or a site, with its coordinates."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class PlannedStop:
    """A visit in the itinerary."""

    site_id: str
    name: str
    arrive: datetime
    start: datetime
    leave: datetime
    travel_seconds: int  # the leg that leads here
    travel_metres: int
    lat: float
    lon: float
    locked: bool = False
    flags: tuple[str, ...] = ()  # conflicts found after a manual edit


@dataclass(frozen=True)
class DayPlan:
    """One day: leave the base, visit, lunch, and return."""

    index: int
    date: date
    start_base: Place
    end_base: Place
    leave: datetime
    back: datetime
    stops: tuple[PlannedStop, ...]
    lunch: tuple[datetime, datetime] | None
    return_seconds: int
    return_metres: int
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeftOut:
    """A wish that is not in the plan, and why."""

    site_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class Itinerary:
    """The plan: a day per trip day, and what did not fit."""

    request: TripRequest
    days: tuple[DayPlan, ...]
    left_out: tuple[LeftOut, ...] = ()
    engine: str = ""

    def stop_ids(self) -> list[str]:
        """Every planned site id, day by day."""
        return [s.site_id for d in self.days for s in d.stops]

    def to_json(self) -> dict:
        """The itinerary as JSON-ready data (times in ISO 8601 with their UTC offset)."""

        def convert(value):
            if isinstance(value, datetime | date | time):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [convert(v) for v in value]
            return value

        data = convert(asdict(self))
        data["request"] = self.request.to_json()
        return data


def itinerary_from_json(data: dict) -> Itinerary:
    """An itinerary from ``Itinerary.to_json`` data (a saved trip, an itinerary JSON file)."""

    def place(p: dict) -> Place:
        return Place(p["name"], p["lat"], p["lon"])

    def moment(text: str) -> datetime:
        return datetime.fromisoformat(text)

    try:
        days = tuple(
            DayPlan(
                index=d["index"],
                date=date.fromisoformat(d["date"]),
                start_base=place(d["start_base"]),
                end_base=place(d["end_base"]),
                leave=moment(d["leave"]),
                back=moment(d["back"]),
                stops=tuple(
                    PlannedStop(
                        **{
                            **s,
                            "arrive": moment(s["arrive"]),
                            "start": moment(s["start"]),
                            "leave": moment(s["leave"]),
                            "flags": tuple(s.get("flags", ())),
                        }
                    )
                    for s in d["stops"]
                ),
                lunch=(moment(d["lunch"][0]), moment(d["lunch"][1])) if d.get("lunch") else None,
                return_seconds=d["return_seconds"],
                return_metres=d["return_metres"],
                flags=tuple(d.get("flags", ())),
            )
            for d in data["days"]
        )
        left_out = tuple(LeftOut(**x) for x in data.get("left_out", ()))
        return Itinerary(TripRequest.from_json(data["request"]), days, left_out, data.get("engine", ""))
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError([f"not an itinerary this app wrote ({error})"]) from None


# -- building the problem ---------------------------------------------------------------------


def resolve_place(catalog: Catalog, name: str) -> Place:
    """A base named by site id, catalog town, or a town of Serbia; NotFoundError otherwise."""
    try:
        site = catalog.site(name)
        return Place(site.name, site.lat, site.lon)
    except NotFoundError:
        pass
    wanted = fold(name.strip())
    for town in geography.towns():
        if fold(town.name) == wanted:
            return Place(town.name, town.lat, town.lon)
    towns = [s for s in catalog.sites() if fold(s.town) == wanted]
    if towns:
        lat = sum(s.lat for s in towns) / len(towns)
        lon = sum(s.lon for s in towns) / len(towns)
        return Place(towns[0].town, lat, lon)
    raise NotFoundError(f"{name!r} is neither a site id nor a town the app knows; try a town like Belgrade")


@dataclass
class _Build:
    problem: Problem
    sites: dict[str, Site]
    places: list[Place]
    midnight: datetime


def build_problem(request: TripRequest, catalog: Catalog, matrix: travel.Matrix | None = None) -> _Build:
    """The planning problem for a request, in seconds since the trip's first midnight."""
    request.validate()
    pace = PACES[request.pace]
    midnight = datetime.combine(request.start, time(0, 0), TZ)
    places, place_index = [], {}
    for day in range(request.days):
        for name in (request.base_of_night(max(day - 1, 0)), request.base_of_night(day)):
            if name not in place_index:
                place_index[name] = len(places)
                places.append(resolve_place(catalog, name))
    sites = {}
    for wish in request.wishes:
        if wish.site_id not in sites:
            site = catalog.site(wish.site_id)
            if site.status != "published":
                raise ValidationError([f"{site.name} is a draft: a curator has not published it yet"])
            sites[wish.site_id] = site
    points = [(p.lat, p.lon) for p in places] + [(s.lat, s.lon) for s in sites.values()]
    if matrix is None:
        mode = travel.MODES[request.mode]
        matrix = (
            travel.osrm_table(request.osrm_url, points, mode)
            if request.osrm_url
            else travel.estimate(points, mode)
        )

    def seconds(moment: datetime) -> int:
        return int((moment - midnight).total_seconds())

    days = []
    for index in range(request.days):
        day_date = request.start + timedelta(days=index)
        begin = datetime.combine(day_date, request.day_start, TZ)
        end = datetime.combine(day_date, request.day_end, TZ) + timedelta(minutes=pace.day_end_shift_min)
        lunch = None
        if request.lunch:
            lunch = (
                seconds(datetime.combine(day_date, request.lunch[0], TZ)),
                seconds(datetime.combine(day_date, request.lunch[1], TZ)),
            )
        days.append(
            Day(
                index=index,
                start_location=place_index[request.base_of_night(max(index - 1, 0))],
                end_location=place_index[request.base_of_night(index)],
                window=(seconds(begin), seconds(end)),
                lunch=lunch,
                lunch_duration=request.lunch_minutes * 60 if request.lunch else 0,
            )
        )
    trip_end = midnight + timedelta(days=request.days)
    stops = []
    wish_of = {w.site_id: w for w in request.wishes}
    for offset, (site_id, site) in enumerate(sites.items()):
        wish = wish_of[site_id]
        service = max(600, round(site.visit_minutes * 60 * pace.visit_factor))
        windows = []
        try:
            open_periods = opening_hours.open_windows(site.opening_hours, midnight, trip_end)
        except CatalogError:
            open_periods = []  # unreadable hours: never promise an open door
        for opens, closes in open_periods:
            last_start = seconds(closes) - service
            if last_start >= seconds(opens):
                windows.append((seconds(opens), last_start))
        stops.append(
            Stop(site_id, len(places) + offset, service, tuple(windows), wish.priority, wish.must, wish.day)
        )
    problem = Problem(matrix.durations, tuple(stops), tuple(days), matrix.distances)
    return _Build(problem, sites, places, midnight)


def plan_trip(
    request: TripRequest, catalog: Catalog, engine: Engine | None = None, matrix: travel.Matrix | None = None
) -> Itinerary:
    """Plan a trip: the day-by-day itinerary and what was left out, with reasons."""
    build = build_problem(request, catalog, matrix)
    solution = planner.solve(build.problem, engine)
    return to_itinerary(request, build, solution)


def to_itinerary(request: TripRequest, build: _Build, solution: Solution) -> Itinerary:
    """Read an engine's solution back as dates and times."""
    problem = build.problem

    def at(seconds: int) -> datetime:
        return (build.midnight + timedelta(seconds=seconds)).astimezone(TZ)

    locked = {w.site_id for w in request.wishes if w.day is not None}
    days = []
    for route in solution.routes:
        day = problem.days[route.day]
        where = day.start_location
        stops = []
        for visit in route.visits:
            stop = problem.stop(visit.stop_id)
            site = build.sites[visit.stop_id]
            stops.append(
                PlannedStop(
                    site.id,
                    site.name,
                    at(visit.arrival),
                    at(visit.start),
                    at(visit.departure),
                    problem.durations[where][stop.location],
                    _distance(problem, where, stop.location),
                    site.lat,
                    site.lon,
                    site.id in locked,
                )
            )
            where = stop.location
        lunch = None
        if route.lunch is not None:
            lunch = (at(route.lunch[1]), at(route.lunch[1] + day.lunch_duration))
        leave = at(route.leave_base if route.visits else day.window[0])
        back = at(route.return_base if route.visits else day.window[0])
        days.append(
            DayPlan(
                route.day,
                request.start + timedelta(days=route.day),
                build.places[day.start_location],
                build.places[day.end_location],
                leave,
                back,
                tuple(stops),
                lunch,
                problem.durations[where][day.end_location] if stops else 0,
                _distance(problem, where, day.end_location) if stops else 0,
            )
        )
    left_out = tuple(LeftOut(u.stop_id, build.sites[u.stop_id].name, u.reason) for u in solution.unassigned)
    return Itinerary(request, tuple(days), left_out, solution.engine)


def _distance(problem: Problem, a: int, b: int) -> int:
    return problem.distances[a][b] if problem.distances else 0


def dumps(itinerary: Itinerary) -> str:
    """The itinerary as JSON text."""
    return json.dumps(itinerary.to_json(), ensure_ascii=False, indent=2)


# -- editing a plan by hand -------------------------------------------------------------------


def retime(request: TripRequest, catalog: Catalog, order: list[list[str]]) -> Itinerary:
    """Times for a plan the traveler arranged by hand: ``order`` lists each day's site ids.

    Nothing is moved: every stop keeps its day and place, and whatever no longer works (a
    visit outside opening hours, a day that ends late, no time for lunch) is flagged.
    """
    if len(order) != request.days:
        raise ValidationError([f"the plan has {len(order)} days but the trip has {request.days}"])
    known = {w.site_id for w in request.wishes}
    extra = [Wish(site_id) for day in order for site_id in day if site_id not in known]
    request = replace(request, wishes=request.wishes + tuple(extra))
    build = build_problem(request, catalog)
    problem = build.problem
    routes, flags = [], {}
    for day in problem.days:
        route, day_flags = _simulate(problem, day, order[day.index])
        routes.append(route)
        flags.update(day_flags)
    placed = {site_id for day in order for site_id in day}
    left = tuple(Unassigned(s.id, "removed from the plan") for s in problem.stops if s.id not in placed)
    itinerary = to_itinerary(request, build, Solution(tuple(routes), left, "manual"))
    days = []
    for day in itinerary.days:
        stops = tuple(replace(s, flags=flags.get((day.index, s.site_id), ())) for s in day.stops)
        days.append(replace(day, stops=stops, flags=flags.get((day.index, None), ())))
    return replace(itinerary, days=tuple(days))


def _simulate(problem: Problem, day: Day, site_ids: list[str]) -> tuple[Route, dict]:
    """Walk a day's stops in the given order: arrive, wait for opening, visit, lunch, return."""
    flags: dict[tuple[int, str | None], tuple[str, ...]] = {}
    stops = [problem.stop(i) for i in site_ids]
    clock, where = day.window[0], day.start_location
    if stops:  # leave no earlier than needed to reach the first stop as it opens
        first = stops[0]
        travel_first = problem.durations[where][first.location]
        opens = [a for a, b in first.windows if b >= day.window[0] + travel_first and a <= day.window[1]]
        if opens:
            clock = max(clock, min(opens) - travel_first)
    leave, visits, lunch = clock, [], None
    for position, stop in enumerate(stops):
        travel_time = problem.durations[where][stop.location]
        if lunch is None and day.lunch and (clock >= day.lunch[0] or clock + travel_time > day.lunch[1]):
            lunch_start = max(clock, day.lunch[0])
            lunch = (position, lunch_start)
            clock = lunch_start + day.lunch_duration
        arrival = clock + travel_time
        window = next(((a, b) for a, b in sorted(stop.windows) if b >= arrival), None)
        problems = []
        if window is None or window[0] - arrival > 6 * 3600:
            start = arrival
            problems.append("closed when you get there")
        else:
            start = max(arrival, window[0])
            if start > day.window[1]:
                problems.append("opens only after the day's end")
        visits.append(Visit(stop.id, arrival, start, start + stop.service))
        if start + stop.service > day.window[1]:
            problems.append("the visit runs past the day's end")
        if problems:
            flags[(day.index, stop.id)] = tuple(problems)
        clock, where = start + stop.service, stop.location
    if stops and lunch is None and day.lunch:
        lunch_start = max(clock, day.lunch[0])
        lunch = (len(stops), lunch_start)
        clock = lunch_start + day.lunch_duration
    back = clock + problem.durations[where][day.end_location] if stops else clock
    if back > day.window[1]:
        late = round((back - day.window[1]) / 60)
        flags[(day.index, None)] = (f"back at the base {late} min after the day's end",)
    if lunch is not None and day.lunch and lunch[1] > day.lunch[1]:
        flags[(day.index, None)] = (*flags.get((day.index, None), ()), "lunch comes late")
    return Route(day.index, tuple(visits), leave, back, lunch), flags
