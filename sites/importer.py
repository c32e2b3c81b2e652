"""Import a batch of sites from CSV or GeoJSON: every row checked (row and column named),
likely duplicates of existing sites found, then all applied in one transaction or none.

A spreadsheet needs only ``name``, ``lat`` and ``lon``: a new site's id is made from its name,
its town and region found from the gazetteer, its themes may be empty and the date it was
checked defaults to the import's, each said in a warning; the site arrives as a draft and the
full rules apply when it is published. A merge changes only the columns the file carries; an id
that was deleted comes back as a draft; a file of any shape gives problems in words, never a
traceback. An import checked
against the catalog as it was is refused if the catalog changed before it is applied (another
import, an edit elsewhere), as the editor refuses a stale edit.
"""

import csv
import io
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz

from sites import store
from sites.catalog import Catalog
from sites.errors import HeritageError, ValidationError
from sites.export import unquote_cell
from sites.folding import fold
from sites.geography import distance_km, gazetteer, towns
from sites.models import RECORD_KEYS, Site
from sites.record import coordinates, parse_site
from sites.validation import in_serbia_bounds, validate_site

#: A row is a likely duplicate of a site this close (metres) with a name this alike (0-100).
DUPLICATE_METRES = 300
DUPLICATE_NAME_SCORE = 80
#: The columns a file must have; a new site's id, town, region, themes and ``last_verified`` are
#: filled in when a row lacks them (see ``Defaults``).
REQUIRED_COLUMNS = ("name", "lat", "lon")
#: The fields a stored site cannot do without (the schema's NOT NULL, and the editor's rules).
REQUIRED_FIELDS = ("id", "name", "lat", "lon", "town")
#: What a new or restored draft may lack and still be stored, as the editor allows it (the same
#: as sites.curation.PUBLISH_ONLY, which a test keeps in step); it may also have no theme yet.
#: Each is a warning in the preview, and publishing needs them all.
DRAFT_MAY_LACK = frozenset({"sources", "summary", "last_verified"})
#: A town of the base layer that the gazetteer lacks counts as this wide (as sites.geography does).
BASE_TOWN_RADIUS_KM = 10
#: An id made from a name is cut to this many characters.
MAX_ID_LENGTH = 60
#: A CSV field may be this long (Python's csv module's own limit, stated so it is named).
MAX_FIELD = 131_072
#: Progress is reported every this many rows applied.
PROGRESS_EVERY = 5_000
#: Grid cells of this many degrees hold the existing sites, for finding the ones nearby.
_CELL = 0.01

Progress = Callable[[int, int], None]


class ImportConflictError(HeritageError):
    """The catalog changed between checking an import and applying it."""


@dataclass
class ImportRow:
    """One row of the file: the site it describes, its problems, and a duplicate if any."""

    number: int  # as a person counts rows in the file (header is row 1 in CSV)
    site: Site | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    duplicate_of: str | None = None
    action: str = "add"  # add | merge | skip
    columns: frozenset[str] = frozenset()  # the fields this row of the file carries
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)  # a merge's, field by field
    deleted: bool = False  # its id is a soft-deleted site: adding brings that back as a draft

    def describe(self) -> list[str]:
        """The row's problems as lines a person reads."""
        return [f"Row {self.number}, {column}: {message}" for column, message in self.problems]

    def describe_warnings(self) -> list[str]:
        """The row's warnings (they do not block the import) as lines a person reads."""
        return [f"Row {self.number}, {column}: warning: {message}" for column, message in self.warnings]


@dataclass
class ImportPlan:
    """A checked file, ready to preview and apply."""

    path: Path
    rows: list[ImportRow]
    #: The catalog's ``PRAGMA data_version`` when checked: it moves when another writer commits.
    version: int | None = None

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.problems]

    def problems(self) -> list[str]:
        """Every problem in the file, row by row."""
        return [line for row in self.rows for line in row.describe()]

    def warnings(self) -> list[str]:
        """Every warning in the file, row by row (swapped coordinates, a town far away...)."""
        return [line for row in self.rows for line in row.describe_warnings()]

    def outcome(self) -> list[tuple]:
        """What applying the plan would do, row by row (id, action, duplicate, changes): a plan
        checked again is the one previewed only if this is the same."""
        return [
            (row.number, row.site.id if row.site else None, row.action, row.duplicate_of, row.deleted,
             json.dumps(row.changes, sort_keys=True, default=str, ensure_ascii=False))
            for row in self.rows
        ]  # fmt: skip


