"""The curator's commands: import, validate, publish and unpublish, show, audit, history,
revert, and backups."""

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path

from sites import backups, curation, importer
from sites.audit import health
from sites.catalog import Catalog
from sites.errors import NotFoundError


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
    errors = 0
    for site in catalog.all_sites():
        for problem in curation.site_problems(catalog, site):  # the hard rules, graded by status
            blocking = problem.severity == "error" and site.status == "published"
            errors += blocking
            print(f"{site.id}: {problem.severity}: {problem}")
    for site_id in catalog.bundled_review():
        print(f"{site_id}: review: the bundled catalog changed this site, which a curator had edited")
    count = len(catalog.all_sites())
    print(f"{count} sites checked, {errors} error(s) in published sites.", file=sys.stderr)
    return 1 if errors else 0


def publish(catalog: Catalog, args: argparse.Namespace) -> int:
    """Publish drafts that keep every hard rule; name the reason for each one refused.

    Exit 1 when any site named could not be published (the others are published).
    """
    return _set_status(catalog, args, "published")


def unpublish(catalog: Catalog, args: argparse.Namespace) -> int:
    """Take published sites back to draft (travelers no longer see them)."""
    return _set_status(catalog, args, "draft")


def _set_status(catalog: Catalog, args: argparse.Namespace, status: str) -> int:
    ids = list(dict.fromkeys(args.ids))
    if getattr(args, "all_drafts", False):
        ids += [s.id for s in catalog.all_sites() if s.status == "draft" and s.id not in ids]
    if not ids:
        hint = " or --all-drafts" if status == "published" else ""
        print(f"Name the sites to {_VERB[status]} (their ids){hint}.", file=sys.stderr)
        return 1
    done, refused = 0, 0
    for site_id in ids:
        try:
            site = catalog.site(site_id)
        except NotFoundError as error:
            print(printable(f"{site_id}: refused: {error}"))
            refused += 1
            continue
        if site.status == status:
            print(f"{site_id}: already {'published' if status == 'published' else 'a draft'}")
            continue
        blockers = curation.publish_blockers(catalog, site) if status == "published" else []
        if blockers:
            print(f"{site_id}: refused: " + "; ".join(str(p) for p in blockers))
            refused += 1
            continue
        if args.dry_run:
            print(f"{site_id}: would be {_DONE[status]}")
        else:
            version = curation.set_status(catalog, site_id, status, args.note or "")
            print(f"{site_id}: {_DONE[status]} (version {version})")
        done += 1
    what = f"would be {_DONE[status]}" if args.dry_run else _DONE[status]
    print(
        f"{done} site(s) {what}, {refused} refused"
        + ("; dry run: nothing was changed." if args.dry_run else "."),
        file=sys.stderr,
    )
    return 1 if refused else 0


_VERB = {"published": "publish", "draft": "unpublish"}
_DONE = {"published": "published", "draft": "taken back to draft"}


def show_site(catalog: Catalog, args: argparse.Namespace) -> int:
    """Print one site (drafts too): every field, its version, and what blocks publishing."""
    site = catalog.site(args.id)
    history = curation.history(catalog, site.id)
    blockers = [str(p) for p in curation.publish_blockers(catalog, site)]
    warnings = [str(p) for p in curation.site_problems(catalog, site) if p.severity == "warning"]
    if args.json:
        record = {
            **site.to_record(),
            "version": history[-1].version if history else 0,
            "changed_at": history[-1].changed_at if history else None,
            "publish_blockers": blockers,
            "warnings": warnings,
        }
        print(json_text(record))
        return 0
    for field, value in site.to_record().items():
        if field == "sources":
            value = "; ".join(f"{s['url']} ({s['supports']})" if s["supports"] else s["url"] for s in value)
        elif isinstance(value, list):
            value = ", ".join(value)
        print(f"{field:<16}{'' if value is None else value}")
    if history:
        last = history[-1]
        print(f"{'version':<16}{last.version} ({last.changed_at}, {last.note})")
    for line in blockers:
        print(f"blocks publishing: {line}")
    for line in warnings:
        print(f"warning: {line}")
    return 0


def audit(catalog: Catalog, args: argparse.Namespace) -> int:
    """The catalog's health (approximate points, unconfirmed hours, weak sources, missing
    Wikidata ids, stale entries), then what blocks publishing, per draft and per published
    site; exit 1 if a published site breaks a hard rule (drafts with blockers are listed)."""
    sites = catalog.all_sites()
    report = health(sites, date.today())
    ready, blocked, broken, lines = [], 0, 0, []
    for site in sites:
        blockers = curation.publish_blockers(catalog, site)
        if not blockers:
            if site.status == "draft":
                ready.append(site.id)
            continue
        blocked += site.status == "draft"
        broken += site.status == "published"
        lines += [f"{site.id} ({site.status}): {problem}" for problem in blockers]
    if args.json:
        data = report.to_json() | {"publish_blockers": lines, "ready_to_publish": ready}
        sys.stdout.write(json_text(data) + "\n")
        return 1 if broken else 0
    print("Catalog health:")
    for name, count in report.counts().items():
        print(f"  {name:<32} {count}")
    for title, ids in (
        ("Approximate points (town centre)", report.approximate),
        ("Hours not confirmed", report.unconfirmed_hours),
        ("Not verified for a year", report.stale),
    ):
        if ids:
            print(f"{title}: {', '.join(ids)}")
    for site_id, weak in report.weak_sources.items():
        for item in weak:
            print(f"Weak source of {site_id}: {item}")
    print()
    for line in lines:
        print(line)
    for site_id in ready:
        print(f"{site_id} (draft): ready to publish")
    print(
        f"{len(ready)} draft(s) ready to publish, {blocked} draft(s) blocked, "
        f"{broken} published site(s) breaking a rule.",
        file=sys.stderr,
    )
    return 1 if broken else 0


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
            print(printable(f"There are no backups of {path} yet."), file=sys.stderr)
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


#: Characters JSON lets through raw that a terminal may act on (C1 controls) or that break a
#: line in JavaScript readers (U+2028, U+2029).
_RAW_IN_JSON = re.compile("[\u0080-\u009f\u2028\u2029]")


def json_text(data) -> str:
    """Data as readable JSON (UTF-8, indented) with every character a terminal could act on
    escaped: ``ensure_ascii=False`` alone lets C1 control characters through."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _short(value) -> str:
    text = printable(repr(value))
    return text if len(text) <= 80 else text[:77] + "..."
