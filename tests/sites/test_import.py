"""Imports that keep what they do not touch: merges by column, deleted ids, two imports at once,
and a CSV round trip that gives back what it was given."""

import csv
import io
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from sites import curation, importer
from sites.catalog import Catalog
from sites.export import to_csv
from sites.models import Source

TESLA = "nikola-tesla-museum"


def write_rows(file: Path, rows: list[dict]) -> Path:
    with file.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return file


def search_rows_match_sites(catalog: Catalog) -> bool:
    """Every live site has one full-text row and no row belongs to a deleted site."""
    live = {r[0] for r in catalog.db.execute("SELECT id FROM sites WHERE deleted_at IS NULL")}
    indexed = [r[0] for r in catalog.db.execute("SELECT id FROM sites_fts")]
    return sorted(indexed) == sorted(live)


def test_reimporting_a_deleted_id_brings_it_back_as_a_draft_and_search_keeps_working(path, tmp_path):
    with Catalog.open(path) as catalog:
        tesla = catalog.site(TESLA)
        file = tmp_path / "again.csv"
        file.write_text(to_csv([replace(tesla, admission="free on Sundays")]), encoding="utf-8")
        curation.delete(catalog, TESLA)
        plan = importer.plan_import(catalog, file)
        assert plan.problems() == [] and plan.rows[0].deleted and plan.rows[0].action == "add"
        done = importer.apply_import(catalog, plan)
        assert done["restored"] == [TESLA] and done["added"] == []
        back = catalog.site(TESLA)
        assert back.status == "draft" and back.admission == "free on Sundays"
        assert search_rows_match_sites(catalog)
        assert TESLA in [r.site.id for r in catalog.search("tesla museum", drafts=True)]
        assert [r.site.id for r in catalog.search("", drafts=True)].count(TESLA) == 1
        assert curation.history(catalog, TESLA)[-1].changes["deleted"] == (True, False)


def test_a_merge_changes_only_the_columns_the_file_carries_and_shows_each_change(path, tmp_path):
    with Catalog.open(path) as catalog:
        old = replace(
            catalog.site(TESLA),
            opening_hours="Tu-Su 10:00-18:00", address="Krunska 51", website="https://example.org/tesla",
            us_connection="He lived in New York.", name_sr_cyrl="Музеј Николе Тесле",
        )  # fmt: skip
        catalog.save_sites([old])
        assert old.description
        row = next(csv.DictReader(io.StringIO(to_csv([old]))))
        kept = ("id", "name", "lat", "lon", "town", "themes", "summary", "sources", "last_verified")
        file = write_rows(tmp_path / "few.csv", [{k: row[k] for k in kept} | {"summary": "A new summary."}])
        plan = importer.plan_import(catalog, file)
        assert plan.problems() == []
        assert plan.rows[0].action == "merge"
        assert plan.rows[0].changes == {"summary": (old.summary, "A new summary.")}
        importer.apply_import(catalog, plan)
        assert catalog.site(TESLA) == replace(old, summary="A new summary.")


def test_two_imports_checked_at_once_the_later_is_refused_and_nothing_is_lost(path, tmp_path):
    with Catalog.open(path) as first, Catalog.open(path) as second:
        template = first.site(TESLA)
        one = tmp_path / "one.csv"
        one.write_text(to_csv([replace(template, id="new-place", name="First Version", lat=44.0)]), "utf-8")
        two = tmp_path / "two.csv"
        two.write_text(to_csv([replace(template, id="new-place", name="Second Version", lat=44.0)]), "utf-8")
        plan_one, plan_two = importer.plan_import(first, one), importer.plan_import(second, two)
        importer.apply_import(first, plan_one)
        with pytest.raises(importer.ImportConflictError, match=r"The catalog changed while two\.csv"):
            importer.apply_import(second, plan_two)
        assert second.site("new-place").name == "First Version"
        assert [c.note for c in curation.history(second, "new-place")] == ["imported from one.csv"]


def test_an_import_waits_for_or_is_refused_by_a_writer_holding_the_file(path, tmp_path):
    with Catalog.open(path) as catalog:
        file = tmp_path / "one.csv"
        file.write_text(to_csv([replace(catalog.site(TESLA), id="new-place", lat=44.0)]), "utf-8")
        plan = importer.plan_import(catalog, file)
        other = sqlite3.connect(path, timeout=0)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE sites SET admission = 'changed' WHERE id = ?", [TESLA])
        other.commit()
        other.close()
        with pytest.raises(importer.ImportConflictError):
            importer.apply_import(catalog, plan)
        assert catalog.find("new-place") is None


def test_csv_round_trip_keeps_urls_with_a_bar_and_guards_formulas(path, tmp_path):
    with Catalog.open(path) as catalog:
        site = replace(
            catalog.site(TESLA),
            name='=HYPERLINK("http://evil.example","Tesla")',
            admission="-5 EUR, +2 for guides",
            address="@home",
            sources=(
                Source("https://example.org/a|b?x=1|2", "hours | prices"),
                Source("https://example.org/c"),
            ),
        )
        text = to_csv([site])
        cells = next(csv.DictReader(io.StringIO(text)))
        # What a spreadsheet reads: text, never a formula.
        assert cells["name"].startswith("'=") and cells["admission"].startswith("'-")
        assert cells["address"] == "'@home" and cells["lat"] == str(site.lat)
        file = tmp_path / "round.csv"
        file.write_text(text, encoding="utf-8")
        plan = importer.plan_import(catalog, file)
        assert plan.problems() == []
        assert plan.rows[0].site.sources == site.sources
        assert plan.rows[0].site.name == site.name and plan.rows[0].site.address == "@home"
        importer.apply_import(catalog, plan)
        assert catalog.site(TESLA).sources == site.sources


def test_an_import_reports_progress_and_warns_of_swapped_coordinates(path, tmp_path):
    with Catalog.open(path) as catalog:
        tesla = catalog.site(TESLA)
        file = tmp_path / "swapped.csv"
        file.write_text(to_csv([replace(tesla, id="swapped", name="Swapped", lat=tesla.lon, lon=tesla.lat)]))
        plan = importer.plan_import(catalog, file)
        assert plan.problems() == []
        assert any("Row 2, lat: warning:" in line for line in plan.warnings()), plan.warnings()
        seen = []
        importer.apply_import(catalog, plan, progress=lambda done, total: seen.append((done, total)))
        assert seen == [(1, 1)]
