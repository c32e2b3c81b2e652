"""Search on the bundled catalog answers the way a traveler expects, and as the README says."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readmes_search_examples_are_answered(bundled_catalog):
    line = next(x for x in README.read_text(encoding="utf-8").splitlines() if "all work)" in x)
    examples = re.findall(r"`([^`]+)`", line.split("all work)")[0])
    assert len(examples) >= 3
    for query in examples:
        assert bundled_catalog.search(query), f"the README promises {query!r} finds something"


def test_a_near_miss_is_forgiven_but_a_fragment_is_not(bundled_catalog):
    assert any("tesla" in r.site.id for r in bundled_catalog.search("teslq")[:3])
    assert bundled_catalog.search("cupic") == []  # "cup" of "Fed Cup" is no near miss


def test_the_place_a_story_is_known_by_comes_first(bundled_catalog):
    first = {q: bundled_catalog.search(q, limit=1)[0].site.id for q in ("tesla", "halyard", "Пупин", "pupin")}
    assert first == {
        "tesla": "nikola-tesla-museum",
        "halyard": "galovica-polje-halyard-memorial",
        "Пупин": "pupin-birth-house-idvor",
        "pupin": "pupin-birth-house-idvor",
    }


def test_prominence_does_not_lift_a_passing_mention_above_a_name(bundled_catalog):
    assert bundled_catalog.search("embassy", limit=1)[0].site.id == "us-embassy-belgrade"
