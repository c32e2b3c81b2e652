"""A spreadsheet with only names and coordinates, imported as a curator would: the preview says
every value filled in, the drafts get ids made from their names (Latin or Cyrillic, never one
taken), the towns and regions around them, and publishing refuses them, saying why, until a
curator completes them."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from sites import curation, importer
from sites.catalog import Catalog
from sites.errors import ValidationError
from sites.models import Source

TESLA = "nikola-tesla-museum"
#: name, lat, lon: beside Gornji Milanovac (twice, one name), in Pančevo (in Cyrillic), a name the
#: catalog already uses, in Niš, and one in Serbia's south-west, 31 km from the nearest town.
ROWS = [
    ("Old Mill", 44.0245, 20.4610),
    ("Old Mill", 44.0300, 20.4700),
    ("Музеј хлеба", 44.8700, 20.6400),
    ("Nikola Tesla Museum", 43.3210, 21.8950),
    ("Sjenica Plateau Lookout", 43.2700, 20.0000),
]


def cli(*args, db):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120, check=False, env=dict(os.environ),
    )  # fmt: skip


def write_csv(path, rows, header="name,lat,lon"):
    path.write_text(header + "\n" + "".join(",".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "catalog.db"
    Catalog.open(path).close()
    return path


def test_a_point_no_town_reaches_is_refused_naming_the_nearest_and_nothing_is_imported(db, tmp_path):
    file = write_csv(tmp_path / "sheet.csv", ROWS)
    with Catalog.open(db) as catalog:
        before = len(catalog.all_sites())
        plan = importer.plan_import(catalog, file)
        assert plan.problems() == [
            "Row 6, town: not given, and no town reaches the point (the nearest, Prijepolje, is 31 km "
            "from its centre, beyond its 10 km): fill in the town"
        ]
        with pytest.raises(ValidationError, match="fill in the town"):
            importer.apply_import(catalog, plan)
        assert len(catalog.all_sites()) == before
    preview = cli("sites", "import", str(file), "--dry-run", db=db)
    assert preview.returncode == 1
    assert "Row 6, town: not given, and no town reaches the point" in preview.stderr
    assert "1 of 5 rows have problems: nothing was imported." in preview.stderr


def test_swapped_coordinates_are_named_where_a_town_would_be_found(db, tmp_path):
    file = write_csv(tmp_path / "swapped.csv", [("Old Mill", 20.4610, 44.0245)])
    with Catalog.open(db) as catalog:
        (problem,) = importer.plan_import(catalog, file).problems()
    assert "latitude and longitude look swapped (44.0245, 20.461 lies near Gornji Milanovac)" in problem
    assert problem.endswith("swap them, or fill in the town")


def test_only_name_lat_lon_the_preview_says_every_value_filled_in(db, tmp_path):
    with Catalog.open(db) as catalog:
        curation.delete(catalog, "aleksandar-nikolic-hall")  # its id stays taken
    rows = [*ROWS[:4], ("Aleksandar Nikolić Hall", 44.2, 20.6), ROWS[4]]
    file = write_csv(tmp_path / "sheet.csv", [(*row, "") for row in rows[:5]] + [(*rows[5], "Sjenica")],
                     header="name,lat,lon,town")  # fmt: skip
    preview = cli("sites", "import", str(file), "--dry-run", db=db)
    assert preview.returncode == 0, preview.stderr
    today = date.today().isoformat()
    listed = [line.split()[:3] for line in preview.stdout.splitlines()]
    assert listed == [
        ["row", "2", "old-mill"], ["row", "3", "old-mill-2"], ["row", "4", "muzej-hleba"],
        ["row", "5", f"{TESLA}-2"], ["row", "6", "aleksandar-nikolic-hall-2"],
        ["row", "7", "sjenica-plateau-lookout"],
    ]  # fmt: skip
    assert all(line.split()[3] == "add" for line in preview.stdout.splitlines())
    warned = preview.stderr.splitlines()
    for line in (
        "Row 2, id: warning: not given: 'old-mill', made from the name",
        "Row 3, id: warning: not given: 'old-mill-2', made from the name ('old-mill' is taken)",
        f"Row 5, id: warning: not given: '{TESLA}-2', made from the name ('{TESLA}' is taken)",
        "Row 2, town: warning: not given: Gornji Milanovac, the nearest town (0.1 km from its centre)",
        "Row 4, town: warning: not given: Pančevo, the nearest town (0.1 km from its centre)",
        "Row 5, town: warning: not given: Niš, the nearest town (0.1 km from its centre)",
        "Row 2, region: warning: not given: Moravica District, as the catalog's sites in Gornji Milanovac "
        "have it",
        "Row 4, region: warning: not given: South Banat District, as the catalog's sites in Pančevo have it",
        "Row 7, region: warning: not given, and no site in the catalog names Sjenica's region",
        "Row 2, themes: warning: none given: add at least one before publishing",
        f"Row 2, last_verified: warning: not given: set to the import date, {today}; change it to the day "
        "the entry was checked against its sources",
        "Row 2, summary: warning: is required to publish",
        "Row 2, sources: warning: at least one source is required to publish",
    ):
        assert line in warned, line
    # Each of the six rows says each default it was given; the file's own town is not one.
    for field, count in (("id", 6), ("town", 5), ("region", 6), ("themes", 6), ("last_verified", 6)):
        assert sum(f", {field}: warning: " in line for line in warned) == count, field
    assert "Dry run: 6 rows would be imported; nothing was changed." in warned


def test_the_drafts_are_imported_and_publishing_waits_until_they_are_complete(db, tmp_path):
    file = write_csv(tmp_path / "sheet.csv", [(*row, "") for row in ROWS[:4]] + [(*ROWS[4], "Sjenica")],
                     header="name,lat,lon,town")  # fmt: skip
    done = cli("sites", "import", str(file), db=db)
    assert done.returncode == 0, done.stderr
    assert "Imported: 5 added as drafts, 0 merged, 0 skipped" in done.stderr
    with Catalog.open(db) as catalog:
        drafts = {s.id: s for s in catalog.all_sites() if s.status == "draft"}
        assert {(i, s.name, s.town, s.region) for i, s in drafts.items()} == {
            ("old-mill", "Old Mill", "Gornji Milanovac", "Moravica District"),
            ("old-mill-2", "Old Mill", "Gornji Milanovac", "Moravica District"),
            ("muzej-hleba", "Музеј хлеба", "Pančevo", "South Banat District"),
            (f"{TESLA}-2", "Nikola Tesla Museum", "Niš", "Nišava District"),
            ("sjenica-plateau-lookout", "Sjenica Plateau Lookout", "Sjenica", ""),
        }
        assert {(s.themes, s.sources, s.last_verified) for s in drafts.values()} == {((), (), date.today())}
        assert catalog.site(TESLA).status == "published"  # the name's first owner is untouched
        assert "muzej-hleba" in [r.site.id for r in catalog.search("muzej hleba", drafts=True)]
    refused = cli("sites", "publish", "old-mill", "muzej-hleba", db=db)
    assert refused.returncode == 1
    for site_id in ("old-mill", "muzej-hleba"):
        (line,) = [line for line in refused.stdout.splitlines() if line.startswith(f"{site_id}: ")]
        assert line.startswith(f"{site_id}: refused: ")
        assert "themes: at least one theme is required" in line
        assert "summary: is required" in line and "sources: at least one source is required" in line
    with Catalog.open(db) as catalog:
        mill = catalog.site("old-mill")
        curation.edit(catalog, replace(mill, themes=("culture",)), "a theme")
        left = [p.field for p in curation.publish_blockers(catalog, catalog.site("old-mill"))]
        assert left == ["summary", "sources"]
        complete = replace(
            catalog.site("old-mill"), summary="A water mill by the town.",
            sources=(Source("https://example.org/old-mill", "coordinates, history"),),
        )  # fmt: skip
        curation.edit(catalog, complete, "summary and a source")
    published = cli("sites", "publish", "old-mill", db=db)
    assert published.returncode == 0, published.stdout + published.stderr
    assert published.stdout.startswith("old-mill: published")
    with Catalog.open(db) as catalog:
        assert catalog.site("old-mill").status == "published"
        assert catalog.site("muzej-hleba").status == "draft"


def test_an_id_given_in_the_file_is_not_made_again_and_a_merge_fills_nothing_in(db, tmp_path):
    file = tmp_path / "mixed.csv"
    file.write_text(
        "id,name,lat,lon\n"
        ",Old Mill,44.0245,20.4610\n"
        "old-mill,Old Mill,44.0300,20.4700\n"
        f"{TESLA},Nikola Tesla Museum,44.80540,20.47130\n",
        encoding="utf-8",
    )
    with Catalog.open(db) as catalog:
        tesla = catalog.site(TESLA)
        plan = importer.plan_import(catalog, file)
        assert plan.problems() == []
        assert [(r.site.id, r.action) for r in plan.rows if r.site] == [
            ("old-mill-2", "add"), ("old-mill", "add"), (TESLA, "merge"),
        ]  # fmt: skip
        merge = plan.rows[2]
        assert merge.changes == {"lat": (tesla.lat, 44.8054), "lon": (tesla.lon, 20.4713)}
        assert merge.warnings == []  # nothing is filled in, and the published site keeps every rule
        importer.apply_import(catalog, plan)
        assert catalog.site(TESLA) == replace(tesla, lat=44.8054, lon=20.4713)


def test_a_geojson_feature_with_a_name_and_a_point_becomes_a_draft(db, tmp_path):
    file = tmp_path / "points.geojson"
    feature = {"type": "Feature", "properties": {"name": "Đački park"},
               "geometry": {"type": "Point", "coordinates": [21.8960, 43.3200]}}  # fmt: skip
    file.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    with Catalog.open(db) as catalog:
        plan = importer.plan_import(catalog, file)
        assert plan.problems() == []
        importer.apply_import(catalog, plan)
        site = catalog.site("djacki-park")
    assert (site.town, site.status, site.last_verified) == ("Niš", "draft", date.today())


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Crkva Svetog Đorđa", set(), "crkva-svetog-djordja"),
        ("Црква Светог Ђорђа", {"crkva-svetog-djordja"}, "crkva-svetog-djordja-2"),
        ("Kuća  -- Pupin!", {"kuca-pupin", "kuca-pupin-2"}, "kuca-pupin-3"),
        ("東京", set(), "site"),
    ],
)
def test_an_id_from_a_name_is_folded_and_free(name, taken, expected):
    assert importer.free_id(importer.slug(name), taken) == expected
    assert expected in taken


def test_a_draft_may_lack_what_the_editor_lets_a_draft_lack():
    assert importer.DRAFT_MAY_LACK == curation.PUBLISH_ONLY


def test_a_merge_cannot_take_a_published_site_outside_serbia_but_a_draft_may_go(db, tmp_path):
    file = write_csv(
        tmp_path / "far.csv", [(TESLA, "Nikola Tesla Museum", 4.519, 20.4707)], "id,name,lat,lon"
    )
    with Catalog.open(db) as catalog:
        outside, far = importer.plan_import(catalog, file).problems()
        rule = "; a published site may not be: fix the place, or unpublish it"
        assert outside.startswith("Row 2, lat: 4.51900, 20.47070 lies about ")
        assert outside.endswith(f" km outside Serbia's border{rule}")
        assert far.endswith(f"km from the centre of Belgrade (more than 20 km){rule}")
        curation.set_status(catalog, TESLA, "draft")
        plan = importer.plan_import(catalog, file)
        assert plan.problems() == []
        assert any("outside Serbia's border" in line for line in plan.warnings())
