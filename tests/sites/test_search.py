"""Search folds what people type, tolerates near misses, and survives any text."""

import sqlite3
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process
from sqlite_utils import Database

from sites import search
from sites.catalog import Catalog, write_sites
from sites.folding import fold
from sites.models import Site, SiteFilter, Source, Theme
from sites.schema import migrations

THEMES = [Theme("sport", "Sport", "#2e7d32", "S"), Theme("history", "History", "#8c2d04", "H")]


def _site(site_id, name, town="Belgrade", **extra):
    values = dict(id=site_id, name=name, lat=44.8, lon=20.46, town=town, themes=("history",),
                  summary=f"About {name}.", sources=(Source("https://example.org/" + site_id),))  # fmt: skip
    values.update(extra)
    return Site(**values)


@pytest.fixture
def catalog():
    return Catalog.in_memory(
        THEMES,
        [
            _site("cupiceva", "Stojan Čupić Street", name_sr_cyrl="Улица Стојана Чупића"),
            _site("djokovic", "Novak Đoković's first courts", themes=("sport",), wheelchair="yes"),
            _site("pupin", "Mihajlo Pupin Birth House", town="Idvor", region="South Banat",
                  name_sr_cyrl="Родна кућа Михајла Пупина", opening_hours="Tu-Su 09:00-17:00; PH off"),
            _site("museum", "Tesla Museum", summary="Tesla's archive and urn.", wheelchair="limited"),
        ],
    )  # fmt: skip


def ids(results):
    return [r.site.id for r in results]


def test_folding():
    assert fold("Čupić") == fold("Cupic") == fold("Чупић") == "cupic"
    assert fold("Đoković") == fold("Djokovic") == fold("Ђоковић") == "djokovic"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cupic", "cupiceva"),
        ("Čupić", "cupiceva"),
        ("Чупић", "cupiceva"),
        ("djokovic", "djokovic"),
        ("Đoković", "djokovic"),
        ("Ђоковић", "djokovic"),
        ("Пупин", "pupin"),
        ("pupin idvor", "pupin"),
        ("idvor", "pupin"),
        ("tesla musuem", "museum"),
        ("djokovc", "djokovic"),
        ("Mihajlo Pupn", "pupin"),
    ],
)
def test_what_people_type_finds_the_site(catalog, query, expected):
    assert ids(catalog.search(query))[0] == expected


HOSTILE = ['"', "AND(", "*", "", " ", "NEAR(a b)", "name:x", "'", "\x00", "-", "^pupin", "(((", "OR",
           "x" * 10_000, "pupin " * 2_000, '"pupin', "pupin*", "💥", "%_", "\\",
           "; DROP TABLE sites;"]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q[:12]))
def test_any_text_is_a_safe_query(catalog, query):
    results = catalog.search(query)
    assert isinstance(results, list)
    assert len(catalog) == 4


def test_empty_query_lists_every_site_by_name(catalog):
    assert ids(catalog.search("")) == ["pupin", "djokovic", "cupiceva", "museum"]


def test_results_are_ranked_name_first(catalog):
    results = catalog.search("tesla")
    assert ids(results) == ["museum"]
    assert results[0].score > 0


def test_nothing_matches_nonsense(catalog):
    assert catalog.search("zzqqxx") == []


def test_filters(catalog):
    assert ids(catalog.search("", SiteFilter(themes=frozenset({"sport"})))) == ["djokovic"]
    assert ids(catalog.search("", SiteFilter(region="south banat"))) == ["pupin"]
    assert set(ids(catalog.search("", SiteFilter(wheelchair="yes")))) == {"djokovic"}
    assert set(ids(catalog.search("", SiteFilter(wheelchair="limited")))) == {"djokovic", "museum"}
    monday, tuesday = date(2026, 11, 30), date(2026, 12, 1)
    assert "pupin" not in ids(catalog.search("", SiteFilter(open_on=monday)))
    assert "pupin" in ids(catalog.search("", SiteFilter(open_on=tuesday)))
    christmas = date(2027, 1, 7)  # Orthodox Christmas, a Serbian public holiday (a Thursday)
    assert "pupin" not in ids(catalog.search("", SiteFilter(open_on=christmas)))


def test_bundled_catalog_search(bundled_catalog):
    assert ids(bundled_catalog.search("Пупин"))[:1][0].startswith("pupin")
    assert "nikola-tesla-museum" in ids(bundled_catalog.search("tesla museum"))[:2]
    assert "galovica-polje-halyard-memorial" in ids(bundled_catalog.search("halyard pranjani"))[:3]
    assert "sargan-eight-railway-mokra-gora" in ids(bundled_catalog.search("sargan"))
    assert "guca-trumpet-festival" in ids(bundled_catalog.search("гуча"))


