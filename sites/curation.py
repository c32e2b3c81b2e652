"""Curators' changes to the catalog: every edit validated, recorded in the site's history
(when, which fields, old and new values, a note) and revertible; deletion is soft."""

import json
from dataclasses import dataclass, replace
from pathlib import Path

from sites import bundled, paths, store
from sites.catalog import Catalog
from sites.errors import HeritageError, NotFoundError, ValidationError
from sites.geography import OUTLINE_TOLERANCE_KM
from sites.models import STATUSES, Site
from sites.validation import Problem, validate_site

#: Problems that only block publishing; a draft may be saved with them.
PUBLISH_ONLY = {"sources", "summary", "last_verified"}

#: Why a place warning stops a published site (a draft keeps it as a warning).
PLACE_RULE = (
    f"a published site must lie inside Serbia (at most {OUTLINE_TOLERANCE_KM:g} km beyond its border) "
    "and within its town's radius: fix the place, or keep the site as a draft"
)


class ConflictError(HeritageError):
    """A site changed elsewhere since the curator opened it."""


@dataclass(frozen=True)
class Change:
    """One recorded version of a site."""

    version: int
    changed_at: str
    note: str
    changes: dict[str, tuple[object, object]]  # field -> (old, new)
    snapshot: dict


def site_problems(catalog: Catalog, site: Site) -> list[Problem]:
    """Every problem with a site, graded for its status, errors first.

    Hard rules block saving a published site: completeness (sources, summary, the date it
    was checked) and its place (inside Serbia's outline, beyond the margin, and within its
    town's radius). A draft may be saved with those; they come back as warnings.
    """
    theme_ids = {t.id for t in catalog.themes()}
    problems = validate_site(site, theme_ids)
    graded = []
    for problem in problems:
        # A draft may still lack what only publishing needs, themes included (a spreadsheet
        # import brings drafts without them); a theme that does not exist stays an error.
        lacks_themes = problem.field == "themes" and not site.themes
        if (
            site.status == "draft"
            and (problem.field in PUBLISH_ONLY or lacks_themes)
            and problem.severity == "error"
        ):
            problem = Problem(problem.field, problem.message, "warning")
        elif site.status != "draft" and problem.field == "lat" and problem.severity == "warning":
            # The only warnings validation gives are about the place (``geography.place_warnings``).
            problem = Problem(problem.field, f"{problem.message}; {PLACE_RULE}")
        graded.append(problem)
    if site.status not in STATUSES:
        graded.append(Problem("status", f"must be one of {', '.join(STATUSES)}"))
    return sorted(graded, key=lambda p: p.severity != "error")


def publish_blockers(catalog: Catalog, site: Site) -> list[Problem]:
    """What stops a site from being published (nothing: it may be published as it is)."""
    return [p for p in site_problems(catalog, replace(site, status="published")) if p.severity == "error"]


def check_for_save(catalog: Catalog, site: Site) -> None:
    """Raise ValidationError unless the site may be stored (a published site keeps every hard rule)."""
    problems = [p for p in site_problems(catalog, site) if p.severity == "error"]
    if problems:
        raise ValidationError([str(p) for p in problems], where=site.id)


def record(catalog: Catalog, old: Site | None, new: Site, note: str = "", *, edited: bool = True) -> int:
    """Store a site and its history entry in one transaction; returns the new version number."""
    changes = store.diff(old, new)
    if old is not None and not changes:
        return latest_version(catalog, new.id)
    check_for_save(catalog, new)
    with catalog.writing() as conn:
        store.write_sites(conn, [new])
        version = store.insert_history(conn, new, note, changes)
        if edited:
            conn.execute("UPDATE sites SET edited = 1 WHERE id = ?", [new.id])
    return version


def latest_version(catalog: Catalog, site_id: str) -> int:
    """The newest version number of a site's history (0 when it has none)."""
    return store.latest_version(catalog.db.conn, site_id)


def edit(catalog: Catalog, site: Site, note: str = "", expected_version: int | None = None) -> int:
    """Save a changed site (it must exist); returns its new version.

    With ``expected_version`` (the version the curator started from), a site changed
    meanwhile by another window or the CLI is not overwritten: ConflictError says so.
    """
    if expected_version is not None and latest_version(catalog, site.id) != expected_version:
        raise ConflictError(
            f"{site.id} was changed elsewhere (now at version {latest_version(catalog, site.id)}, "
            f"you started from {expected_version}); reopen it to see the change, then edit again"
        )
    return record(catalog, catalog.site(site.id), site, note)


def create(catalog: Catalog, site: Site, note: str = "created") -> int:
    """Add a new site (as a draft unless it says otherwise)."""
    if _exists(catalog, site.id):
        raise ValidationError([f"id {site.id!r} is already taken"], where=site.id)
    return record(catalog, None, site, note)


def duplicate(catalog: Catalog, site_id: str) -> Site:
    """A draft copy of a site under a free id, stored; returns it."""
    original = catalog.site(site_id)
    new_id, n = f"{site_id}-copy", 2
    while _exists(catalog, new_id):
        new_id, n = f"{site_id}-copy-{n}", n + 1
    copy = replace(original, id=new_id, name=f"{original.name} (copy)", status="draft", part_of=None)
    record(catalog, None, copy, f"duplicated from {site_id}")
    return copy


