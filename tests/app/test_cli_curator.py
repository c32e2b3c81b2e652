"""Publishing from the shell, as a curator's script would: `sites publish`, `unpublish`, `show`
and `audit` in a real subprocess on a catalog with drafts ready, drafts blocked and a site that
reached the file without the rules (as an old catalog might hold one)."""

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from sites import curation, store
from sites.catalog import Catalog

TESLA = "nikola-tesla-museum"


def cli(*args, db):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120, check=False, env=dict(os.environ),
    )  # fmt: skip


def shown(db, site_id) -> dict:
    result = cli("sites", "show", site_id, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def db(tmp_path):
    """A catalog with three drafts: one ready, one outside Serbia, one without sources, date or
    readable hours (written past the rules)."""
    path = tmp_path / "catalog.db"
    with Catalog.open(path) as catalog:
        tesla = catalog.site(TESLA)
        curation.create(catalog, replace(tesla, id="ready-draft", name="Ready Draft", status="draft"))
        curation.create(catalog, replace(tesla, id="far-draft", name="Far Draft", status="draft", lat=4.519))
        bare = replace(
            tesla, id="bare-draft", name="Bare Draft", status="draft", sources=(), last_verified=None,
            opening_hours="Mo-Fr 10:00-",
        )  # fmt: skip
        with catalog.writing() as conn:
            store.write_sites(conn, [bare])
    return path


def test_audit_names_what_blocks_each_draft(db):
    result = cli("sites", "audit", db=db)
    assert result.returncode == 0, result.stderr  # no published site breaks a rule
    lines = result.stdout.splitlines()
    far = [line for line in lines if line.startswith("far-draft (draft): ")]
    assert len(far) == 2 and "outside Serbia's border" in far[0]
    assert "km from the centre of Belgrade" in far[1]
    bare = {line.split(": ")[1] for line in lines if line.startswith("bare-draft (draft): ")}
    assert bare == {"sources", "last_verified", "opening_hours"}
    assert "ready-draft (draft): ready to publish" in lines
    assert not any(line.startswith(f"{TESLA} ") for line in lines)
    assert "1 draft(s) ready to publish, 2 draft(s) blocked, 0 published" in result.stderr


def test_publish_refuses_with_the_reason_and_publishes_the_rest(db):
    dry = cli("sites", "publish", "ready-draft", "far-draft", "--dry-run", db=db)
    assert dry.returncode == 1
    assert "ready-draft: would be published" in dry.stdout.splitlines()
    assert "far-draft: refused: lat:" in dry.stdout and "outside Serbia's border" in dry.stdout
    assert "dry run: nothing was changed" in dry.stderr
    assert shown(db, "ready-draft")["status"] == "draft"
    done = cli("sites", "publish", "ready-draft", "far-draft", "--note", "spring batch", db=db)
    assert done.returncode == 1
    assert "ready-draft: published (version 2)" in done.stdout.splitlines()
    ready = shown(db, "ready-draft")
    assert (ready["status"], ready["version"], ready["publish_blockers"]) == ("published", 2, [])
    far = shown(db, "far-draft")
    assert far["status"] == "draft" and any("outside Serbia's border" in b for b in far["publish_blockers"])
    history = cli("sites", "history", "ready-draft", db=db).stdout
    assert "version 2  " in history and "spring batch" in history
    assert "status: 'draft' -> 'published'" in history
    again = cli("sites", "publish", "ready-draft", db=db)
    assert again.returncode == 0 and "ready-draft: already published" in again.stdout


def test_publish_all_drafts_and_unpublish(db):
    every = cli("sites", "publish", "--all-drafts", db=db)
    assert every.returncode == 1
    verdicts = {line.split(": ")[0]: line.split(": ")[1] for line in every.stdout.splitlines()}
    assert verdicts == {
        "ready-draft": "published (version 2)",
        "far-draft": "refused",
        "bare-draft": "refused",
    }
    assert "1 site(s) published, 2 refused." in every.stderr
    dry = cli("sites", "unpublish", "ready-draft", TESLA, "--dry-run", db=db)
    assert dry.returncode == 0 and f"{TESLA}: would be taken back to draft" in dry.stdout
    assert shown(db, TESLA)["status"] == "published"
    back = cli("sites", "unpublish", "ready-draft", TESLA, db=db)
    assert back.returncode == 0, back.stderr
    assert (shown(db, TESLA)["status"], shown(db, "ready-draft")["status"]) == ("draft", "draft")
    search = cli("search", "Nikola Tesla Museum", "--json", db=db)
    assert TESLA not in [row["id"] for row in json.loads(search.stdout)]  # travelers no longer see it
    nothing = cli("sites", "publish", db=db)
    assert nothing.returncode == 1 and "--all-drafts" in nothing.stderr


def test_show_prints_a_site_and_missing_ones_are_named(db):
    plain = cli("sites", "show", "bare-draft", db=db)
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.splitlines()
    assert "name            Bare Draft" in lines and "status          draft" in lines
    assert any(line.startswith("blocks publishing: opening_hours:") for line in lines)
    record = shown(db, TESLA)
    assert record["name"] == "Nikola Tesla Museum" and record["sources"][0]["url"].startswith("http")
    missing = cli("sites", "show", "no-such-site", db=db)
    assert missing.returncode == 1 and "no-such-site" in missing.stderr


def test_audit_fails_when_a_published_site_breaks_a_hard_rule(db):
    with Catalog.open(db) as catalog, catalog.writing() as conn:
        store.write_sites(conn, [replace(catalog.site(TESLA), lat=4.519)])
    result = cli("sites", "audit", db=db)
    assert result.returncode == 1
    assert f"{TESLA} (published): lat: " in result.stdout
    assert "1 published site(s) breaking a rule" in result.stderr
