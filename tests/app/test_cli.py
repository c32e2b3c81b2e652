"""The CLI, as a tour operator's script would use it, in a real subprocess."""

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import shape

from app.cli.main import build_parser

README = Path(__file__).parents[2] / "README.md"


def cli(*args, db, data=None):
    env = {**os.environ, **({"HERITAGE_TRAILS_DATA_DIR": str(data)} if data else {})}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return tmp_path_factory.mktemp("cli") / "catalog.db"


def test_search_json(db):
    result = cli("search", "Пупин", "--json", db=db)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and {"id", "name", "town", "score"} <= set(rows[0])
    assert rows[0]["id"].startswith("pupin")
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_search_by_theme_and_plain_output(db):
    result = cli("search", "museum", "--theme", "tesla", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("nikola-tesla-museum")


def test_a_limited_search_says_how_many_more_match(db):
    full = cli("search", "tesla", db=db).stdout.splitlines()
    result = cli("search", "tesla", "--limit", "2", db=db)
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == [line.split()[0] for line in full[:2]]
    assert f"The first 2 of {len(full)} matches; --limit sets how many." in result.stderr


def test_hostile_search_and_unknown_theme(db):
    assert cli("search", 'AND( "', "--json", db=db).returncode == 0
    bad = cli("search", "x", "--theme", "nope", db=db)
    assert bad.returncode == 1 and "There is no theme 'nope'" in bad.stderr


def test_export_geojson(db, tmp_path):
    out = tmp_path / "sites.geojson"
    result = cli("sites", "export", "--format", "geojson", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(features) >= 20
    assert all(shape(f["geometry"]).geom_type == "Point" for f in features)
    assert {"id", "name_sr_cyrl", "themes", "opening_hours", "sources"} <= set(features[0]["properties"])


def test_export_to_an_unwritable_place_says_so(db, tmp_path):
    result = cli("sites", "export", "--format", "csv", "--out", str(tmp_path / "missing" / "x.csv"), db=db)
    assert result.returncode == 1 and "No such file or directory" in result.stderr


def test_map_writes_an_offline_page(db, tmp_path):
    out = tmp_path / "map.html"
    result = cli("map", "--out", str(out), "--theme", "halyard", db=db)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"?https?:", html)
    assert "Galovi" in html


def _commands(parser, path=()):
    """(command path, its parser) for every command and nested command of the CLI."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(build_parser()))


def _readme_row(path: tuple[str, ...]) -> str:
    """The README table row that documents a command (its first cell names it)."""
    wanted = "heritage-trails " + " ".join(path)
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    found = [row for row in rows if row.split("|")[1].strip().strip("`").startswith(wanted)]
    assert found, f"README has no row for `{wanted}`"
    return found[0]


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_and_its_options_are_documented(path):
    sub = COMMANDS[path]
    if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):
        return  # a group (sites): its commands are checked one by one
    row = _readme_row(path)
    for action in sub._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help") and action.help != argparse.SUPPRESS:
                assert option in row, f"{' '.join(path)}: {option} is not in its README row"


def test_plan_prints_a_timetable_and_json(db):
    args = ["plan", "--sites", "nikola-tesla-museum", "--must", "galovica-polje-halyard-memorial",
            "--start", "2027-05-11", "--days", "2", "--base", "Belgrade"]  # fmt: skip
    text = cli(*args, db=db)
    assert text.returncode == 0, text.stderr
    assert "Day 1, Tuesday 11 May" in text.stdout and "Operation Halyard" in text.stdout
    data = json.loads(cli(*args, "--json", db=db).stdout)
    stops = [s["site_id"] for d in data["days"] for s in d["stops"]]
    assert "galovica-polje-halyard-memorial" in stops
    assert data["days"][0]["stops"][0]["start"].endswith("+02:00")  # Belgrade summer time


def test_plan_a_trail_save_list_show_and_delete(db, tmp_path):
    env_args = ["plan", "--trail", "halyard", "--start", "2027-05-11", "--days", "2",
                "--base", "Gornji Milanovac", "--save", "Halyard weekend"]  # fmt: skip
    planned = cli(*env_args, db=db, data=tmp_path)
    assert planned.returncode == 0, planned.stderr
    listed = cli("trips", "list", db=db, data=tmp_path)
    assert listed.stdout.startswith("Halyard weekend\t2027-05-11\t2 day(s)")
    shown = cli("trips", "show", "Halyard weekend", db=db, data=tmp_path)
    assert shown.stdout == planned.stdout
    assert cli("trips", "delete", "Halyard weekend", db=db, data=tmp_path).returncode == 0
    missing = cli("trips", "show", "Halyard weekend", db=db, data=tmp_path)
    assert missing.returncode == 1 and "no saved trip called 'Halyard weekend'" in missing.stderr


def test_plan_with_bad_input_says_what_is_wrong(db):
    bad_date = cli("plan", "--sites", "nikola-tesla-museum", "--start", "11/05/2027", "--days", "2",
                   "--base", "Belgrade", db=db)  # fmt: skip
    assert bad_date.returncode == 1 and "is not a date like 2027-05-03" in bad_date.stderr
    unknown = cli(
        "plan", "--sites", "no-such-site", "--start", "2027-05-11", "--days", "1", "--base", "Belgrade", db=db
    )
    assert unknown.returncode == 1 and "There is no site 'no-such-site'" in unknown.stderr
    nowhere = cli("plan", "--sites", "nikola-tesla-museum", "--start", "2027-05-11", "--days", "1",
                  "--base", "Atlantis", db=db)  # fmt: skip
    assert nowhere.returncode == 1 and "'Atlantis' is neither a site id nor a town" in nowhere.stderr


def test_export_a_saved_trip_and_an_itinerary_file(db, tmp_path):
    sites = "nikola-tesla-museum,galovica-polje-halyard-memorial"
    plan_args = ["plan", "--sites", sites, "--start", "2027-05-11",
                 "--days", "2", "--base", "Belgrade", "--save", "Client Smith"]  # fmt: skip
    assert cli(*plan_args, db=db, data=tmp_path).returncode == 0
    out = tmp_path / "exports" / "smith"
    result = cli("export", "Client Smith", "--out", str(out), "--format", "pdf,gpx,ics", db=db, data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [["[1/3]", "pdf"], ["[2/3]", "gpx"],
                                                                          ["[3/3]", "ics"]]  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == [
        "client-smith.gpx",
        "client-smith.ics",
        "client-smith.pdf",
    ]
    as_json = cli(*plan_args[:-2], "--json", db=db, data=tmp_path)
    itinerary = tmp_path / "smith.json"
    itinerary.write_text(as_json.stdout, encoding="utf-8")
    from_file = cli(
        "export", str(itinerary), "--out", str(tmp_path / "f"), "--format", "kml", db=db, data=tmp_path
    )
    assert from_file.returncode == 0, from_file.stderr
    bad = cli("export", "Client Smith", "--out", str(out), "--format", "pdf,docx", db=db, data=tmp_path)
    assert bad.returncode == 1 and "Unknown format(s) docx" in bad.stderr


def _rows_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_curator_commands(tmp_path):
    db = tmp_path / "curated.db"
    export = cli("sites", "export", "--format", "csv", db=db, data=tmp_path)
    first = next(csv.DictReader(io.StringIO(export.stdout)))
    bad = tmp_path / "bad.csv"
    _rows_csv(bad, [{**first, "id": "tesla-two", "lat": "95.1"}, {**first, "id": "x", "name": ""}])
    refused = cli("sites", "import", str(bad), db=db, data=tmp_path)
    assert refused.returncode == 1 and "nothing was imported" in refused.stderr
    assert "Row 2, lat: latitude 95.1 is outside" in refused.stderr
    assert "Row 3, name: is required" in refused.stderr
    good = tmp_path / "good.csv"
    _rows_csv(
        good, [{**first, "id": "brand-new-site", "name": "Brand New Site", "lat": "45.1", "lon": "20.1"}]
    )
    dry = cli("sites", "import", str(good), "--dry-run", db=db, data=tmp_path)
    assert dry.returncode == 0 and "nothing was changed" in dry.stderr
    applied = cli("sites", "import", str(good), "--note", "spring batch", db=db, data=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "1 added as drafts" in applied.stderr
    history = cli("sites", "history", "brand-new-site", db=db, data=tmp_path)
    assert "spring batch" in history.stdout
    assert cli("sites", "validate", db=db, data=tmp_path).returncode == 0
    backups = cli("backup", "list", db=db, data=tmp_path)
    assert backups.stdout.count("before-import") == 1
    restored = cli("backup", "restore", db=db, data=tmp_path)
    assert restored.returncode == 0, restored.stderr
    gone = cli("sites", "history", "brand-new-site", db=db, data=tmp_path)
    assert gone.returncode == 1 and "no site 'brand-new-site'" in gone.stderr
    assert cli("sites", "revert", first["id"], "1", db=db, data=tmp_path).returncode == 0
    assert cli("sites", "revert", first["id"], "99", db=db, data=tmp_path).returncode == 1
