"""No input of any shape gives a traceback: every command, run as a shell script would run it (a
real subprocess, arguments as raw bytes), with hostile arguments either succeeds or prints one
clear line and exits 1 (2 for usage), and never sends a control character to the terminal."""

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sites.catalog import Catalog

#: Words a person, a script or an attacker may pass: escape sequences, invalid UTF-8 (a lone
#: surrogate once decoded), quotes, a negative number (FTS syntax, huge numbers and dates, OSRM
#: answers and import files have tests of their own).
HOSTILE = ["\x1b[2J\x1b]0;owned\x07", b"\xff\xfe", "'\"", "-1"]
TESLA = "nikola-tesla-museum"
#: The code under test, whatever folder the commands run in.
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A data folder with a catalog, a saved trip, a hostile itinerary JSON, a profile, an
    empty file, a folder and a file of garbage; returned with the environment to run in."""
    root = tmp_path_factory.mktemp("anything")
    env = {**os.environ, "HERITAGE_TRAILS_DATA_DIR": str(root / "data"), "PYTHONPATH": str(REPO)}
    db = root / "catalog.db"
    Catalog.open(db).close()
    (root / "garbage.json").write_bytes(b"\xff\x00{[" * 100)
    (root / "folder").mkdir()
    (root / "profile.json").write_text(json.dumps({"name": ["a list"], "logo": 3}))
    world = {"root": root, "db": db, "env": env}
    saved = run(world, "plan", "--sites", TESLA, "--base", "Belgrade", "--start", "2027-05-11", "--days", "1",
                "--save", "Saved \x1b[31m trip")  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    itinerary = json.loads(run(world, "trips", "show", "Saved \x1b[31m trip", "--json").stdout)
    itinerary["request"]["name"] = "Sent \x1b]0;owned\x07 \ud83d"
    itinerary["days"][0]["stops"][0]["name"] = "Tesla \x00\x1b[2J"
    (root / "sent.json").write_text(json.dumps(itinerary))
    return world


def run(world, *args) -> subprocess.CompletedProcess:
    """Run the CLI on the world's catalog, arguments as bytes (as a shell passes them)."""
    argv = [a if isinstance(a, bytes) else os.fsencode(a) for a in ("--db", str(world["db"]), *args)]
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *argv],
        capture_output=True, timeout=120, check=False, env=world["env"], cwd=world["root"],
    )  # fmt: skip


def _arguments(world) -> list[tuple]:
    """Every command with each hostile argument in each place it takes one."""
    root = world["root"]
    paths = [str(root / "folder"), str(root / "no" / "such" / "x.csv"), "/dev/null",
             str(root / "garbage.json"), "\x1b[2J.csv"]  # fmt: skip
    plan = ["plan", "--sites", TESLA, "--base", "Belgrade", "--start", "2027-05-11", "--days", "2"]
    cases: list[tuple] = []
    for word in HOSTILE:
        cases += [
            ("search", word),
            ("search", "tesla", "--theme", word),
            ("search", "tesla", "--limit", word),
            ("sites", "history", word),
            ("sites", "show", word, "--json"),
            ("sites", "revert", TESLA, word),
            ("sites", "publish", word, "--dry-run"),
            ("backup", "restore", word),
            ("map", "--out", str(root / "map.html"), "--theme", word),
            ("trips", "show", word),
            ("trips", "delete", word),
            ("export", word, "--out", str(root / "out")),
            ("export", "Saved \x1b[31m trip", "--format", word, "--out", str(root / "out")),
        ]
        for option in ("--start", "--days", "--base", "--must", "--trail", "--day-start", "--max-drive",
                       "--suggest", "--osrm", "--save"):  # fmt: skip
            at = plan.index(option) + 1 if option in plan else None
            args = [*plan[:at], word, *plan[at + 1 :]] if at else [*plan, option, word]
            cases.append(tuple(args))
    for path in paths:
        cases += [
            ("sites", "export", "--format", "csv", "--out", path),
            ("sites", "import", path, "--dry-run"),
            ("map", "--out", path),
            ("export", path, "--out", str(root / "out")),
            ("export", "Saved \x1b[31m trip", "--out", path, "--format", "gpx"),
            ("export", "Saved \x1b[31m trip", "--out", str(root / "out"), "--profile", path),
            ("--db", path, "search", "tesla"),
            ("--db", path, "backup", "list"),
        ]
    cases += [
        ("export", str(root / "sent.json"), "--out", str(root / "sent")),
        (
            "export",
            "Saved \x1b[31m trip",
            "--out",
            str(root / "out"),
            "--profile",
            str(root / "profile.json"),
        ),
        ("plan", "--trail", "halyard", "--start", "9999-12-31", "--days", "3"),
        ("plan", "--trail", "halyard", "--start", "2027-05-11", "--days", "3", "--day-start", "09:00+05:00"),
        ("trips", "list"),
        ("trips", "show", "Saved \x1b[31m trip"),
        ("sites", "validate"),
        ("sites", "audit"),
        ("backup", "list"),
        ("backup", "create"),
        ("unknown-command",),
        ("search",),
        ("--db",),
    ]
    return cases


def _raw_controls(data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    return sorted({repr(ch) for ch in text if ch not in "\n\t" and (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F)})


def test_every_command_with_hostile_arguments_succeeds_or_says_why_in_one_line(world):
    cases = _arguments(world)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda args: (args, run(world, *args)), cases))
    failures = []
    for args, result in results:
        stderr = result.stderr.decode("utf-8", "replace")
        lines = [line for line in stderr.splitlines() if line.strip()]
        problems = []
        if result.returncode not in (0, 1, 2):
            problems.append(f"exit {result.returncode}")
        if "Traceback" in stderr or "Something went wrong" in stderr:
            problems.append("a traceback or a bug report")
        if result.returncode == 1 and not (1 <= len(lines) <= 2):
            problems.append(f"{len(lines)} lines on stderr")
        if result.returncode == 2 and not lines[-1].startswith("heritage-trails") and "error:" in lines[-1]:
            problems.append("no usage error")
        raw = _raw_controls(result.stdout) + _raw_controls(result.stderr)
        if raw:
            problems.append(f"raw control characters {raw}")
        if problems:
            failures.append(f"{args!r:.160}: {', '.join(problems)}\n    {stderr[-400:]!r}")
    assert failures == [], f"{len(failures)} of {len(cases)} runs:\n" + "\n".join(failures)
    exported = {p.suffix for p in (world["root"] / "sent").iterdir()}
    assert exported == {".pdf", ".gpx", ".kml", ".geojson", ".ics", ".csv", ".html"}


@pytest.fixture(autouse=True)
def _clean_out(world):
    yield
    shutil.rmtree(world["root"] / "out", ignore_errors=True)
