"""Import a batch of sites from CSV or GeoJSON: every row checked (row and column named),
likely duplicates of existing sites found, then all applied in one transaction or none."""

import csv
import io
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz

from sites import store
from sites.catalog import Catalog
from sites.errors import ValidationError
from sites.folding import fold
from sites.geography import distance_km
from sites.models import Site
from sites.record import parse_site
from sites.validation import validate_site

#: A row is a likely duplicate of a site this close (metres) with a name this alike (0-100).
DUPLICATE_METRES = 300
DUPLICATE_NAME_SCORE = 80
REQUIRED_COLUMNS = ("id", "name", "lat", "lon", "town")


@dataclass
class ImportRow:
    """One row of the file: the site it describes, its problems, and a duplicate if any."""

    number: int  # as a person counts rows in the file (header is row 1 in CSV)
    site: Site | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    duplicate_of: str | None = None
    action: str = "add"  # add | merge | skip

    def describe(self) -> list[str]:
        """The row's problems as lines a person reads."""
        return [f"Row {self.number}, {column}: {message}" for column, message in self.problems]


@dataclass
class ImportPlan:
    """A checked file, ready to preview and apply."""

    path: Path
    rows: list[ImportRow]

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.problems]

    def problems(self) -> list[str]:
        """Every problem in the file, row by row."""
        return [line for row in self.rows for line in row.describe()]


def read_file(path: str | Path) -> list[tuple[int, dict]]:
    """Rows of a CSV (our export's columns) or GeoJSON (our export's properties) file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError([f"cannot be read: {error}"], where=str(path)) from None
    if path.suffix.lower() in (".geojson", ".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                [f"line {error.lineno}, column {error.colno}: {error.msg}"], where=str(path)
            ) from None
        features = data.get("features") if isinstance(data, dict) else None
        if not isinstance(features, list):
            raise ValidationError(["not a GeoJSON FeatureCollection"], where=str(path))
        rows = []
        for number, feature in enumerate(features, start=1):
            properties = dict((feature or {}).get("properties") or {})
            coordinates = ((feature or {}).get("geometry") or {}).get("coordinates") or [None, None]
            properties.setdefault("lon", coordinates[0] if len(coordinates) > 0 else None)
            properties.setdefault("lat", coordinates[1] if len(coordinates) > 1 else None)
            rows.append((number, properties))
        return rows
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError([f"the header lacks the column(s) {', '.join(missing)}"], where=str(path))
    return [(number, row) for number, row in enumerate(reader, start=2)]


def parse_row(row: dict) -> tuple[Site | None, list[tuple[str, str]]]:
    """A site from one row, or the problems that prevent it, each naming its column."""
    return parse_site(row, required=REQUIRED_COLUMNS)


def plan_import(catalog: Catalog, path: str | Path) -> ImportPlan:
    """Read and check a file: problems per row and column, likely duplicates marked."""
    theme_ids = {t.id for t in catalog.themes()}
    existing = catalog.all_sites()
    rows, seen = [], set()
    for number, raw in read_file(path):
        site, problems = parse_row(raw)
        row = ImportRow(number, site, problems)
        if site is not None:
            if site.id in seen:
                row.problems.append(("id", f"{site.id!r} appears twice in the file"))
            seen.add(site.id)
            row.problems += [
                (p.field, p.message) for p in validate_site(site, theme_ids) if p.severity == "error"
            ]
            row.duplicate_of = likely_duplicate(site, existing)
            if row.duplicate_of:
                row.action = "merge" if row.duplicate_of == site.id else "skip"
        rows.append(row)
    return ImportPlan(Path(path), rows)


def likely_duplicate(site: Site, existing: list[Site]) -> str | None:
    """The id of an existing site that is the same id, or close by with a similar name."""
    by_id = {s.id: s for s in existing}
    if site.id in by_id:
        return site.id
    for other in existing:
        metres = distance_km(site.lat, site.lon, other.lat, other.lon) * 1000
        if (
            metres <= DUPLICATE_METRES
            and fuzz.token_set_ratio(fold(site.name), fold(other.name)) >= DUPLICATE_NAME_SCORE
        ):
            return other.id
    return None


def apply_import(catalog: Catalog, plan: ImportPlan, note: str = "") -> dict[str, list[str]]:
    """Apply a checked plan in one transaction, after a backup; nothing at all if any row is bad.

    ``add`` rows become drafts (curators publish them); ``merge`` rows update the existing site
    (recorded in its history); ``skip`` rows are left out.
    """
    if plan.bad_rows:
        raise ValidationError(plan.problems(), where=plan.path.name)
    catalog.take_backup("before-import")
    done: dict[str, list[str]] = {"added": [], "merged": [], "skipped": []}
    note = note or f"imported from {plan.path.name}"
    with catalog.writing() as conn:
        for row in plan.rows:
            # A row without a site has problems, and a plan with problems was refused above.
            assert row.site is not None
            if row.action == "skip":
                done["skipped"].append(row.site.id)
                continue
            old: Site | None
            if row.action == "merge":
                target = row.duplicate_of
                assert target is not None, "only a row with a likely duplicate can be merged"
                old = catalog.find(target)
                site = replace(row.site, id=target, status=old.status if old else row.site.status)
                done["merged"].append(target)
            else:
                old, site = None, replace(row.site, status="draft")
                done["added"].append(site.id)
            store.write_sites(conn, [site])
            conn.execute("UPDATE sites SET edited = 1 WHERE id = ?", [site.id])
            store.insert_history(conn, site, note, store.diff(old, site))
            _pause_for_tests()
    return done


def _pause_for_tests() -> None:
    """Lets a test kill the process in the middle of an import (HERITAGE_TRAILS_IMPORT_DELAY)."""
    import os
    import time

    delay = os.environ.get("HERITAGE_TRAILS_IMPORT_DELAY")
    if delay:
        time.sleep(float(delay))
