"""The selected site's story and facts, every catalog text escaped before it is shown."""

from html import escape

from PySide6.QtWidgets import QTextBrowser

from maps.exports.trip import address
from maps.exports.words import APPROXIMATE, UNKNOWN_HOURS
from sites.models import Site, Theme
from sites.opening_hours import UNCONFIRMED_HOURS

_WHEELCHAIR = {"yes": "Accessible", "limited": "Partly accessible", "no": "Not accessible"}


def site_html(site: Site, themes: dict[str, Theme]) -> str:
    """The detail page of a site as HTML in which catalog text can only ever be text."""
    e = escape
    theme_names = ", ".join(e(themes[t].name if t in themes else t) for t in site.themes)
    local = " · ".join(e(n) for n in (site.name_sr_latn, site.name_sr_cyrl) if n)
    facts = [
        # The street and town said once ("Krunska 51, Belgrade"), then the region if it adds one.
        (
            "Where",
            e(", ".join([address(site)] + ([site.region] if site.region not in ("", site.town) else []))),
        ),
        (
            "Coordinates",
            f"{site.lat:.5f}, {site.lon:.5f}" + (f" <b>{e(APPROXIMATE)}</b>" if site.approximate else ""),
        ),
        (
            "Opening hours",
            e(site.opening_hours)
            if site.opening_hours
            else f"<b>{e(UNKNOWN_HOURS.capitalize())}.</b> Trips plan it on cautious hours "
            f"({e(UNCONFIRMED_HOURS)}).",
        ),
        ("Typical visit", f"{site.visit_minutes} minutes"),
        ("Admission", e(site.admission or "Unknown")),
        ("Wheelchair", e(_WHEELCHAIR.get(site.wheelchair or "", "Unknown"))),
        ("Website", _link(site.website) if site.website else "None"),
        (
            "Wikidata",
            _link(f"https://www.wikidata.org/wiki/{site.wikidata}", site.wikidata)
            if site.wikidata
            else "None",
        ),
        ("Themes", theme_names),
    ]
    rows = "".join(f"<tr><th align='left'>{label}</th><td>{value}</td></tr>" for label, value in facts)
    sources = "".join(
        f"<li>{_link(s.url)}{' — ' + e(s.supports) if s.supports else ''}</li>" for s in site.sources
    )
    verified = site.last_verified.isoformat() if site.last_verified else "never"
    paragraphs = "".join(f"<p>{e(p)}</p>" for p in site.description.split("\n") if p.strip())
    return (
        f"<h2>{e(site.name)}</h2>"
        + (f"<p><i>{local}</i></p>" if local else "")
        + f"<p><b>{e(site.summary)}</b></p>"
        + f"<h3>Why it matters to Americans</h3><p>{e(site.us_connection)}</p>"
        + f"<h3>The story</h3>{paragraphs}"
        + f"<h3>Visiting</h3><table cellspacing='4'>{rows}</table>"
        + f"<h3>Sources</h3><ul>{sources}</ul>"
        + f"<p><small>Last verified {verified}</small></p>"
    )


def _link(url: str, label: str | None = None) -> str:
    safe = url if url.startswith(("http://", "https://")) else "#"
    return f"<a href='{escape(safe, quote=True)}'>{escape(label or url)}</a>"


class DetailPane(QTextBrowser):
    """Shows one site; links open in the system browser."""

    def __init__(self, themes: list[Theme], parent=None):
        super().__init__(parent)
        self._themes = {t.id: t for t in themes}
        self.setOpenExternalLinks(True)
        self.setObjectName("detailPane")
        self.show_site(None)

    def show_site(self, site: Site | None) -> None:
        """Show a site, or a hint when none is selected."""
        if site is None:
            self.setHtml(
                "<p style='color:#666'>Select a site in the list or on the map to read its story.</p>"
            )
        else:
            self.setHtml(site_html(site, self._themes))