#: A row of the file: its number, its values by column, and problems found in its shape.
RawRow = tuple[int, dict, list[tuple[str, str]]]


def read_file(path: str | Path) -> list[RawRow]:
    """Rows of a CSV (our export's columns) or GeoJSON (our export's properties) file.

    A file that cannot be read as a whole raises ValidationError; a row of the wrong shape
    comes back with its problems (each row's values hold only the columns it carries).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError([f"cannot be read: {error}"], where=str(path)) from None
    if path.suffix.lower() in (".geojson", ".json"):
        return _geojson_rows(text, path)
    return _csv_rows(text, path)


def _csv_rows(text: str, path: Path) -> list[RawRow]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise ValidationError([f"the header lacks the column(s) {', '.join(missing)}"], where=str(path))
        rows: list[RawRow] = []
        for number, row in enumerate(reader, start=2):
            values = {k: unquote_cell(v) for k, v in row.items() if k in RECORD_KEYS and v is not None}
            problems = [] if None not in row else [("row", f"has {len(row[None])} cell(s) past the header")]
            rows.append((number, values, problems))
    except csv.Error as error:
        # The line the reader stopped on (a field over MAX_FIELD characters, a NUL byte...).
        reason = f"a field is longer than {MAX_FIELD:,} characters" if "larger than" in str(error) else error
        raise ValidationError([f"line {reader.line_num}: {reason}"], where=str(path)) from None
    return rows


def _geojson_rows(text: str, path: Path) -> list[RawRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            [f"line {error.lineno}, column {error.colno}: {error.msg}"], where=str(path)
        ) from None
    except RecursionError:
        raise ValidationError(
            ["its JSON is nested too deeply to be a GeoJSON file"], where=str(path)
        ) from None
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise ValidationError([f"its JSON cannot be read: {error}"], where=str(path)) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ValidationError(["not a GeoJSON FeatureCollection"], where=str(path))
    return [_feature_row(number, feature) for number, feature in enumerate(features, start=1)]


def _feature_row(number: int, feature: object) -> RawRow:
    """A feature's properties, with lat and lon from its Point unless the properties hold them."""
    if not isinstance(feature, dict):
        return number, {}, [("feature", "is not a JSON object")]
    properties, geometry = feature.get("properties"), feature.get("geometry")
    problems: list[tuple[str, str]] = []
    if properties is not None and not isinstance(properties, dict):
        problems.append(("properties", "is not a JSON object"))
    if geometry is not None and not isinstance(geometry, dict):
        problems.append(("geometry", "is not a JSON object"))
    if problems:
        return number, {}, problems
    values = {k: v for k, v in (properties or {}).items() if k in RECORD_KEYS}
    coordinates = (geometry or {}).get("coordinates")
    if coordinates is not None:
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            return number, values, [("geometry", "coordinates must be a list [longitude, latitude]")]
        values.setdefault("lon", coordinates[0])
        values.setdefault("lat", coordinates[1])
    return number, values, []


