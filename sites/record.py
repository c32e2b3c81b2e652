"""Text to a ``Site``: the one parser behind the import (CSV and GeoJSON rows) and the editor's
form, so both read numbers, dates, themes and sources the same way and name the field that
cannot be read."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from sites.models import RECORD_KEYS, Site, Source

_NUMBERS = {"lat": float, "lon": float, "visit_minutes": int}
_DATES = ("hours_checked", "last_verified")
_TEXT_REQUIRED = ("id", "name", "town")


def parse_site(
    values: Mapping[str, object], *, required: tuple[str, ...] = (), lenient: bool = False
) -> tuple[Site | None, list[tuple[str, str]]]:
    """A site from text fields, with the problems found as (field, message) pairs.

    ``required`` fields must be present and non-empty, or no site comes back. With
    ``lenient`` (the editor, checking a form as it is typed) a site always comes back: an
    unreadable number reads as 0 and a missing name as "", so every other field can still be
    checked; the problems say which fields those were.
    """
    problems: list[tuple[str, str]] = []
    # Values of mixed types (text, numbers, dates, tuples) that become Site's keyword arguments;
    # Site(**fields) below reports a missing or unknown field as a TypeError.
    fields: dict[str, Any] = {}
    for key in RECORD_KEYS:
        raw = values.get(key)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            continue
        fields[key] = raw
    for key in required:
        if key not in fields:
            problems.append((key, "is required"))
    for key, kind in _NUMBERS.items():
        if key in fields:
            try:
                number = float(str(fields[key]).replace(",", "."))
                fields[key] = int(number) if kind is int else number
            except (TypeError, ValueError, OverflowError):
                problems.append((key, f"{fields.pop(key)!r} is not a number"))
    for key in _DATES:
        if key in fields and not isinstance(fields[key], date):
            try:
                fields[key] = date.fromisoformat(str(fields[key]))
            except ValueError:
                problems.append((key, f"{fields.pop(key)!r} is not a date like 2026-11-29"))
    fields["themes"] = tuple(themes_from(fields.get("themes", ())))
    fields["sources"] = tuple(sources_from(fields.get("sources", ())))
    if lenient:
        for key in _TEXT_REQUIRED:
            fields.setdefault(key, "")
        for key in ("lat", "lon"):
            fields.setdefault(key, 0.0)
    elif any(field in required for field, _ in problems):
        return None, problems
    try:
        return Site(**fields), problems
    except TypeError as error:
        return None, [*problems, ("row", str(error))]


def themes_from(value: object) -> list[str]:
    """Theme ids from a list or from text separated by ``;``."""
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [t.strip() for t in str(value).split(";") if t.strip()]


def sources_from(value: object) -> list[Source]:
    """Sources from a list (of ``{"url", "supports"}`` objects or URLs), or from text: one
    ``url | what it supports`` per line, or joined with `` ; `` as the CSV export writes them."""
    if isinstance(value, list | tuple):
        return [
            Source(str(s["url"]), str(s.get("supports", ""))) if isinstance(s, dict) else Source(str(s))
            for s in value
        ]
    sources = []
    for line in str(value).splitlines():
        for part in line.split(" ; "):
            if part.strip():
                url, _, supports = part.strip().partition("|")
                sources.append(Source(url.strip(), supports.strip()))
    return sources
