"""Text to a ``Site``: the one parser behind the import (CSV and GeoJSON rows) and the editor's
form, so both read numbers, dates, themes and sources the same way and name the field that
cannot be read."""

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from sites.models import RECORD_KEYS, Site, Source

_SURROGATE = re.compile("[\ud800-\udfff]")
_NUMBERS = {"lat": float, "lon": float, "visit_minutes": int, "prominence": int}
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
            if _has_surrogate(raw):
                problems.append((key, "holds a character that is not valid text (a lone surrogate)"))
                continue
            raw = raw.strip()
        if raw is None or raw == "":
            continue
        kind_problem = _kind_problem(key, raw)
        if kind_problem:
            problems.append((key, kind_problem))
            continue
        fields[key] = raw
    for key in required:
        if key not in fields and not any(field == key for field, _ in problems):
            problems.append((key, "is required"))
    for key, kind in _NUMBERS.items():
        if key in fields:
            number = _number(fields[key])
            if number is None:
                problems.append((key, f"{_shown(fields.pop(key))} is not a number"))
            elif not math.isfinite(number):
                problems.append((key, f"{_shown(fields.pop(key))} is not a finite number"))
            else:
                fields[key] = int(number) if kind is int else number
    for key in _DATES:
        if key in fields and not isinstance(fields[key], date):
            try:
                fields[key] = date.fromisoformat(str(fields[key]))
            except ValueError:
                problems.append((key, f"{_shown(fields.pop(key))} is not a date like 2026-11-29"))
    fields["themes"] = tuple(themes_from(fields.get("themes", ())))
    fields["sources"] = tuple(sources_from(fields.get("sources", ())))
    if lenient:
        for key in _TEXT_REQUIRED:
            fields.setdefault(key, "")
        for key in ("lat", "lon"):
            fields.setdefault(key, 0.0)
    elif any(field in required or field in ("themes", "sources") for field, _ in problems):
        return None, problems
    try:
        return Site(**fields), problems
    except TypeError as error:
        return None, [*problems, ("row", str(error))]


def _kind_problem(key: str, value: object) -> str | None:
    """Why a value read from a file (JSON may hold any type) cannot be the field, or None."""
    if key in _NUMBERS:
        ok = isinstance(value, int | float | str) and not isinstance(value, bool)
        return None if ok else f"{_shown(value)} is not a number"
    if key == "themes":
        items = value if isinstance(value, list | tuple) else [value]
        bad = next((item for item in items if not isinstance(item, str) or _has_surrogate(item)), None)
        return None if bad is None else f"{_shown(bad)} is not a theme id"
    if key == "sources":
        return _sources_problem(value)
    if not isinstance(value, str | date):
        return f"must be text, not {_shown(value)}"
    return None


def _sources_problem(value: object) -> str | None:
    items = value if isinstance(value, list | tuple) else [value]
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            url, supports = item.get("url"), item.get("supports", "")
            if not isinstance(url, str) or not url.strip():
                return f'source {number} has no "url" text'
            if not isinstance(supports, str | None):
                return f'source {number}: "supports" must be text'
            texts = [url, supports or ""]
        elif isinstance(item, str):
            texts = [item]
        else:
            return f'source {number} must be a URL or {{"url": …, "supports": …}}, not {_shown(item)}'
        if any(_has_surrogate(text) for text in texts):
            return f"source {number} holds a character that is not valid text (a lone surrogate)"
    return None


def _number(value: object) -> float | None:
    """A number from a JSON number or from text (a decimal comma allowed), or None."""
    try:
        return float(value) if isinstance(value, int | float) else float(str(value).replace(",", "."))
    except (TypeError, ValueError, OverflowError):
        return None


def coordinates(values: Mapping[str, object]) -> tuple[float, float] | None:
    """A row's ``lat`` and ``lon`` when both read as finite numbers, else None (the parse then
    says which cannot be read); the import finds a missing town from them."""
    lat, lon = (_number(values.get(key)) for key in ("lat", "lon"))
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return lat, lon


def _has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def _shown(value: object) -> str:
    """A value as a message shows it: short, and safe whatever it holds."""
    try:
        text = (
            repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "a number too long to read"
        )
    except ValueError:  # an int of thousands of digits cannot even be turned into text
        text = "a number too long to read"
    text = text.encode("ascii", "backslashreplace").decode("ascii")
    return text if len(text) <= 60 else text[:57] + "..."


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
            Source(str(s["url"]).strip(), str(s.get("supports") or "").strip())
            if isinstance(s, dict)
            else Source(str(s).strip())
            for s in value
        ]
    sources = []
    for line in str(value).splitlines():
        for part in line.split(" ; "):
            if part.strip():
                sources.append(_source_from_text(part.strip()))
    return sources


def _source_from_text(text: str) -> Source:
    """``url | supports`` (the editor and the CSV export); a URL holds no space, so it ends at
    the first " |". Older exports wrote ``url|supports``, read at the first "|"."""
    url, separator, supports = text.partition(" |")
    if not separator:
        url, _, supports = text.partition("|")
    return Source(url.strip(), supports.strip())
