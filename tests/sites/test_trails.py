"""Curated trails and their days: from trails.json to the catalog file and back, the trails a
curator's mistake makes the app refuse, and a catalog built before trails had days."""

import json
import shutil
import sqlite3

import pytest
from sqlite_utils import Database

from sites import paths, store, sync
from sites.bundled import read_trails, write_trails
from sites.catalog import Catalog
from sites.errors import ValidationError
from sites.schema import migrations

BUNDLED = paths.bundled_catalog_dir()
#: A site a curator edited in the older catalog.
EDITED = "vucje-hydroelectric-plant"


def days_in_file(folder) -> dict[str, list[tuple[str, int]]]:
    """Each trail's (site, day) pairs as the JSON parser reads trails.json, not our reader."""
    records = json.loads((folder / "trails.json").read_text(encoding="utf-8"))
    return {r["id"]: [(entry["id"], entry["day"]) for entry in r["sites"]] for r in records}


def days_of(trails) -> dict[str, list[tuple[str, int]]]:
    return {t.id: list(zip(t.sites, t.site_days, strict=True)) for t in trails}


def test_days_travel_from_the_bundle_to_the_catalog_file_and_back(bundled_catalog):
    expected = days_in_file(BUNDLED)
    assert days_of(read_trails(BUNDLED)) == expected
    assert days_of(bundled_catalog.trails()) == expected
    # Every trail of more than one day really is split, not left on day 1.
    for trail in bundled_catalog.trails():
        assert set(trail.site_days) == set(range(1, trail.days + 1)), trail.id


def test_a_trail_says_which_day_a_site_is_on(bundled_catalog):
    halyard = bundled_catalog.trail("halyard")
    pairs = dict(days_in_file(BUNDLED)["halyard"])
    for site_id, day in pairs.items():
        assert halyard.day_of(site_id) == day
    assert halyard.day_of("nikola-tesla-museum") is None
    # The ordered ids are what they were, for callers that ignore days.
    assert list(halyard.sites) == list(pairs)


def test_writing_the_trails_back_keeps_the_file_as_it_is(tmp_path):
    write_trails(tmp_path, read_trails(BUNDLED))
    written = (tmp_path / "trails.json").read_bytes()
    assert written == (BUNDLED / "trails.json").read_bytes()


@pytest.fixture
def bundle(tmp_path):
    """A copy of the bundled catalog whose trails a test may break."""
    folder = tmp_path / "bundle"
    shutil.copytree(BUNDLED, folder)
    return folder


def edit_trail(folder, trail_id, change) -> None:
    """Change one trail's record in trails.json as a curator would, in a text editor."""
    path = folder / "trails.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    change(next(r for r in records if r["id"] == trail_id))
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def set_day(index, day):
    def change(record):
        record["sites"][index]["day"] = day

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (set_day(-1, 3), "site 'koceljeva-svileuva-halyard-airfield' is on day 3, outside 1..2"),
        (set_day(0, 0), "site 'museum-of-rudnik-takovo-region' is on day 0, outside 1..2"),
        (set_day(0, "1"), "site 'museum-of-rudnik-takovo-region' has day '1', which is not a whole number"),
        (set_day(0, True), "has day True, which is not a whole number"),
        (lambda r: [entry.update(day=1) for entry in r["sites"]], "day 2 has no site"),
        (lambda r: r.update(days=4), "days 3, 4 have no site"),
        (lambda r: r["sites"].append(dict(r["sites"][0], day=2)),
         "site 'museum-of-rudnik-takovo-region' appears more than once"),
        (lambda r: r["sites"].reverse(), "(day 1) is listed after a site of day 2"),
        (lambda r: r["sites"].__setitem__(0, "museum-of-rudnik-takovo-region"),
         'site 1 must be {"id": …, "day": …}, not "museum-of-rudnik-takovo-region"'),
        (lambda r: r["sites"][0].pop("day"), 'site 1 must be {"id": …, "day": …}'),
        (lambda r: r.pop("days"), "missing field(s) days"),
    ],
)  # fmt: skip
def test_a_trail_whose_days_do_not_add_up_is_refused_by_name(bundle, change, message):
    edit_trail(bundle, "halyard", change)
    with pytest.raises(ValidationError) as raised:
        read_trails(bundle)
    assert str(raised.value).startswith("trails.json: trail 'halyard': ")
    assert message in str(raised.value)