@dataclass
class Defaults:
    """What fills a new site's missing fields: the ids already taken (deleted sites' and the
    file's own included), the region the catalog gives each town, and the day of the import."""

    taken: set[str]
    regions: dict[str, str]
    today: date

    @classmethod
    def for_catalog(cls, existing: list[Site], deleted: Mapping[str, Site], rows: list[RawRow]) -> "Defaults":
        given = {raw["id"].strip() for _n, raw, _p in rows if isinstance(raw.get("id"), str)}
        by_town: dict[str, Counter[str]] = defaultdict(Counter)
        for site in existing:
            if site.region:
                by_town[site.town][site.region] += 1
        # The region most of a town's sites name (the alphabetically first of a tie).
        regions = {t: min(c.items(), key=lambda item: (-item[1], item[0]))[0] for t, c in by_town.items()}
        return cls({s.id for s in existing} | set(deleted) | given, regions, date.today())

    def fill(self, raw: dict) -> tuple[dict, list[tuple[str, str]], list[tuple[str, str]]]:
        """A new site's row with what it lacks filled in: (values, warnings, problems).

        Each value filled in is a warning. A town is the nearest whose radius holds the point; a
        row with no town given and none near is refused (a site cannot be stored without one),
        naming the nearest town so the curator can fill in the cell.
        """
        values, warnings, problems = dict(raw), [], []
        if _blank(values.get("id")) and isinstance(values.get("name"), str) and values["name"].strip():
            base = slug(values["name"])
            values["id"] = free_id(base, self.taken)
            taken = f" ({base!r} is taken)" if values["id"] != base else ""
            warnings.append(("id", f"not given: {values['id']!r}, made from the name{taken}"))
        point = coordinates(values)
        if _blank(values.get("town")) and point is not None:
            near = nearest_town(*point)
            if near.holds:
                values["town"] = near.name
                said = f"not given: {near.name}, the nearest town ({near.km:.1f} km from its centre)"
                warnings.append(("town", said))
            elif _looks_swapped(*point):
                lat, lon = point
                problems.append((
                    "town",
                    f"not given, and no town reaches {lat:g}, {lon:g}: latitude and longitude look "
                    f"swapped ({lon:g}, {lat:g} lies near {nearest_town(lon, lat).name}); swap them, or "
                    "fill in the town",
                ))  # fmt: skip
            else:
                problems.append((
                    "town",
                    f"not given, and no town reaches the point (the nearest, {near.name}, is "
                    f"{near.km:.0f} km from its centre, beyond its {near.radius_km:g} km): fill in the town",
                ))  # fmt: skip
        town = values.get("town")
        if _blank(values.get("region")) and isinstance(town, str) and town.strip():
            town = town.strip()
            region = self.regions.get(town)
            if region:
                values["region"] = region
                warnings.append(("region", f"not given: {region}, as the catalog's sites in {town} have it"))
            else:
                warnings.append(("region", f"not given, and no site in the catalog names {town}'s region"))
        if _blank(values.get("themes")):
            warnings.append(("themes", "none given: add at least one before publishing"))
        if _blank(values.get("last_verified")):
            values["last_verified"] = self.today.isoformat()
            warnings.append((
                "last_verified",
                f"not given: set to the import date, {self.today.isoformat()}; change it to the day "
                "the entry was checked against its sources",
            ))  # fmt: skip
        return values, warnings, problems


def _blank(value: object) -> bool:
    """Whether a cell holds nothing (absent, empty text, an empty list)."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def slug(name: str) -> str:
    """An id from a name, in either script: "Музеј Николе Тесле" gives "muzej-nikole-tesle"."""
    text = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    return text[:MAX_ID_LENGTH].strip("-") or "site"


def free_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free first; it is then taken."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


@cache
def _places() -> tuple[tuple[str, float, float, float], ...]:
    """Every town a site may be placed in, with its centre and radius in km: the gazetteer's,
    then the base layer's towns it lacks."""
    known = gazetteer()
    places = [(name, t["lat"], t["lon"], float(t["radius_km"])) for name, t in known.items()]
    places += [(t.name, t.lat, t.lon, float(BASE_TOWN_RADIUS_KM)) for t in towns() if t.name not in known]
    return tuple(places)


class NearTown(NamedTuple):
    """A town near a point: its name, how far its centre is, and how far it reaches."""

    name: str
    km: float
    radius_km: float

    @property
    def holds(self) -> bool:
        return self.km <= self.radius_km


def nearest_town(lat: float, lon: float) -> NearTown:
    """The nearest town whose radius holds the point, or else the nearest town of all.

    Towns are measured on a flat map first (cheap, and within 1% at these distances); the
    great-circle distance is measured only for the few that may hold the point or be the nearest.
    """
    across = 111.32 * math.cos(math.radians(lat))
    flat = sorted(
        (math.hypot((lat - la) * 111.32, (lon - lo) * across), name, la, lo, radius)
        for name, la, lo, radius in _places()
    )
    near = [
        NearTown(name, distance_km(lat, lon, la, lo), radius)
        for km, name, la, lo, radius in flat
        if km <= max(radius, flat[0][0]) * 1.02 + 0.1
    ]
    near.sort(key=lambda town: town.km)
    return next((town for town in near if town.holds), near[0])


def _looks_swapped(lat: float, lon: float) -> bool:
    return not in_serbia_bounds(lat, lon) and in_serbia_bounds(lon, lat)


