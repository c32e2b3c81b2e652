"""Control characters a catalog may already hold (written before they were refused, or in a trip
JSON someone sends) never break a file nor reach the terminal raw: each export is read back by a
parser we did not write, and the timetable text carries no control character."""

import errno
import json
import os
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from lxml import etree
from pypdf import PdfReader

from maps import exports
from maps.exports import ExportError, export_trip, trip_for
from maps.exports.profile import OperatorProfile
from maps.exports.timetable import format_timetable
from maps.planning.itinerary import dumps, itinerary_from_json
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip
from sites.catalog import Catalog

#: An escape sequence that clears the screen and retitles the terminal, a NUL, a bell, a DEL, a
#: C1 control, an XML 1.0 non-character, a vertical tab and a form feed.
NASTY = "A\x1b[2J\x1b]0;owned\x07B\x00C\x7fD\x9bE\ufffeH\x0bI\x0cJ"
#: Lone surrogates (half of an emoji): a trip JSON can carry them (SQLite cannot).
HALVES = "S\ud83dT\udc00U"
TESLA = "nikola-tesla-museum"
GALOVICA = "galovica-polje-halyard-memorial"


def _raw_controls(text: str) -> list[str]:
    """Characters a terminal acts on or an encoder refuses (newline and tab are text)."""
    return [ch for ch in text if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs")]


@pytest.fixture(scope="module")
def hostile(bundled_catalog):
    """A catalog whose Tesla Museum has control characters in every text field, and a trip
    through it whose name and base carry them too."""
    sites = [
        replace(s, name=f"Tesla {NASTY} Museum", summary=NASTY, us_connection=NASTY, address=NASTY,
                admission=NASTY, town=s.town) if s.id == TESLA else s
        for s in bundled_catalog.sites()
    ]  # fmt: skip
    catalog = Catalog.in_memory(bundled_catalog.themes(), sites)
    request = TripRequest(f"Trip {NASTY}", date(2027, 5, 11), 2, ("Belgrade",), (Wish(TESLA), Wish(GALOVICA)))
    planned = plan_trip(request, catalog).to_json()
    assert TESLA in json.dumps(planned)
    # As a trip JSON someone sends: lone surrogates in the trip's name and a stop's.
    planned["request"]["name"] += HALVES
    next(s for d in planned["days"] for s in d["stops"] if s["site_id"] == TESLA)["name"] += HALVES
    itinerary = itinerary_from_json(json.loads(json.dumps(planned)))
    profile = OperatorProfile(f"Tours {NASTY}", f"mail {NASTY}", f"footer {NASTY}")
    return catalog, itinerary, profile


@pytest.fixture(scope="module")
def written(hostile, tmp_path_factory) -> dict[str, Path]:
    catalog, itinerary, profile = hostile
    folder = tmp_path_factory.mktemp("hostile-export")
    files = export_trip(trip_for(itinerary, catalog, profile), exports.FORMATS, folder)
    return {path.suffix[1:]: path for path in files}


def test_the_timetable_text_has_no_raw_control_character(hostile):
    _, itinerary, _ = hostile
    text = format_timetable(itinerary)
    assert _raw_controls(text) == []
    assert "Tesla A\\x1b[2J\\x1b]0;owned\\x07B\\x00C" in text  # shown, escaped, not hidden
    assert text.encode("utf-8")  # lone surrogates too: the text can be written to a terminal


def test_a_trip_json_with_control_characters_reads_back_and_prints_safely(hostile):
    _, itinerary, _ = hostile
    again = itinerary_from_json(json.loads(dumps(itinerary)))
    assert _raw_controls(format_timetable(again)) == []


def test_gpx_stays_xml_and_keeps_the_readable_text(written):
    data = written["gpx"].read_bytes()
    root = etree.fromstring(data)  # lxml refuses any character XML 1.0 does not allow
    names = [el.text for el in root.iter("{http://www.topografix.com/GPX/1/1}name")]
    tesla = next(n for n in names if "Tesla" in n)
    assert tesla.startswith("D") and "Museum" in tesla and "A" in tesla and "J" in tesla
    assert _raw_controls("".join(root.itertext())) == []
    import gpxpy

    assert len(gpxpy.parse(data.decode("utf-8")).waypoints) == 2


def test_kml_is_written_whole_and_parses(written):
    root = ElementTree.fromstring(written["kml"].read_bytes())
    kml = "{http://www.opengis.net/kml/2.2}"
    names = [el.text or "" for el in root.iter(f"{kml}name")]
    assert any("Tesla" in n and "Museum" in n for n in names)
    assert len(list(root.iter(f"{kml}Placemark"))) == 2 + 2  # two stops and a route per day with stops
    etree.fromstring(written["kml"].read_bytes())


def test_ics_parses_with_the_visit(written):
    calendar = Calendar.from_ical(written["ics"].read_bytes())
    summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    tesla = next(s for s in summaries if "Tesla" in s)
    assert "Museum" in tesla and _raw_controls(tesla) == []
    assert _raw_controls(str(calendar.get("x-wr-calname"))) == []


def test_pdf_opens_and_reads(written):
    reader = PdfReader(written["pdf"])
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Tesla" in text and "Museum" in text
    assert _raw_controls(text.replace("\r", "")) == []


def test_html_geojson_and_csv_carry_no_raw_control_character(written):
    for kind in ("html", "geojson", "csv"):
        text = written[kind].read_text(encoding="utf-8")
        assert _raw_controls(text.replace("\r", "")) == [], kind
    json.loads(written["geojson"].read_text(encoding="utf-8"))


# -- operator profiles and full disks: one line naming what and where -----------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
PROFILE_KEYS = st.sampled_from(["name", "contact", "footer", "logo", "Name", "website"])


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (4, 2), "red").save(path)
    return path


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=JSON | st.dictionaries(PROFILE_KEYS, JSON, max_size=4),
    raw=st.none() | st.binary(max_size=40),
)
def test_any_profile_file_loads_or_is_refused_in_one_line_naming_it(tmp_path, data, raw):
    path = tmp_path / "profile.json"
    path.write_bytes(raw if raw is not None else json.dumps(data).encode("utf-8"))
    try:
        profile = OperatorProfile.load(path)
    except ExportError as error:
        message = str(error)
        assert message.startswith(f"Operator profile {path}: ") and "\n" not in message
        return
    for text in (profile.name, profile.contact, profile.footer):
        assert isinstance(text, str)
    assert profile.logo is None or Path(profile.logo).is_file()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ({"name": ["Tours"]}, "'name' must be text, not a list"),
        ({"footer": 3}, "'footer' must be text, not a number"),
        ([1, 2], "must be a JSON object with the keys name, contact, footer and logo, not a list"),
        ({"nmae": "Tours"}, "unknown key(s) 'nmae'"),
        ({"logo": "logo.png"}, "the logo {folder}/logo.png is not an image the booklet can show"),
        ({"logo": "missing.png"}, "the logo {folder}/missing.png does not exist"),
        ({"logo": "logos"}, "the logo {folder}/logos is not a file"),
    ],
)
def test_a_bad_profile_is_named_with_what_is_wrong(tmp_path, content, said):
    (tmp_path / "logo.png").write_text("not an image")
    (tmp_path / "logos").mkdir()
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(content))
    with pytest.raises(ExportError) as raised:
        OperatorProfile.load(path)
    assert str(raised.value).startswith(f"Operator profile {path}: {said.format(folder=tmp_path)}")