# -- a page of results on a large catalog ------------------------------------------------------

TOWNS = ["Belgrade", "Bela Crkva", "Novi Sad", "Niš", "Valjevo"]
KINDS = ["church", "museum", "bridge", "school", "monument"]


@pytest.fixture(scope="module")
def large_catalog():
    """1,500 sites: "bel" and "church" match far more of them than are scored one by one, a
    few are prominent, and some are drafts."""
    sites = [
        _site(f"s{n:04d}", f"{KINDS[n % 5].title()} of {TOWNS[n // 5 % 5]} {n}", town=TOWNS[n // 5 % 5],
              summary=f"A {KINDS[n % 5]} in {TOWNS[n // 5 % 5]}, on the road to {TOWNS[(n + 2) % 5]}.",
              prominence=3 if n in (1234, 777) else 0, status="draft" if n % 97 == 0 else "published")
        for n in range(1_500)
    ]  # fmt: skip
    return Catalog.in_memory(THEMES, sites)


QUERIES = ["bel", "church", "church bel", "museum novi", "Ниш", "s0042", "belgrade 1234", "churh",
           "zzqqxx", "", '"', "AND("]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("drafts", [False, True])
def test_a_page_is_the_start_of_the_full_list(large_catalog, query, drafts):
    full = large_catalog.search(query, drafts=drafts)
    for limit in (1, 20, 400):
        assert ids(large_catalog.search(query, limit=limit, drafts=drafts)) == ids(full[:limit])
    assert large_catalog.count(query, drafts=drafts) == len(full)


def test_a_broad_query_lists_the_prominent_matches_first(large_catalog):
    assert search.RANK_ALL < large_catalog.count("bel") < 1_500
    assert set(ids(large_catalog.search("bel", limit=3))[:2]) == {"s1234", "s0777"}
    # A prominent site that does not match stays out.
    assert "s1234" not in ids(large_catalog.search("valjevo", limit=50))


def test_a_catalog_from_before_prefix_indexes_searches_alike(tmp_path):
    path = tmp_path / "catalog.db"
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m006_search_prefixes")
    with db.conn:
        write_sites(db.conn, [_site("cupiceva", "Stojan Čupić Street"), _site("museum", "Tesla Museum")])
    db.close()
    with Catalog.open(path, sync=False) as catalog:
        assert (
            "prefix"
            in catalog.db.execute("SELECT sql FROM sqlite_master WHERE name = 'sites_fts'").fetchone()[0]
        )
        assert ids(catalog.search("tes")) == ["museum"]
        assert ids(catalog.search("cupic", limit=5)) == ["cupiceva"]
        assert catalog.count("street") == 1


def test_a_near_miss_search_corrects_only_the_words_the_catalog_does_not_hold(catalog):
    near = search._near_expression(catalog.db, ["tesla", "musuem"], catalog._vocabulary_words())
    assert near == '("tesla"*) AND ("museum")'
    assert ids(catalog.search("tesla musuem")) == ["museum"]


LETTERS = "abcdeilnorstuvz0čж-"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(LETTERS, min_size=1, max_size=12), min_size=1, max_size=60), st.data())
def test_the_near_miss_filters_drop_no_word_rapidfuzz_would_keep(words, data):
    # The term is a catalog word with up to two letters changed, added or dropped: near misses
    # exist, and the filters must keep every one rapidfuzz keeps, in its order.
    term = data.draw(st.sampled_from(words))
    for _ in range(data.draw(st.integers(0, 2))):
        at = data.draw(st.integers(0, len(term)))
        letter = data.draw(st.sampled_from(LETTERS))
        term = data.draw(st.sampled_from([term[:at] + letter + term[at + 1 :], term[:at] + letter + term[at:],
                                          term[:at] + term[at + 1 :]]))  # fmt: skip
    if len(term) < 3:
        return
    every = sorted(set(words), key=lambda word: (len(word), word))
    expected = process.extract(term, every, scorer=fuzz.ratio, score_cutoff=search.NEAR_MISS, limit=5)
    assert search.Vocabulary(set(words)).near(term) == [word for word, _score, _index in expected]


def test_a_very_long_catalog_word_does_not_upset_the_near_miss_filters():
    vocabulary = search.Vocabulary(["a" * 300, "x" * 299 + "y", "museum", "ж" * 50])
    assert vocabulary.near("a" * 299 + "b") == ["a" * 300]
    assert vocabulary.near("musuem") == ["museum"]
    assert vocabulary.near("ж" * 49 + "z") == ["ж" * 50]