def plan_import(catalog: Catalog, path: str | Path) -> ImportPlan:
    """Read and check a file: problems per row and column, likely duplicates marked, what each
    merge would change field by field, and a new site's missing fields filled in (each a warning)."""
    version = catalog.db.execute("PRAGMA data_version").fetchone()[0]
    theme_ids = {t.id for t in catalog.themes()}
    existing = catalog.all_sites()
    finder = DuplicateFinder(existing)
    deleted = store.load_sites(catalog.db.conn, deleted=True)
    raw_rows = read_file(path)
    defaults = Defaults.for_catalog(existing, deleted, raw_rows)
    rows, seen = [], set()
    for number, raw, shape_problems in raw_rows:
        if shape_problems:
            rows.append(ImportRow(number, None, shape_problems))
            continue
        given = raw.get("id")
        given = given.strip() if isinstance(given, str) else None
        known = (finder.by_id.get(given) or deleted.get(given)) if given else None
        filled: list[tuple[str, str]] = []
        own: list[tuple[str, str]] = []
        if known is not None:  # a merge or a deleted site: what the row lacks, the site keeps
            values = {**known.to_record(), **raw}
        else:
            values, filled, own = defaults.fill(raw)
        site, problems = parse_site(values, required=REQUIRED_FIELDS)
        # A field the row should have had filled in is explained by its own message, or by the
        # name it is made from; "is required" would say less.
        explained = {"id", *(f for f, _ in own)} if known is None else set()
        problems = [p for p in problems if not (p[0] in explained and p[1] == "is required")] + own
        row = ImportRow(number, site, problems, columns=frozenset(raw), warnings=filled)
        if site is not None and not own:
            if site.id in seen:
                row.problems.append(("id", f"{site.id!r} appears twice in the file"))
            seen.add(site.id)
            if _looks_swapped(site.lat, site.lon):
                said = f"latitude and longitude look swapped: {site.lon:g}, {site.lat:g} would lie in Serbia"
                row.warnings.append(("lat", said))
            row.duplicate_of = finder.likely_duplicate(site)
            row.deleted = row.duplicate_of is None and site.id in deleted
            if row.duplicate_of:
                row.action = "merge" if row.duplicate_of == site.id else "skip"
            before = finder.by_id.get(site.id) if row.action == "merge" else deleted.get(site.id)
            result = merged(before, site, row.columns) if before is not None else site
            if row.action != "merge":
                result = replace(result, status="draft")  # a new or restored site arrives as a draft
            row.changes = store.diff(before, result) if before is not None else {}
            _grade(result, theme_ids, row)
        rows.append(row)
    return ImportPlan(Path(path), rows, version)


def _grade(site: Site, theme_ids: set[str], row: ImportRow) -> None:
    """The rules for the site a row makes, graded by its status as the editor grades them:
    errors are the row's problems, warnings its warnings. A draft may lack what only publishing
    needs (each said as a warning); a published site must keep to its place."""
    for problem in validate_site(site, theme_ids):
        blocks, message = problem.severity == "error", problem.message
        if (
            site.status == "draft"
            and blocks
            and (problem.field in DRAFT_MAY_LACK or (problem.field == "themes" and not site.themes))
        ):
            if any(field == problem.field for field, _ in row.warnings):
                continue  # already said, as a value the row lacks ("none given")
            blocks, message = False, message if "publish" in message else f"{message} to publish"
        elif site.status != "draft" and not blocks:  # its place: outside Serbia, or far from its town
            blocks, message = True, f"{message}; a published site may not be: fix the place, or unpublish it"
        (row.problems if blocks else row.warnings).append((problem.field, message))


def merge_changes(catalog: Catalog, row: ImportRow) -> dict[str, tuple[object, object]]:
    """What merging a row into its likely duplicate would change, field by field (for a row a
    curator turns from "skip" to "merge")."""
    old = catalog.find(row.duplicate_of) if row.duplicate_of else None
    if old is None or row.site is None:
        return {}
    return store.diff(old, merged(old, replace(row.site, id=old.id), row.columns))


def merged(old: Site, new: Site, columns: frozenset[str]) -> Site:
    """``old`` with the fields a file's row carries taken from ``new`` (its id and status kept)."""
    return replace(old, **{c: getattr(new, c) for c in columns if c not in ("id", "status")})


class DuplicateFinder:
    """Existing sites by id and by grid cell, so each row is compared with the few nearby."""

    def __init__(self, existing: list[Site]):
        self.by_id = {s.id: s for s in existing}
        self.cells: dict[tuple[int, int], list[Site]] = defaultdict(list)
        for site in existing:
            if math.isfinite(site.lat) and math.isfinite(site.lon):
                self.cells[_cell(site.lat, site.lon)].append(site)

    def likely_duplicate(self, site: Site) -> str | None:
        """The id of an existing site that is the same id, or close by with a similar name."""
        if site.id in self.by_id:
            return site.id
        if not (math.isfinite(site.lat) and math.isfinite(site.lon) and abs(site.lat) <= 90):
            return None
        row, column = _cell(site.lat, site.lon)
        # A cell is at least 0.01° of latitude (1.1 km) tall; east-west it narrows towards the
        # poles, so enough cells are searched to cover DUPLICATE_METRES at this latitude.
        reach = 1 + int(
            DUPLICATE_METRES / 1000 / (111.3 * max(math.cos(math.radians(site.lat)), 0.01) * _CELL)
        )
        name = fold(site.name)
        for dr in (-1, 0, 1):
            for dc in range(-reach, reach + 1):
                for other in self.cells.get((row + dr, column + dc), ()):
                    metres = distance_km(site.lat, site.lon, other.lat, other.lon) * 1000
                    if (
                        metres <= DUPLICATE_METRES
                        and fuzz.token_set_ratio(name, fold(other.name)) >= DUPLICATE_NAME_SCORE
                    ):
                        return other.id
        return None


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL), math.floor(lon / _CELL)