def test_a_real_logo_loads_and_one_spoiled_later_is_named_by_the_booklet(hostile, tmp_path):
    catalog, itinerary, _ = hostile
    logo = _png(tmp_path / "logo.png")
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"name": "Tours", "logo": "logo.png"}))
    profile = OperatorProfile.load(path)
    assert profile.logo == str(logo)
    [pdf] = export_trip(trip_for(itinerary, catalog, profile), ["pdf"], tmp_path / "ok")
    assert PdfReader(pdf).pages
    logo.write_text("spoiled")
    with pytest.raises(ExportError, match=f"^The operator's logo {logo} is not an image"):
        export_trip(trip_for(itinerary, catalog, profile), ["pdf"], tmp_path / "spoiled")
    assert not (tmp_path / "spoiled" / pdf.name).exists()


@pytest.mark.parametrize("writer", ["sites", "exports"])
def test_a_full_disk_names_the_file(tmp_path, monkeypatch, writer):
    from app.errors import describe
    from maps.exports.output import write_atomically as export_file
    from sites.files import write_atomically as catalog_file

    def full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "out.csv"
    with pytest.raises((OSError, ExportError)) as raised:
        (catalog_file if writer == "sites" else export_file)(target, "id,name\n")
    message = describe(raised.value)
    assert str(target) in message and "No space left on device" in message and "\n" not in message
    assert list(tmp_path.iterdir()) == []
