"""The catalog audit: a mirror is told from a publisher, and the bundled catalog cites none."""

from datetime import date

import pytest

from sites.audit import health, mirror_reason, source_weakness


@pytest.mark.parametrize(
    "url",
    [
        "https://www.wikizero.com/en/Nikola_Tesla_Museum",
        "https://it.m.wiki.x.io/wiki/Pupin",
        "https://de.frwiki.wiki/wiki/Idvor",
        "http://91.121.3.4/wiki/Tesla",
        "http://example.org:20151/wiki/Tesla",
        "https://ipfs.io/ipfs/QmXoypiz/wiki/Tesla.html",
        "https://proxy.example.net/browse?url=https%3A%2F%2Fen.wikipedia.org%2Fwiki%2FTesla",
        "https://dumps.example.org/wikipedia_en_all.7z",
        "https://en.wikipedia.com/wiki/Nikola_Tesla",
        "https://library.example.org/content/wikipedia_en_all_maxi/A/Nikola_Tesla",
    ],
)
def test_mirrors_proxies_and_archives_are_not_publishers(url):
    assert mirror_reason(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Nikola_Tesla_Museum",
        "https://www.wikidata.org/wiki/Q1334025",
        "https://nikolateslamuseum.org/en/",
        "https://rs.usembassy.gov/",
    ],
)
def test_publishers_pass(url):
    assert mirror_reason(url) is None
    assert source_weakness(url) is None


def test_plain_http_is_weak_but_no_mirror():
    assert mirror_reason("http://www.tos.org.rs/node/728") is None
    assert source_weakness("http://www.tos.org.rs/node/728") == "plain http"


def test_the_bundled_catalog_cites_no_mirror(bundled_catalog):
    mirrors = [
        f"{site.id}: {source.url} ({why})"
        for site in bundled_catalog.all_sites()
        for source in site.sources
        if (why := mirror_reason(source.url))
    ]
    assert mirrors == []


def test_health_counts_what_a_curator_should_look_at(bundled_catalog):
    sites = bundled_catalog.all_sites()
    report = health(sites, date(2026, 12, 1))
    assert report.sites == len(sites)
    assert set(report.approximate) == {s.id for s in sites if s.coord_precision != "building"}
    assert set(report.unconfirmed_hours) == {s.id for s in sites if s.opening_hours is None}
    later = health(sites, date(2030, 1, 1))
    assert len(later.stale) == len(sites)  # nothing verified in 2026 is fresh in 2030
