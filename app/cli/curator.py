"""The curator's commands: import, validate, history, revert, and backups."""

import argparse
import sys
from pathlib import Path

from sites import backups, curation, importer
from sites.catalog import Catalog
from sites.validation import validate_site


def import_sites(catalog: Catalog, args: argparse.Namespace) -> int:
    """Preview a CSV or GeoJSON import (each row's action, each merge's changes field by field,
    every warning) and, unless --dry-run, apply it all or not at all, showing progress."""
    plan = importer.plan_import(catalog, args.file)
    for row in plan.rows:
        site_id = printable(row.site.id) if row.site else "?"
        if row.problems:
            status = "BAD"
        elif row.deleted and row.action == "add":
            status = "restore (a deleted site, back as a draft)"
        elif row.duplicate_of and row.action != "merge":
            status = f"{row.action} (like {row.duplicate_of})"
        else:
            status = row.action
        print(f"row {row.number:>4}  {site_id:<45} {status}")
        if row.action in ("merge", "add") and row.changes and not row.problems:
            for name, (old, new) in row.changes.items():
                print(f"          {name}: {_short(old)} -> {_short(new)}")
    for line in plan.warnings():
        print(printable(line), file=sys.stderr)
    problems = plan.problems()
    for line in problems:
        print(printable(line), file=sys.stderr)
    if problems:
        print(
            f"{len(plan.bad_rows)} of {len(plan.rows)} rows have problems: nothing was imported.",
            file=sys.stderr,
        )
        return 1
    if args.dry_run:
        print(f"Dry run: {len(plan.rows)} rows would be imported; nothing was changed.", file=sys.stderr)
        return 0

    def progress(done: int, total: int) -> None:
        print(f"Applying: {done:,} of {total:,} rows", file=sys.stderr, flush=True)

    done = importer.apply_import(catalog, plan, args.note or "", progress=progress)
    restored = f", {len(done['restored'])} deleted site(s) back as drafts" if done["restored"] else ""
    print(
        f"Imported: {len(done['added'])} added as drafts, {len(done['merged'])} merged{restored}, "
        f"{len(done['skipped'])} skipped as likely duplicates. A backup was taken first.",
        file=sys.stderr,
    )
    return 0


def validate_catalog(catalog: Catalog, args: argparse.Namespace) -> int:
    """Check every site (drafts included); exit 1 if any published site has an error."""
    theme_ids = {t.id for t in catalog.themes()}
    errors = 0
    for site in catalog.all_sites():
        for problem in validate_site(site, theme_ids):
            blocking = problem.severity == "error" and site.status == "published"
            errors += blocking
            print(f"{site.id}: {problem.severity}: {problem}")
    for site_id in catalog.bundled_review():
        print(f"{site_id}: review: the bundled catalog changed this site, which a curator had edited")
    count = len(catalog.all_sites())
    print(f"{count} sites checked, {errors} error(s) in published sites.", file=sys.stderr)
    return 1 if errors else 0


def site_history(catalog: Catalog, args: argparse.Namespace) -> int:
    """Print every version of a site: when, the note, and each field's old and new value."""
    for change in curation.history(catalog, args.id):
        print(f"version {change.version}  {change.changed_at}  {change.note}")
        for field, (old, new) in change.changes.items():
            print(f"    {field}: {_short(old)} -> {_short(new)}")
    return 0


def revert_site(catalog: Catalog, args: argparse.Namespace) -> int:
    """Make a site as it was at a version."""
    version = curation.revert(catalog, args.id, args.version, args.note or "")
    print(
        f"{args.id} is as it was at version {args.version} (recorded as version {version}).", file=sys.stderr
    )
    return 0


def backup(path: Path, args: argparse.Namespace) -> int:
    """List the catalog's backups, take one, or restore one (the newest by default).

    Listing and restoring never open the catalog itself, so they work when it is damaged.
    """
    if args.action == "list":
        items = backups.list_backups(path)
        if not items:
            print(f"There are no backups of {path} yet.", file=sys.stderr)
        for item in items:
            print(f"{item.name}\t{item.taken}\t{item.size // 1024} kB")
        return 0
    if args.action == "create":
        with Catalog.open(path) as catalog:
            item = catalog.take_backup("manual")
        print(f"Backed up to {item.path}", file=sys.stderr)
        return 0
    done = backups.restore_file(path, args.name)
    if done.kept_aside is None:
        print(
            f"Restored {done.backup.name} (the catalog as it was just before is kept as a backup too).",
            file=sys.stderr,
        )
    else:
        print(
            f"Restored {done.backup.name}; the file that was there is kept as {done.kept_aside}.",
            file=sys.stderr,
        )
    return 0


def printable(text: str) -> str:
    """Text with any control character (an escape code from a file) shown as ``\\x1b``, never
    sent to the terminal raw."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode() for ch in text
    )


def _short(value) -> str:
    text = printable(repr(value))
    return text if len(text) <= 80 else text[:77] + "..."
