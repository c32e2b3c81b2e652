"""Read the bundled catalog (diffable JSON text in resources/catalog)."""

import json
from pathlib import Path

from sites.errors import ValidationError
from sites.models import Site, Theme, Trail


def read_themes(folder: Path) -> list[Theme]:
    """The themes in ``themes.json``, in their listed order."""
    records = _read_json(folder / "themes.json")
    return [Theme(**record) for record in records]


def read_sites(folder: Path) -> list[Site]:
    """Every site in ``sites/*.json``, ordered by id; a broken file names itself."""
    sites = []
    for path in sorted((folder / "sites").glob("*.json")):
        record = _read_json(path)
        try:
            site = Site.from_record(record)
        except (KeyError, TypeError, ValueError) as error:
            raise ValidationError([str(error)], where=str(path.name)) from None
        if site.id != path.stem:
            raise ValidationError([f"id {site.id!r} differs from the file name"], where=path.name)
        sites.append(site)
    return sites


def read_trails(folder: Path) -> list[Trail]:
    """The curated trails in ``trails.json`` (none if the file is absent), each site with the
    day it is visited on; a malformed trail or one whose days do not add up names itself."""
    path = folder / "trails.json"
    if not path.exists():
        return []
    trails = []
    for record in _read_json(path):
        where = f"{path.name}: trail {record.get('id', '?')!r}" if isinstance(record, dict) else path.name
        try:
            trail = Trail.from_record(record)
        except (TypeError, ValueError) as error:
            raise ValidationError([str(error)], where=where) from None
        problems = trail.problems()
        if problems:
            raise ValidationError(problems, where=where)
        trails.append(trail)
    return trails


def write_trails(folder: Path, trails: list[Trail]) -> Path:
    """Write ``trails.json`` as the bundled catalog holds it (used when curating the bundle)."""
    path = folder / "trails.json"
    records = [trail.to_record() for trail in trails]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_site(folder: Path, site: Site) -> Path:
    """Write one site as the bundled catalog holds it (used when curating the bundle)."""
    path = folder / "sites" / f"{site.id}.json"
    path.write_text(json.dumps(site.to_record(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValidationError(
            [f"line {error.lineno}, column {error.colno}: {error.msg}"], where=path.name
        ) from None
