"""A bundled-catalog update that changed a site a curator had edited: both versions side by side,
settled field by field ("keep mine" / "take the bundle's"), recorded, and off the review list."""

import json
import shutil
from dataclasses import replace

import pytest

from sites import curation, paths
from sites.catalog import Catalog
from sites.errors import ValidationError

TESLA = "nikola-tesla-museum"


def change_bundle(folder, site_id, **fields):
    path = folder / "sites" / f"{site_id}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record.update(fields)
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def reviewed(tmp_path):
    """A catalog whose curator changed Tesla's admission, then a bundle that changed its summary."""
    folder = tmp_path / "bundle"
    shutil.copytree(paths.bundled_catalog_dir(), folder)
    path = tmp_path / "catalog.db"
    with Catalog.open(path, bundled_dir=folder) as catalog:
        curation.edit(catalog, replace(catalog.site(TESLA), admission="curator's price"), "new price")
    change_bundle(folder, TESLA, summary="The bundle's new summary.")
    catalog = Catalog.open(path, bundled_dir=folder)
    yield catalog, folder
    catalog.close()


def test_the_review_shows_both_versions_of_each_changed_field(reviewed):
    catalog, folder = reviewed
    [change] = curation.bundled_changes(catalog, folder)
    assert change.mine.id == TESLA and set(change.fields) == {"summary", "admission"}
    in_bundle = json.loads((folder / "sites" / f"{TESLA}.json").read_text(encoding="utf-8"))
    assert (change.mine.admission, change.bundle.admission) == ("curator's price", in_bundle["admission"])
    assert change.bundle.summary == "The bundle's new summary."


def test_settling_takes_the_chosen_fields_and_leaves_the_review(reviewed):
    catalog, folder = reviewed
    [change] = curation.bundled_changes(catalog, folder)
    with pytest.raises(ValidationError, match="did not change name"):
        curation.resolve_bundled(catalog, change, {"name"})
    version = curation.resolve_bundled(catalog, change, {"summary"})
    site = catalog.site(TESLA)
    assert (site.summary, site.admission) == ("The bundle's new summary.", "curator's price")
    last = curation.history(catalog, TESLA)[-1]
    assert last.version == version
    assert last.note == "bundled review: took the bundle's summary; kept mine for admission"
    assert catalog.bundled_review() == [] and curation.bundled_changes(catalog, folder) == []
    # The next bundle is compared with the one reviewed: a new change to it is reviewed again,
    # and the curator's kept price is still kept.
    change_bundle(folder, TESLA, summary="The bundle's new summary.", visit_minutes=95)
    with Catalog.open(catalog.path, bundled_dir=folder) as again:
        assert again.bundled_review() == [TESLA]
        assert again.site(TESLA).admission == "curator's price"


def test_taking_every_field_makes_the_site_the_bundles_again(reviewed):
    catalog, folder = reviewed
    [change] = curation.bundled_changes(catalog, folder)
    curation.resolve_bundled(catalog, change, set(change.fields))
    assert catalog.site(TESLA) == change.bundle
    change_bundle(folder, TESLA, visit_minutes=95)
    with Catalog.open(catalog.path, bundled_dir=folder) as again:
        assert again.bundled_review() == []  # nobody's edit left to spare: updated
        assert again.site(TESLA).visit_minutes == 95