def set_status(catalog: Catalog, site_id: str, status: str, note: str = "") -> int:
    """Publish a draft or take a site back to draft; publishing checks every rule."""
    site = catalog.site(site_id)
    return record(catalog, site, replace(site, status=status), note or status)


def delete(catalog: Catalog, site_id: str, note: str = "deleted") -> None:
    """Soft-delete a site: it leaves lists, searches and plans, and can be restored."""
    site = catalog.site(site_id)
    with catalog.writing() as conn:
        conn.execute("UPDATE sites SET deleted_at = ? WHERE id = ?", [store.now(), site_id])
        store.delete_search_rows(conn, [site_id])
        store.insert_history(conn, site, note, {"deleted": (False, True)})


def restore(catalog: Catalog, site_id: str, note: str = "restored") -> None:
    """Bring back a soft-deleted site."""
    site = deleted_site(catalog, site_id)
    with catalog.writing() as conn:
        conn.execute("UPDATE sites SET deleted_at = NULL WHERE id = ?", [site_id])
        store.add_search_rows(conn, [site])
        store.insert_history(conn, site, note, {"deleted": (True, False)})


def deleted_sites(catalog: Catalog) -> list[str]:
    """Ids of the soft-deleted sites."""
    return [r[0] for r in catalog.db.execute("SELECT id FROM sites WHERE deleted_at IS NOT NULL ORDER BY id")]


def deleted_site(catalog: Catalog, site_id: str) -> Site:
    """A soft-deleted site as it was when deleted."""
    row = catalog.db.execute(
        "SELECT snapshot FROM site_history WHERE site_id = ? ORDER BY version DESC LIMIT 1", [site_id]
    ).fetchone()
    if site_id not in deleted_sites(catalog) or row is None:
        raise NotFoundError(f"There is no deleted site {site_id!r}")
    return Site.from_record(json.loads(row[0]))


def history(catalog: Catalog, site_id: str) -> list[Change]:
    """Every recorded version of a site, oldest first."""
    rows = catalog.db.execute(
        "SELECT version, changed_at, note, changes, snapshot FROM site_history "
        "WHERE site_id = ? ORDER BY version",
        [site_id],
    ).fetchall()
    if not rows and not _exists(catalog, site_id):
        raise NotFoundError(f"There is no site {site_id!r} in the catalog")
    return [
        Change(v, at, note or "", {k: tuple(p) for k, p in json.loads(changes).items()}, json.loads(snapshot))
        for v, at, note, changes, snapshot in rows
    ]


def revert(catalog: Catalog, site_id: str, version: int, note: str = "") -> int:
    """Make a site as it was at a version (recorded as a new version)."""
    versions = {c.version: c for c in history(catalog, site_id)}
    if version not in versions:
        raise NotFoundError(
            f"{site_id} has no version {version}; versions are 1 to {max(versions, default=0)}"
        )
    target = Site.from_record(versions[version].snapshot)
    return record(catalog, catalog.site(site_id), target, note or f"reverted to version {version}")


def _exists(catalog: Catalog, site_id: str) -> bool:
    return catalog.db.execute("SELECT 1 FROM sites WHERE id = ?", [site_id]).fetchone() is not None


@dataclass(frozen=True)
class BundledChange:
    """A site the bundled catalog changed after a curator edited it: both versions, and the
    fields where they differ."""

    mine: Site
    bundle: Site
    fields: tuple[str, ...]


def bundled_changes(catalog: Catalog, folder: Path | None = None) -> list[BundledChange]:
    """The sites waiting for review after a bundled-catalog update (deleted ones left out)."""
    waiting = set(catalog.bundled_review())
    if not waiting:
        return []
    bundle = {s.id: s for s in bundled.read_sites(folder or paths.bundled_catalog_dir()) if s.id in waiting}
    changes = []
    for site_id in sorted(waiting & set(bundle)):
        mine = catalog.find(site_id)
        if mine is not None:
            fields = tuple(store.diff(mine, bundle[site_id]))
            changes.append(BundledChange(mine, bundle[site_id], fields))
    return changes


def resolve_bundled(catalog: Catalog, change: BundledChange, take: set[str]) -> int:
    """Settle a reviewed site: the bundle's value for the fields in ``take``, the curator's for
    the rest; recorded in its history, and no longer waiting for review. Returns its version."""
    unknown = take - set(change.fields)
    if unknown:
        problem = f"the bundle did not change {', '.join(sorted(unknown))}"
        raise ValidationError([problem], where=change.mine.id)
    theirs = change.bundle.to_record()
    merged = Site.from_record({**change.mine.to_record(), **{f: theirs[f] for f in take}})
    kept = [f for f in change.fields if f not in take]
    note = "bundled review: " + "; ".join(
        part
        for part in (
            f"took the bundle's {', '.join(sorted(take))}" if take else "",
            f"kept mine for {', '.join(kept)}" if kept else "",
        )
        if part
    )
    version = record(catalog, change.mine, merged, note, edited=bool(kept))
    with catalog.writing() as conn:
        conn.execute(
            "UPDATE sites SET bundled_hash = ?, edited = ? WHERE id = ?",
            [store.record_hash(change.bundle), int(bool(kept)), merged.id],
        )
        waiting = [s for s in catalog.bundled_review() if s != merged.id]
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('bundled_review', ?)", [json.dumps(waiting)]
        )
    return version
