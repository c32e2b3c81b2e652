"""The bundled catalog brought into a catalog file: on first run whole, and after an update
only where no curator has edited the site (those are kept and listed for review)."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from sites import bundled, store


@dataclass(frozen=True)
class SyncReport:
    """What a new bundled catalog changed: sites added, sites updated, and sites a curator
    edited that the bundle also changed (kept as they are, listed for review)."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    review: tuple[str, ...] = ()


def sync_bundled(db: Database, path: str, folder: Path) -> SyncReport:
    """Bring a catalog file up to a (new) bundled catalog without overwriting any curator's work."""
    digest = hashlib.sha256()
    for json_path in sorted(folder.rglob("*.json")):
        digest.update(json_path.name.encode() + json_path.read_bytes())
    fingerprint = digest.hexdigest()
    row = db.execute("SELECT value FROM meta WHERE key = 'bundled_digest'").fetchone()
    if row and row[0] == fingerprint:
        return SyncReport()
    themes, sites, trails = (
        bundled.read_themes(folder),
        bundled.read_sites(folder),
        bundled.read_trails(folder),
    )
    known = {
        site_id: (bundled_hash, edited, deleted)
        for site_id, bundled_hash, edited, deleted in db.execute(
            "SELECT id, bundled_hash, edited, deleted_at FROM sites"
        )
    }
    added: list[str] = []
    updated: list[str] = []
    review: list[str] = []
    with store.transaction(db, path):
        conn = db.conn
        store.write_themes(conn, themes)
        for site in sites:
            fingerprint_of_site = store.record_hash(site)
            if site.id in known:
                old_hash, edited, deleted = known[site.id]
                if old_hash == fingerprint_of_site:
                    continue
                if edited or deleted:
                    review.append(site.id)
                    continue
                note, bucket = "updated from the bundled catalog", updated
            else:
                note, bucket = "added from the bundled catalog", added
            old = store.load_site(conn, site.id) if site.id in known else None
            store.write_sites(conn, [site])
            conn.execute(
                "UPDATE sites SET bundled_hash = ?, edited = 0 WHERE id = ?", [fingerprint_of_site, site.id]
            )
            store.insert_history(conn, site, note, store.diff(old, site))
            bucket.append(site.id)
        upserts = [("bundled_digest", fingerprint), ("bundled_review", json.dumps(sorted(set(review))))]
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", upserts)
        store.write_trails(conn, trails)
    return SyncReport(tuple(added), tuple(updated), tuple(sorted(set(review))))


def bundled_review(db: Database) -> list[str]:
    """Sites a curator edited that the latest bundled catalog also changed."""
    row = db.execute("SELECT value FROM meta WHERE key = 'bundled_review'").fetchone()
    return json.loads(row[0]) if row else []