def test_a_bundle_with_a_broken_trail_builds_no_catalog(bundle, tmp_path):
    edit_trail(bundle, "nis", set_day(0, 5))
    with pytest.raises(ValidationError, match=r"trail 'nis': site 'nis-fortress-nisville' is on day 5"):
        Catalog.open(tmp_path / "catalog.db", bundled_dir=bundle)
    assert not (tmp_path / "catalog.db").exists()


def test_the_catalog_refuses_to_store_a_trail_whose_days_do_not_add_up(tmp_path):
    with Catalog.open(tmp_path / "catalog.db") as catalog:
        halyard = catalog.trail("halyard")
        broken = type(halyard)(**{**halyard.__dict__, "site_days": (1,) * len(halyard.sites)})
        with pytest.raises(ValidationError, match="Trail 'halyard': day 2 has no site"):
            catalog.save_trails([broken])
        assert catalog.trail("halyard") == halyard


# -- a catalog built before trails had days ----------------------------------------------------


def write_trails_without_days(conn, trails) -> None:
    """``store.write_trails`` as it was before trail days: what an older app wrote."""
    trails = list(trails)
    conn.executemany("DELETE FROM trail_sites WHERE trail_id = ?", [(t.id,) for t in trails])
    conn.executemany(
        "INSERT OR REPLACE INTO trails (id, title, story, days, base, position) VALUES (?, ?, ?, ?, ?, ?)",
        [(t.id, t.title, t.story, t.days, t.base, n) for n, t in enumerate(trails)],
    )
    conn.executemany(
        "INSERT INTO trail_sites (trail_id, position, site_id) VALUES (?, ?, ?)",
        [(t.id, n, site_id) for t in trails for n, site_id in enumerate(t.sites)],
    )


@pytest.fixture
def catalog_before_days(tmp_path, monkeypatch):
    """A catalog file as the app wrote it before trail days: the schema up to the previous
    migration, built from this very bundle (so its fingerprint matches), with a curator's edit."""
    path = tmp_path / "catalog.db"
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m004_trail_days")
    with monkeypatch.context() as patch:
        patch.setattr(store, "write_trails", write_trails_without_days)
        # Nor had sites a search prominence then (migration m005).
        patch.setattr(store, "_SITE_COLUMNS", [c for c in store._SITE_COLUMNS if c != "prominence"])
        sync.sync_bundled(db, str(path), BUNDLED)
    db.table("meta").upsert({"key": "built_from", "value": "bundled"}, pk="key")
    with db.conn:
        db.execute("UPDATE sites SET name = ?, edited = 1 WHERE id = ?", ["Renamed by a curator", EDITED])
    assert "day" not in db.table("trail_sites").columns_dict
    db.close()
    return path


def test_a_catalog_built_before_trail_days_gets_them_when_opened(catalog_before_days):
    with Catalog.open(catalog_before_days) as catalog:
        assert days_of(catalog.trails()) == days_in_file(BUNDLED)
        # Only the trails were rewritten: no site came in again, and the curator's edit stays.
        assert (catalog.last_sync.added, catalog.last_sync.updated) == ((), ())
        assert catalog.site(EDITED).name == "Renamed by a curator"
    # And the days stay on later runs, when the bundle is not read again.
    with Catalog.open(catalog_before_days) as catalog:
        assert catalog.last_sync == sync.SyncReport()
        assert catalog.trail("wwi").day_of("avala-monument-to-the-unknown-hero") == 2


def test_trails_without_days_say_how_to_get_them(catalog_before_days):
    unsynced = r"Trail '[a-z-]+': the days of its sites are not in this catalog yet; opening the catalog"
    with (
        Catalog.open(catalog_before_days, sync=False) as catalog,
        pytest.raises(ValidationError, match=unsynced),
    ):
        catalog.trails()
