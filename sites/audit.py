"""The catalog's health at a glance, for curators: approximate points, unconfirmed hours, weak
sources, missing Wikidata ids and entries not checked for a year; and the rule that tells a
publisher's page from a mirror, a proxy or an archive file."""

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from sites.models import Site

#: Hosts that copy or wrap other publishers' pages (Wikipedia mirrors, scrapers, proxies,
#: aggregators): a source must name the publisher instead.
MIRROR_HOSTS = re.compile(
    r"(^|\.)(wikizero\.com|wiki\.x\.io|frwiki\.wiki|jmedia\.wiki|wiki\.li|wikiwand\.com|"
    r"wiki2\.org|wikimili\.com|piglix\.com|osmarks\.net|movatter\.jp|datana\.cloud|"
    r"dbpedia\.org|everybodywiki\.com|wikitia\.com|justapedia\.org|en\.wikipedia\.com|"
    r"ipfs\.io|dweb\.link|cf-ipfs\.com|archive\.ph|archive\.today|newsnow\.co\.uk)$"
)
#: Query parameters that mean the page is fetched through someone else's proxy.
_PROXY_QUERY = re.compile(r"(^|&)(url|u|q|target)=https?(%3A|:)", re.IGNORECASE)
_ARCHIVE_FILE = re.compile(r"\.(7z|zip|rar|tar|gz|bz2|xz)$", re.IGNORECASE)
#: A site not checked against its sources for this long counts as stale.
STALE_AFTER = timedelta(days=365)
#: Fewer sources than this is thin for a catalog entry.
MIN_SOURCES = 2


def mirror_reason(url: str) -> str | None:
    """Why a source URL is not a publisher's page (a mirror, a proxy, an IP address, a port,
    an archive file...), or None when nothing marks it so."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "not a readable address"
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return "not a web address"
    if port is not None:
        return f"a server on port {port}, not a publisher's site"
    try:
        ipaddress.ip_address(host)
        return "a bare IP address, not a publisher's site"
    except ValueError:
        pass
    if MIRROR_HOSTS.search(host) or host.startswith("ipfs.") or "/ipfs/" in parts.path:
        return f"{host} copies other publishers' pages"
    if "/content/wikipedia_" in parts.path:
        return "an offline Wikipedia copy, not the article"
    if _PROXY_QUERY.search(parts.query):
        return "a page fetched through a proxy"
    if _ARCHIVE_FILE.search(parts.path):
        return "an archive file, not a page"
    return None


def source_weakness(url: str) -> str | None:
    """A mirror's reason, or "plain http" for a page not fetched over https."""
    return mirror_reason(url) or ("plain http" if url.lower().startswith("http://") else None)


@dataclass
class Health:
    """What a curator should look at, site by site."""

    sites: int = 0
    approximate: list[str] = field(default_factory=list)
    unconfirmed_hours: list[str] = field(default_factory=list)
    weak_sources: dict[str, list[str]] = field(default_factory=dict)  # site id -> "url: why"
    thin_sources: list[str] = field(default_factory=list)
    no_wikidata: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Each list's length, by name."""
        return {
            "sites": self.sites,
            "approximate points": len(self.approximate),
            "hours not confirmed": len(self.unconfirmed_hours),
            "sites with weak sources": len(self.weak_sources),
            f"sites with fewer than {MIN_SOURCES} sources": len(self.thin_sources),
            "no Wikidata id": len(self.no_wikidata),
            "not verified for a year": len(self.stale),
        }

    def to_json(self) -> dict:
        """Counts and lists as JSON-ready data."""
        return {
            "counts": self.counts(),
            "approximate": self.approximate,
            "unconfirmed_hours": self.unconfirmed_hours,
            "weak_sources": self.weak_sources,
            "thin_sources": self.thin_sources,
            "no_wikidata": self.no_wikidata,
            "stale": self.stale,
        }


def health(sites: list[Site], today: date) -> Health:
    """The health of a set of sites as of ``today``."""
    report = Health(sites=len(sites))
    for site in sites:
        if site.coord_precision != "building":
            report.approximate.append(site.id)
        if site.opening_hours is None:
            report.unconfirmed_hours.append(site.id)
        weak = [f"{s.url}: {why}" for s in site.sources if (why := source_weakness(s.url))]
        if weak:
            report.weak_sources[site.id] = weak
        if len(site.sources) < MIN_SOURCES:
            report.thin_sources.append(site.id)
        if not site.wikidata:
            report.no_wikidata.append(site.id)
        if site.last_verified is None or today - site.last_verified > STALE_AFTER:
            report.stale.append(site.id)
    return report