def apply_import(
    catalog: Catalog, plan: ImportPlan, note: str = "", progress: Progress | None = None
) -> dict[str, list[str]]:
    """Apply a checked plan in one transaction, after a backup; nothing at all if any row is bad.

    ``add`` rows become drafts (curators publish them), and an id that was deleted comes back
    as a draft; ``merge`` rows change only the columns the file carries on the existing site;
    ``skip`` rows are left out; each change is recorded in the site's history. If the catalog
    changed since the plan was checked, nothing is applied (ImportConflictError says so).
    ``progress(done, total)`` is called as rows are applied.
    """
    if plan.bad_rows:
        raise ValidationError(plan.problems(), where=plan.path.name)
    catalog.take_backup("before-import")
    done: dict[str, list[str]] = {"added": [], "merged": [], "skipped": [], "restored": []}
    note = note or f"imported from {plan.path.name}"
    rows = [row for row in plan.rows if row.action != "skip"]
    done["skipped"] = [row.site.id for row in plan.rows if row.action == "skip" and row.site]
    with catalog.writing(immediate=True) as conn:
        # The write lock is held from here: nobody can change the catalog until this commits.
        if plan.version is not None and conn.execute("PRAGMA data_version").fetchone()[0] != plan.version:
            raise ImportConflictError(
                f"The catalog changed while {plan.path.name} was being checked (another import or an "
                "edit elsewhere); nothing was imported. Import the file again to check it against "
                "the catalog as it is now."
            )
        by_id = {s.id: s for s in catalog.all_sites()}
        deleted = store.load_sites(conn, deleted=True)
        for start in range(0, len(rows), PROGRESS_EVERY):
            batch = [_change(row, by_id, deleted, done) for row in rows[start : start + PROGRESS_EVERY]]
            store.write_sites(conn, [site for _old, site, _row in batch])
            conn.executemany(
                "UPDATE sites SET edited = 1, deleted_at = NULL WHERE id = ?",
                [(site.id,) for _o, site, _r in batch],
            )
            for old, site, row in batch:
                changes = store.diff(old, site)
                if row.deleted:
                    changes["deleted"] = (True, False)
                store.insert_history(conn, site, note, changes)
                _pause_for_tests()
            if progress:
                progress(min(start + PROGRESS_EVERY, len(rows)), len(rows))
    return done


def _change(
    row: ImportRow, by_id: dict[str, Site], deleted: dict[str, Site], done: dict[str, list[str]]
) -> tuple[Site | None, Site, ImportRow]:
    """What a row does to the catalog: (the site before, the site after, the row)."""
    # A row without a site has problems, and a plan with problems was refused above.
    assert row.site is not None
    if row.action == "merge":
        target = row.duplicate_of
        assert target is not None, "only a row with a likely duplicate can be merged"
        old = by_id.get(target)
        if old is None:
            raise ImportConflictError(
                f"Row {row.number}: {target!r} is no longer in the catalog; nothing was imported"
            )
        done["merged"].append(target)
        return old, merged(old, replace(row.site, id=target), row.columns), row
    if row.site.id in by_id:
        raise ImportConflictError(
            f"Row {row.number}: {row.site.id!r} is already in the catalog; merge or skip it. "
            "Nothing was imported."
        )
    if row.site.id in deleted:
        row.deleted = True
        done["restored"].append(row.site.id)
        site = merged(deleted[row.site.id], row.site, row.columns)
        return deleted[row.site.id], replace(site, status="draft"), row
    done["added"].append(row.site.id)
    return None, replace(row.site, status="draft"), row


def _pause_for_tests() -> None:
    """Lets a test kill the process in the middle of an import (HERITAGE_TRAILS_IMPORT_DELAY)."""
    import os
    import time

    delay = os.environ.get("HERITAGE_TRAILS_IMPORT_DELAY")
    if delay:
        time.sleep(float(delay))
