"""Import a batch of sites from CSV or GeoJSON: every row checked (row and column named),
likely duplicates of existing sites found, then all applied in one transaction or none.

A merge changes only the columns the file carries; an id that was deleted comes back as a
draft; a file of any shape gives problems in words, never a traceback. An import checked
against the catalog as it was is refused if the catalog changed before it is applied (another
import, an edit elsewhere), as the editor refuses a stale edit.
"""

import csv
import io
import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz

from sites import store
from sites.catalog import Catalog
from sites.errors import HeritageError, ValidationError
from sites.export import unquote_cell
from sites.folding import fold
from sites.geography import distance_km
from sites.models import RECORD_KEYS, Site
from sites.record import parse_site
from sites.validation import validate_site

#: A row is a likely duplicate of a site this close (metres) with a name this alike (0-100).
DUPLICATE_METRES = 300
DUPLICATE_NAME_SCORE = 80
REQUIRED_COLUMNS = ("id", "name", "lat", "lon", "town")
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


def parse_row(row: dict) -> tuple[Site | None, list[tuple[str, str]]]:
    """A site from one row, or the problems that prevent it, each naming its column."""
    return parse_site(row, required=REQUIRED_COLUMNS)


def plan_import(catalog: Catalog, path: str | Path) -> ImportPlan:
    """Read and check a file: problems per row and column, likely duplicates marked, and what
    each merge would change, field by field."""
    version = catalog.db.execute("PRAGMA data_version").fetchone()[0]
    theme_ids = {t.id for t in catalog.themes()}
    finder = DuplicateFinder(catalog.all_sites())
    deleted = store.load_sites(catalog.db.conn, deleted=True)
    rows, seen = [], set()
    for number, raw, shape_problems in read_file(path):
        if shape_problems:
            rows.append(ImportRow(number, None, shape_problems))
            continue
        site, problems = parse_row(raw)
        row = ImportRow(number, site, problems, columns=frozenset(raw))
        if site is not None:
            if site.id in seen:
                row.problems.append(("id", f"{site.id!r} appears twice in the file"))
            seen.add(site.id)
            row.duplicate_of = finder.likely_duplicate(site)
            row.deleted = row.duplicate_of is None and site.id in deleted
            if row.duplicate_of:
                row.action = "merge" if row.duplicate_of == site.id else "skip"
            before = catalog.find(site.id) if row.action == "merge" else deleted.get(site.id)
            result = merged(before, site, row.columns) if before is not None else site
            row.changes = store.diff(before, result) if before is not None else {}
            checked = validate_site(result, theme_ids)
            row.problems += [(p.field, p.message) for p in checked if p.severity == "error"]
            row.warnings = [(p.field, p.message) for p in checked if p.severity == "warning"]
        rows.append(row)
    return ImportPlan(Path(path), rows, version)


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


def likely_duplicate(site: Site, existing: list[Site]) -> str | None:
    """The id of an existing site that is the same id, or close by with a similar name."""
    return DuplicateFinder(existing).likely_duplicate(site)


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
        existing = catalog.all_sites()
        by_id = {s.id: s for s in existing}
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
