"""Curators' edits: validated, recorded with their history, revertible; drafts stay hidden."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from sites import curation, importer, paths
from sites.catalog import Catalog
from sites.errors import NotFoundError, ValidationError
from sites.export import to_csv

TESLA = "nikola-tesla-museum"


def test_an_edit_is_recorded_with_old_and_new_values_and_can_be_reverted(catalog):
    site = catalog.site(TESLA)
    assert [c.note for c in curation.history(catalog, TESLA)] == ["added from the bundled catalog"]
    version = curation.edit(catalog, replace(site, visit_minutes=75, admission="1000 RSD"), "new prices")
    assert version == 2
    change = curation.history(catalog, TESLA)[-1]
    assert change.note == "new prices"
    assert change.changes == {
        "visit_minutes": (site.visit_minutes, 75),
        "admission": (site.admission, "1000 RSD"),
    }
    curation.revert(catalog, TESLA, 1)
    assert catalog.site(TESLA) == site
    assert [c.version for c in curation.history(catalog, TESLA)] == [1, 2, 3]


def test_history_survives_a_restart(tmp_path):
    path = tmp_path / "catalog.db"
    with Catalog.open(path) as catalog:
        curation.edit(catalog, replace(catalog.site(TESLA), visit_minutes=90), "longer")
    with Catalog.open(path) as catalog:
        assert curation.history(catalog, TESLA)[-1].changes["visit_minutes"][1] == 90
        assert catalog.site(TESLA).visit_minutes == 90


def test_an_invalid_edit_is_refused_and_changes_nothing(catalog):
    site = catalog.site(TESLA)
    with pytest.raises(ValidationError, match=r"latitude 95\.0 is outside"):
        curation.edit(catalog, replace(site, lat=95.0))
    with pytest.raises(ValidationError, match="cannot be read from character"):
        curation.edit(catalog, replace(site, opening_hours="Mo-Fr 10:00-"))
    assert catalog.site(TESLA) == site
    assert len(curation.history(catalog, TESLA)) == 1


def test_drafts_are_hidden_from_travelers_and_need_sources_to_publish(catalog):
    site = replace(
        catalog.site(TESLA), id="tesla-draft", name="Tesla Draft Museum", sources=(), status="draft"
    )
    curation.create(catalog, site)
    assert "tesla-draft" not in [s.id for s in catalog.sites()]
    assert "tesla-draft" in [s.id for s in catalog.all_sites()]
    assert "tesla-draft" not in [r.site.id for r in catalog.search("draft museum")]
    assert "tesla-draft" in [r.site.id for r in catalog.search("draft museum", drafts=True)]
    with pytest.raises(ValidationError, match="at least one source"):
        curation.set_status(catalog, "tesla-draft", "published")
    curation.edit(catalog, replace(site, sources=catalog.site(TESLA).sources))
    curation.set_status(catalog, "tesla-draft", "published")
    assert "tesla-draft" in [s.id for s in catalog.sites()]


def test_duplicate_delete_and_restore(catalog):
    copy = curation.duplicate(catalog, TESLA)
    assert copy.id == f"{TESLA}-copy" and copy.status == "draft"
    before = len(catalog)
    curation.delete(catalog, TESLA)
    assert TESLA not in [s.id for s in catalog.sites()] and len(catalog) == before - 1
    assert TESLA not in [r.site.id for r in catalog.search("tesla museum")]
    with pytest.raises(NotFoundError):
        catalog.site(TESLA)
    curation.restore(catalog, TESLA)
    assert catalog.site(TESLA).name == "Nikola Tesla Museum"
    assert TESLA in [r.site.id for r in catalog.search("tesla museum")]


def test_bundled_updates_spare_what_curators_edited(tmp_path):
    folder = tmp_path / "bundle"
    shutil.copytree(paths.bundled_catalog_dir(), folder)
    path = tmp_path / "catalog.db"
    with Catalog.open(path, bundled_dir=folder) as catalog:
        curation.edit(catalog, replace(catalog.site(TESLA), admission="curator's price"))
    for site_id, summary in (
        (TESLA, "New bundled summary."),
        ("pupin-bridge-belgrade", "New bridge summary."),
    ):
        record = json.loads((folder / "sites" / f"{site_id}.json").read_text(encoding="utf-8"))
        record["summary"] = summary
        (folder / "sites" / f"{site_id}.json").write_text(
            json.dumps(record, ensure_ascii=False), encoding="utf-8"
        )
    with Catalog.open(path, bundled_dir=folder) as catalog:
        assert catalog.last_sync.updated == ("pupin-bridge-belgrade",)
        assert catalog.last_sync.review == (TESLA,)
        assert catalog.site("pupin-bridge-belgrade").summary == "New bridge summary."
        assert catalog.site(TESLA).admission == "curator's price"
        assert catalog.site(TESLA).summary != "New bundled summary."
        assert catalog.bundled_review() == [TESLA]


# -- import -----------------------------------------------------------------------------------


def write_csv(path: Path, catalog, edits):
    sites = [replace(catalog.site(i), **changes) for i, changes in edits]
    path.write_text(to_csv(sites), encoding="utf-8")
    return path


def test_an_import_with_bad_rows_applies_nothing_and_names_every_bad_row(catalog, tmp_path):
    good = dict(id="new-site-one", name="New Site One", lat=44.81, lon=20.46)
    file = write_csv(tmp_path / "batch.csv", catalog, [
        (TESLA, good),
        ("pupin-bridge-belgrade", dict(id="bad-lat", name="Bad Latitude", lat=95.5)),
        ("pupin-birth-house-idvor", dict(id="bad-hours", name="Bad Hours", opening_hours="Mo-Fr 9-")),
    ])  # fmt: skip
    text = file.read_text(encoding="utf-8").replace("Bad Latitude", "Bad Latitude", 1)
    file.write_text(text + "broken-row,,,,\n", encoding="utf-8")
    before = catalog.all_sites()
    plan = importer.plan_import(catalog, file)
    problems = plan.problems()
    assert any(p.startswith("Row 3, lat: latitude 95.5 is outside") for p in problems)
    assert any(p.startswith("Row 4, opening_hours:") for p in problems)
    assert any(p.startswith("Row 5, name: is required") for p in problems)
    assert not any(p.startswith("Row 2,") for p in problems)
    with pytest.raises(ValidationError):
        importer.apply_import(catalog, plan)
    assert catalog.all_sites() == before


def test_a_good_import_adds_drafts_merges_duplicates_and_takes_a_backup(catalog, tmp_path):
    tesla = catalog.site(TESLA)
    file = write_csv(tmp_path / "batch.csv", catalog, [
        (TESLA, dict(id="tesla-museum-annex", name="Nikola Tesla Museum", lat=tesla.lat + 0.0005)),
        ("pupin-bridge-belgrade", dict(admission="free, always")),
        ("pupin-birth-house-idvor", dict(id="brand-new", name="Brand New Place", lat=45.0, lon=20.0)),
    ])  # fmt: skip
    plan = importer.plan_import(catalog, file)
    assert plan.problems() == []
    assert [(r.site.id, r.duplicate_of, r.action) for r in plan.rows] == [
        ("tesla-museum-annex", TESLA, "skip"),
        ("pupin-bridge-belgrade", "pupin-bridge-belgrade", "merge"),
        ("brand-new", None, "add"),
    ]
    done = importer.apply_import(catalog, plan)
    assert done == {
        "added": ["brand-new"],
        "merged": ["pupin-bridge-belgrade"],
        "skipped": ["tesla-museum-annex"],
        "restored": [],
    }
    assert catalog.site("brand-new").status == "draft"
    assert catalog.site("pupin-bridge-belgrade").admission == "free, always"
    assert [b.name.endswith("before-import") for b in catalog.backups()] == [True]


def test_a_backup_can_be_restored(catalog, tmp_path):
    before = catalog.all_sites()
    catalog.take_backup("manual")
    curation.delete(catalog, TESLA)
    catalog.restore_backup(catalog.backups()[-1].name)
    assert catalog.all_sites() == before


def test_a_process_killed_in_the_middle_of_an_import_leaves_the_catalog_as_it_was(tmp_path):
    path = tmp_path / "catalog.db"
    with Catalog.open(path) as catalog:
        rows = [(s.id, dict(id=f"{s.id}-imported", name=f"{s.name} imported", lat=s.lat + 0.01))
                for s in catalog.all_sites()[:20]]  # fmt: skip
        file = write_csv(tmp_path / "batch.csv", catalog, rows)
        before = catalog.all_sites()
    script = (
        "import sys; from sites.catalog import Catalog; from sites import importer\n"
        "c = Catalog.open(sys.argv[1]); p = importer.plan_import(c, sys.argv[2])\n"
        "print('applying', flush=True); importer.apply_import(c, p); print('done', flush=True)\n"
    )
    env = {**os.environ, "HERITAGE_TRAILS_IMPORT_DELAY": "0.1"}
    command = [sys.executable, "-c", script, str(path), str(file)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout.readline().strip() == "applying"
    time.sleep(0.6)  # a few rows into the transaction
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    with Catalog.open(path) as catalog:
        assert catalog.all_sites() == before
        assert catalog.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_writers_on_one_file_lose_nothing(tmp_path):
    path = tmp_path / "catalog.db"
    first, second = Catalog.open(path), Catalog.open(path)
    try:
        start = curation.latest_version(first, TESLA)
        curation.edit(first, replace(first.site(TESLA), admission="from the window"), expected_version=start)
        # The other writer sees the change at once (its cache follows the file) ...
        assert second.site(TESLA).admission == "from the window"
        # ... and an edit started from the old version is refused rather than overwriting it.
        with pytest.raises(curation.ConflictError, match="changed elsewhere"):
            curation.edit(second, replace(second.site(TESLA), visit_minutes=42), expected_version=start)
        curation.edit(second, replace(second.site(TESLA), visit_minutes=42), expected_version=start + 1)
        assert first.site(TESLA).admission == "from the window" and first.site(TESLA).visit_minutes == 42
    finally:
        first.close()
        second.close()
