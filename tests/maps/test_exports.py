"""Every export read back by a parser we did not write, with hostile text in the catalog."""

import csv
import errno
import io
import itertools
import json
import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import gpxpy
import lxml.html
import pytest
from icalendar import Calendar
from lxml import etree
from pypdf import PdfReader
from shapely.geometry import shape

from maps import exports
from maps.exports import ExportError, Trip, export_trip, trip_for
from maps.exports.profile import OperatorProfile
from maps.exports.timetable import FREE_DAY, format_timetable
from maps.planning.itinerary import DayPlan, Itinerary, Place, PlannedStop, dumps, itinerary_from_json
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip
from maps.render.routes import DAY_COLOURS
from maps.trip_store import TripStore
from sites import files
from sites.catalog import Catalog

DATA = Path(__file__).parent / "data"
HOSTILE = 'Guide <script>alert("x")</script> ]]> & "quotes"\nsecond line'
SITES = ["nikola-tesla-museum", "galovica-polje-halyard-memorial", "pupin-memorial-complex-idvor",
         "military-museum-belgrade-fortress", "university-library-svetozar-markovic"]  # fmt: skip


@pytest.fixture(scope="module")
def trip(bundled_catalog):
    # A catalog whose Tesla Museum summary is hostile text, planned over three days.
    sites = [
        replace(s, summary=HOSTILE, us_connection=HOSTILE) if s.id == "nikola-tesla-museum" else s
        for s in bundled_catalog.sites()
    ]
    catalog = Catalog.in_memory(bundled_catalog.themes(), sites)
    request = TripRequest("Halyard & Pupin: Đoković's Србија", date(2027, 5, 11), 3, ("Belgrade",),
                          tuple(Wish(s) for s in SITES))  # fmt: skip
    itinerary = plan_trip(request, catalog)
    assert set(itinerary.stop_ids()) == set(SITES)
    return trip_for(
        itinerary, catalog, OperatorProfile("Balkan Heritage Tours", "info@example.org", "Licence 123")
    )


def stops(trip: Trip):
    return [(d, s) for d in trip.itinerary.days for s in d.stops]


def test_gpx_is_valid_gpx_1_1(trip):
    text = exports.to_gpx(trip)
    schema = etree.XMLSchema(etree.parse(str(DATA / "gpx-1.1.xsd")))
    schema.assertValid(etree.fromstring(text.encode("utf-8")))
    gpx = gpxpy.parse(text)
    assert len(gpx.waypoints) == len(SITES)
    assert len(gpx.routes) == sum(1 for d in trip.itinerary.days if d.stops)
    tesla = next(w for w in gpx.waypoints if "Tesla Museum" in w.name)
    assert HOSTILE in tesla.description
    assert all(any(src.url in w.description for src in trip.sites[sid].sources)
               for w, sid in zip(gpx.waypoints, trip.itinerary.stop_ids(), strict=True))  # fmt: skip


def test_kml_parses_with_a_folder_per_day(operator_trip):
    from fastkml import kml

    trip = operator_trip
    text = exports.to_kml(trip)
    document = kml.KML.from_string(text.encode("utf-8"))
    folders = list(document.features[0].features)
    busy = [d for d in trip.itinerary.days if d.stops]
    assert len(folders) == len(busy) < len(trip.itinerary.days)  # no folder for the free day
    placemarks = [p for f in folders for p in f.features if not p.name.endswith("route")]
    assert len(placemarks) == len(SITES)
    names = [p.name for p in placemarks]
    assert len(set(names)) == len(names)
    expected = [f"Day {d.index + 1} · {n}. {trip.sites[s.site_id].name}" for d in busy
                for n, s in enumerate(d.stops, start=1)]  # fmt: skip
    assert names == expected
    tesla = next(p for p in placemarks if "Tesla Museum" in p.name)
    # Shown as HTML by Google Earth: the text arrives escaped, so it displays as written.
    assert HOSTILE in unescape(tesla.description.replace("<br/>", "\n"))
    assert "<script>" not in tesla.description
    # Each day's pin: the white icon tinted in the day's own colour.
    root = etree.fromstring(text.encode("utf-8"))
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    for day in busy:
        [style] = root.findall(f".//k:Style[@id='day{day.index + 1}']", ns)
        colour = DAY_COLOURS[day.index % len(DAY_COLOURS)].lower()
        assert (
            style.findtext("k:IconStyle/k:color", namespaces=ns)
            == "ff" + colour[5:7] + colour[3:5] + colour[1:3]
        )
        assert "wht" in style.findtext("k:IconStyle/k:Icon/k:href", namespaces=ns)


# The element order of the OGC KML 2.2 schema (ogckml22.xsd) for the elements the export uses:
# a Feature's elements, then a Placemark's geometry; a Style's sub-styles; a ColorStyle's color first.
KML_ORDER = {
    "Document": ["name", "address", "description", "TimeSpan", "styleUrl", "Style", "Folder", "Placemark"],
    "Folder": ["name", "address", "description", "TimeSpan", "styleUrl", "Style", "Folder", "Placemark"],
    "Placemark": ["name", "address", "description", "TimeSpan", "styleUrl", "Point", "LineString"],
    "Style": ["IconStyle", "LabelStyle", "LineStyle", "PolyStyle"],
    "IconStyle": ["color", "scale", "heading", "Icon"],
    "LineStyle": ["color", "width"],
    "LineString": ["extrude", "tessellate", "altitudeMode", "coordinates"],
    "TimeSpan": ["begin", "end"],
}


def test_kml_elements_follow_the_schema_order(operator_trip):
    root = etree.fromstring(exports.to_kml(operator_trip).encode("utf-8"))
    checked = 0
    for element in root.iter():
        tag = etree.QName(element).localname
        if tag not in KML_ORDER:
            continue
        children = [etree.QName(c).localname for c in element]
        assert all(c in KML_ORDER[tag] for c in children), (tag, children)
        positions = [KML_ORDER[tag].index(c) for c in children]
        assert positions == sorted(positions), (tag, children)
        checked += 1
    assert checked > 10


def test_geojson_is_rfc7946(trip):
    data = json.loads(exports.to_geojson(trip))
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert len(points) == len(SITES) and lines
    for feature in data["features"]:
        assert shape(feature["geometry"]).is_valid
    tesla = next(p for p in points if p["properties"]["id"] == "nikola-tesla-museum")
    assert tesla["properties"]["summary"] == HOSTILE
    site = trip.sites["nikola-tesla-museum"]
    assert tesla["geometry"]["coordinates"] == [site.lon, site.lat]  # RFC 7946: longitude first


def test_ics_has_an_event_per_visit_in_belgrade_time(trip):
    calendar = Calendar.from_ical(exports.to_ics(trip))
    events = [e for e in calendar.walk("VEVENT")]
    visits = [e for e in events if not str(e["summary"]).startswith(("Travel", "Lunch", "Day ", "Back to"))]
    assert len(visits) == len(SITES)
    assert any(str(e["summary"]).startswith("Travel to") for e in events)
    tesla = next(e for e in visits if "Tesla" in str(e["summary"]))
    assert str(tesla["description"]).count(HOSTILE) == 2
    start = tesla.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Belgrade" and start.utcoffset().total_seconds() == 7200
    assert tesla["geo"].latitude == pytest.approx(trip.sites["nikola-tesla-museum"].lat)
    assert [c for c in calendar.walk("VTIMEZONE")]


def reopened(itinerary: Itinerary, how: str, folder: Path) -> Itinerary:
    """The itinerary as an operator gets it back: just planned, saved and reopened, or read
    from a ``plan --json`` file."""
    if how == "saved":
        store = TripStore(folder / "trips.db")
        try:
            return store.load(store.save(itinerary))
        finally:
            store.close()
    if how == "json":
        (folder / "plan.json").write_text(dumps(itinerary), encoding="utf-8")
        return itinerary_from_json(json.loads((folder / "plan.json").read_text(encoding="utf-8")))
    return itinerary


@pytest.mark.parametrize("how", ["planned", "saved", "json"])
def test_ics_of_a_reopened_trip_is_in_belgrade_time_for_two_parsers(trip, how, tmp_path):
    import vobject

    itinerary = reopened(trip.itinerary, how, tmp_path)
    if how != "planned":
        assert all(str(s.start.tzinfo) == "Europe/Belgrade" for d in itinerary.days for s in d.stops)
    text = exports.to_ics(replace(trip, itinerary=itinerary)).decode("utf-8")
    assert "UTC+" not in text and re.findall(r"TZID=([^:;]+)", text)
    assert set(re.findall(r"TZID=([^:;]+)", text)) == {"Europe/Belgrade"}
    # What each visit starts at, as an instant, read by two parsers we did not write.
    wanted = {s.name: s.start.astimezone(UTC) for d in trip.itinerary.days for s in d.stops}
    calendar = Calendar.from_ical(text)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Belgrade"
    events = calendar.walk("VEVENT")
    read = {str(e["summary"]): e.decoded("dtstart").astimezone(UTC) for e in events}
    assert {name: read[name] for name in wanted} == wanted
    second = vobject.readOne(text)
    read = {e.summary.value: e.dtstart.value.astimezone(UTC) for e in second.vevent_list}
    assert {name: read[name] for name in wanted} == wanted
    for event in second.vevent_list:
        if isinstance(event.dtstart.value, datetime):
            # The zone vobject built from the VTIMEZONE: Belgrade's summer time in May.
            assert event.dtstart.value.tzname() == "CEST"
            assert event.dtstart.value.utcoffset() == timedelta(hours=2)
            assert all(t.second == 0 for t in (event.dtstart.value, event.dtend.value))


def test_ics_marks_lunch_and_travel_free_and_has_the_way_back(timed, tmp_path):
    import vobject

    itinerary = reopened(timed.itinerary, "json", tmp_path)
    # A hand-edited plan can carry seconds: the calendar shows whole minutes.
    day = itinerary.days[0]
    odd = replace(day, stops=(replace(day.stops[0], leave=day.stops[0].leave + timedelta(seconds=37)),
                              *day.stops[1:]))  # fmt: skip
    text = exports.to_ics(replace(timed, itinerary=replace(itinerary, days=(odd, *itinerary.days[1:]))))
    events = vobject.readOne(text.decode("utf-8")).vevent_list
    free = {e.summary.value for e in events if getattr(e, "transp", None) and e.transp.value == "TRANSPARENT"}
    busy = {e.summary.value for e in events} - free
    assert "Lunch" in free and any(s.startswith("Travel to") for s in free)
    assert busy == {timed.sites[i].name for i in (MUSEUM, CHURCH, PUPIN)}
    [back] = [e for e in events if e.summary.value.startswith("Back to Belgrade")]
    assert back.dtend.value == day.back and back.dtstart.value == day.back - timedelta(hours=1, minutes=30)
    museum = next(e for e in events if e.summary.value == timed.sites[MUSEUM].name)
    assert museum.dtend.value == at(11, 0) and b"T110037" not in text


def test_csv_has_a_row_per_stop(trip):
    rows = [r for r in csv.DictReader(io.StringIO(exports.to_csv(trip))) if r["site_id"]]
    assert [r["site_id"] for r in rows] == trip.itinerary.stop_ids()
    assert next(r for r in rows if r["site_id"] == "nikola-tesla-museum")["us_connection"] == HOSTILE


def test_csv_opens_in_a_spreadsheet_as_text(trip, tmp_path):
    # Catalog text a spreadsheet would run as a formula, and letters Excel garbles without a BOM.
    tesla = trip.sites["nikola-tesla-museum"]
    formulas = {"name": "=HYPERLINK(\"http://x\")", "us_connection": "+1+2", "admission": "-3",
                "wheelchair": "@SUM(A1)", "summary": "\t=1", "address": "\r=2, Beograd"}  # fmt: skip
    sites = {**trip.sites, tesla.id: replace(tesla, **formulas)}
    [path] = export_trip(replace(trip, sites=sites), ["csv"], tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == list(exports.table.CSV_COLUMNS)
    row = next(r for r in rows if r["site_id"] == tesla.id)
    for column in ("name", "us_connection", "admission", "wheelchair"):
        assert row[column] == f"'{formulas[column]}"
    assert row["address"] == "'=2, Beograd"  # the address's parts are trimmed, then neutralised
    assert any("Galovića" in r["name"] for r in rows)


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_exported_files_take_the_users_umask(trip, tmp_path, umask):
    old = os.umask(umask)
    try:
        written = export_trip(trip, exports.FORMATS, tmp_path)
    finally:
        os.umask(old)
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {oct(0o666 & ~umask)}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_a_file_is_written_under_a_temporary_name_then_renamed(trip, tmp_path, monkeypatch):
    renames = []
    real = os.replace
    rename = lambda a, b: renames.append((Path(a).name, Path(b).name)) or real(a, b)  # noqa: E731
    monkeypatch.setattr(os, "replace", rename)
    export_trip(trip, ["gpx"], tmp_path)
    [(temporary, final)] = renames
    assert final == "halyard-pupin-djokovic-s-srbija.gpx" and temporary.startswith(f".{final}.")


def test_html_title_and_texts_are_escaped(trip):
    name = '</title><script>alert("t")</script> & <b>'
    html = exports.to_html(replace(trip, itinerary=replace(trip.itinerary, request=replace(
        trip.itinerary.request, name=name))))  # fmt: skip

    class Reader(HTMLParser):
        title, scripts, tags = "", [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.current = tag

        def handle_endtag(self, tag):
            self.current = ""

        def handle_data(self, data):
            if getattr(self, "current", "") == "title":
                self.title += data
            if getattr(self, "current", "") == "script":
                self.scripts.append(data)

    reader = Reader()
    reader.feed(html)
    assert reader.title == name
    assert "b" not in reader.tags and not any('alert("t")' in s and "</script>" in s for s in reader.scripts)
    assert 'alert("x")</script>' not in html and "<script>alert" not in html


@pytest.mark.parametrize("size", ["letter", "a4"])
def test_pdf_booklet_text_holds_every_stop_and_time(trip, size):
    reader = PdfReader(io.BytesIO(exports.to_pdf(trip, size)))
    width = float(reader.pages[0].mediabox.width)
    assert width == pytest.approx(612 if size == "letter" else 595.3, abs=1)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Đoković's Србија" in text
    assert "Balkan Heritage Tours" in text and "Licence 123" in text
    for _day, stop in stops(trip):
        assert trip.sites[stop.site_id].name.split(" (")[0][:25] in text
        assert f"{stop.start:%H:%M}" in text and f"{stop.leave:%H:%M}" in text
    assert 'alert("x")' in text  # hostile text printed as text
    assert len(reader.pages) >= 1 + len([d for d in trip.itinerary.days])


LONG_NAME = "First three days in Serbia — the Smith family"
CYRILLIC = OperatorProfile(
    "Balkan Heritage Tours d.o.o. — Туристичка агенција Балкан",
    "info@example.org",
    "Лиценца ОТП 123/2024 · Туристичка агенција Балкан Херитиџ, Кнез Михаилова 35, Београд · "
    "Regulated by the Ministry of Tourism and Youth of the Republic of Serbia",
)


@pytest.fixture(scope="module")
def operator_trip(trip):
    """The trip as a tour operator sends it: a long display name and a long Cyrillic footer,
    a museum closed on Mondays, and a free day."""
    request = replace(trip.itinerary.request, name=LONG_NAME, days=len(trip.itinerary.days) + 1)
    last = trip.itinerary.days[-1]
    free = replace(last, index=last.index + 1, date=last.date + timedelta(days=1), stops=(), lunch=None)
    tesla = trip.sites["nikola-tesla-museum"]
    sites = {
        **trip.sites,
        tesla.id: replace(tesla, opening_hours="Tu,We,Fr,Su 10:00-18:00; Th,Sa 10:00-18:00; Mo off"),
    }
    itinerary = replace(trip.itinerary, request=request, days=(*trip.itinerary.days, free))
    return replace(trip, itinerary=itinerary, sites=sites, profile=CYRILLIC)


def word_boxes(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes, as poppler's pdftotext reads them."""
    import subprocess

    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    word = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')
    return [
        [(unescape(w), *map(float, box)) for *box, w in word.findall(page)]
        for page in re.findall(r"<page .*?</page>", html, re.S)
    ]


@pytest.mark.parametrize("size", ["letter", "a4"])
def test_pdf_footer_never_overlaps_the_page_number(operator_trip, size, tmp_path):
    path = tmp_path / "booklet.pdf"
    path.write_bytes(exports.to_pdf(operator_trip, size))
    pages = word_boxes(path)
    for number, words in enumerate(pages, start=1):
        height = max(w[4] for w in words) + 20
        footer = [w for w in words if w[2] > height - 0.7 * 72 - 20]  # the bottom margin
        assert ("page", str(number)) == tuple(w[0] for w in footer[-2:]) or any(
            w[0] == str(number) for w in footer
        )
        assert any(w[0] == "Лиценца" for w in footer)
        for a, b in itertools.combinations(footer, 2):
            overlap_x = min(a[3], b[3]) - max(a[1], b[1])
            overlap_y = min(a[4], b[4]) - max(a[2], b[2])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (number, a, b)


def test_pdf_booklet_reads_as_an_operator_expects(operator_trip, tmp_path):
    path = tmp_path / "booklet.pdf"
    path.write_bytes(exports.to_pdf(operator_trip))
    reader = PdfReader(path)
    texts = [page.extract_text() for page in reader.pages]
    assert LONG_NAME in texts[0].replace("\n", " ")
    # Opening hours in words, for the trip's dates.
    assert "Tue–Sun 10:00–18:00, closed Monday" in "".join(texts).replace("\n", " ")
    assert "Mo off" not in "".join(texts)
    # A free day is one line on a page that holds other things, not a page of its own.
    free_days = [t for t in texts if "free day, no visits planned" in t]
    assert (len(free_days) == 1 and "Lunch" in free_days[0]) or "Sources" in free_days[0]
    # A bookmark per day.
    days = operator_trip.itinerary.days
    assert [o.title for o in reader.outline][: len(days)] == [
        f"Day {d.index + 1} — {d.date:%A %d %B %Y}" + ("" if d.stops else ": free day") for d in days
    ]
    # Sources are links, titled with page and host rather than a percent-encoded URL.
    uris = {a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", []) or []}
    tesla = operator_trip.sites["nikola-tesla-museum"]
    assert {s.url for s in tesla.sources} <= uris
    assert "Genčić Family House (en.wikipedia.org)" in "".join(texts).replace("\n", " ")
    assert "%C4" not in "".join(texts)
    # Only fonts embedded in the file.
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]


def test_pdf_stop_has_a_qr_code_with_its_place(operator_trip, tmp_path):
    import subprocess

    import zxingcpp
    from PIL import Image

    path = tmp_path / "booklet.pdf"
    path.write_bytes(exports.to_pdf(operator_trip))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", "2", "-l", "2", str(path), str(tmp_path / "p")], check=True
    )
    [image] = tmp_path.glob("p*.png")
    found = {r.text for r in zxingcpp.read_barcodes(Image.open(image))}
    first = operator_trip.itinerary.days[0].stops[0]
    site = operator_trip.sites[first.site_id]
    assert f"geo:{site.lat:.6f},{site.lon:.6f}" in found


def test_html_map_has_no_remote_script(trip):
    html = exports.to_html(trip)
    assert "<script src=" not in html and 'alert("x")</script>' not in html
    assert "showRoutes" in html and "Balkan Heritage Tours" in html
    data = json.loads(lxml.html.fromstring(html).xpath('//script[@type="application/json"]')[0].text)
    tesla = next(row for row in data if row[0] == "nikola-tesla-museum")
    assert tesla[8] == [s.url for s in trip.sites["nikola-tesla-museum"].sources]  # sources travel along


def test_export_all_writes_every_file_with_progress(trip, tmp_path):
    seen = []
    files = export_trip(trip, exports.FORMATS, tmp_path / "new" / "folder", lambda f, p: seen.append(f))
    assert seen == list(exports.FORMATS)
    assert sorted(p.suffix for p in files) == sorted(f".{f}" for f in exports.FORMATS)
    assert not list((tmp_path / "new" / "folder").glob(".*part"))


def test_an_unwritable_folder_says_what_failed(trip, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="Cannot write to"):
        export_trip(trip, ["gpx"], blocker / "inside")


def test_a_full_disk_leaves_no_half_written_file(trip, tmp_path, monkeypatch):
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, handle):
            self.inner = real_fdopen(handle, "wb")

        def write(self, data):
            self.inner.write(data[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.inner.close()

    monkeypatch.setattr(files.os, "fdopen", lambda handle, mode: Full(handle))
    (tmp_path / "trip.gpx").write_text("the previous export")
    with pytest.raises(ExportError, match="No space left on device"):
        export_trip(trip, ["gpx"], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trip.gpx"]


def test_operator_profile_file(tmp_path):
    from PIL import Image

    Image.new("RGB", (2, 2)).save(tmp_path / "logo.png")
    path = tmp_path / "profile.json"
    path.write_text(
        json.dumps({"name": "Tours", "contact": "x@example.org", "footer": "f", "logo": "logo.png"})
    )
    assert OperatorProfile.load(path).logo == str(tmp_path / "logo.png")
    path.write_text("{oops")
    with pytest.raises(ExportError, match="cannot be read"):
        OperatorProfile.load(path)


# -- every view reads as a timetable ------------------------------------------------------------
# A hand-made plan with every case a traveler meets: a wait for opening, two sites in the same
# village (an empty leg), lunch between two visits, and a free day.

MUSEUM, CHURCH, PUPIN = (
    "nikola-tesla-museum",
    "idvor-church-of-the-annunciation",
    "pupin-memorial-complex-idvor",
)
TZ = ZoneInfo("Europe/Belgrade")
TIME = re.compile(r"\d\d:\d\d(–\d\d:\d\d)?")
ZERO = re.compile(r"(?<!\d)0 min|\b0 km")  # an empty leg printed as a journey


def at(hour: int, minute: int, day: int = 11) -> datetime:
    return datetime(2027, 5, day, hour, minute, tzinfo=TZ)


def timed_itinerary(catalog) -> Itinerary:
    """The hand-made plan (the plan tree's tests read it too)."""
    site = {i: catalog.site(i) for i in (MUSEUM, CHURCH, PUPIN)}

    def stop(site_id, arrive, start, leave, seconds, metres):
        s = site[site_id]
        return PlannedStop(site_id, s.name, arrive, start, leave, seconds, metres, s.lat, s.lon)

    belgrade = Place("Belgrade", 44.8176, 20.4569)
    busy = DayPlan(
        0, date(2027, 5, 11), belgrade, belgrade, at(9, 40), at(16, 0),
        (
            stop(MUSEUM, at(9, 45), at(10, 0), at(11, 0), 300, 1900),  # waits 15 min for opening
            stop(CHURCH, at(12, 0), at(12, 0), at(12, 30), 3600, 56000),
            stop(PUPIN, at(12, 30), at(12, 30), at(13, 30), 0, 20),  # next door
        ),
        (at(13, 30), at(14, 30)),  # lunch between Pupin and the drive back
        3600 + 30 * 60, 56000,
    )  # fmt: skip
    free = DayPlan(1, date(2027, 5, 12), belgrade, belgrade, at(9, 0, 12), at(9, 0, 12), (), None, 0, 0)
    request = TripRequest("Timed", date(2027, 5, 11), 2, ("Belgrade",), tuple(Wish(i) for i in site))
    return Itinerary(request, (busy, free))


@pytest.fixture(scope="module")
def timed(bundled_catalog):
    return trip_for(timed_itinerary(bundled_catalog), bundled_catalog)


def adds_up(rows: list[tuple[str, str]]) -> list[str]:
    """Rows of (time, text) in order, as a view shows them: every time on a five-minute mark and
    each timed row starting when the one before ended plus the travel shown between them."""
    problems, clock = [], None
    for time, text in rows:
        if not time:
            if clock and (m := re.search(r"(?:(\d+) h )?(\d+) min", text)):
                clock += timedelta(hours=int(m.group(1) or 0), minutes=int(m.group(2)))
            continue
        first, _, last = time.partition("–")
        start, end = (datetime.strptime(t, "%H:%M") if t else None for t in (first, last))
        if any(t and t.minute % 5 for t in (start, end)):
            problems.append(f"{time} is not on a five-minute mark")
        if clock and start != clock:
            problems.append(f"{text} starts at {time}, expected {clock:%H:%M}")
        clock = end or start
    return problems


def cli_rows(text: str) -> list[tuple[str, str]]:
    return [(m.group(1) or "", m.group(2)) for m in re.finditer(r"^  ([\d:–]+)?\s+(.+)$", text, re.M)]


def test_cli_timetable_reads_in_time_order(timed):
    text = format_timetable(timed.itinerary)
    day1, day2 = text.split("\nDay 2")
    assert adds_up(cli_rows(day1)) == [] and len(cli_rows(day1)) == 11
    assert day1.count("arrive") == 1 and "09:45–10:00  arrive, wait 15 min for opening" in day1
    names = [timed.sites[i].name for i in (MUSEUM, CHURCH, PUPIN)]
    lunch = day1.index("13:30–14:30  lunch")
    assert day1.index(names[2]) < lunch < day1.index("back at Belgrade")
    assert "next door" in day1 and not ZERO.search(day1) and "0.0 km" not in day1
    assert "Free day" in day2


def test_lunch_in_the_middle_of_a_drive_is_said_once_on_the_leg(timed):
    day = timed.itinerary.days[0]
    # Leave Pupin 13:30, drive 1 h 30 min with lunch 13:45-14:45 on the way: back at 16:00.
    odd = replace(day, lunch=(at(13, 45), at(14, 45)))
    text = format_timetable(replace(timed.itinerary, days=(odd,)))
    assert "travel 1 h 30 min, 56 km, with lunch on the way" in text
    assert text.count("lunch") == 2 and text.index("with lunch on the way") < text.index("13:45–14:45  lunch")


def test_pdf_day_page_reads_as_a_timetable(timed):
    reader = PdfReader(io.BytesIO(exports.to_pdf(timed)))
    day1 = next(p.extract_text() for p in reader.pages if "Day 1 —" in p.extract_text())
    day2 = next(p.extract_text() for p in reader.pages if "Day 2 —" in p.extract_text())
    lines = day1.splitlines()
    first = next(i for i, x in enumerate(lines) if TIME.fullmatch(x))
    table = lines[first : lines.index("Back at Belgrade") + 1]
    rows, time = [], ""
    for line in table:  # the text layer gives a row's time and its text on lines of their own
        if TIME.fullmatch(line):
            time = line
        else:
            rows.append((time, line))
            time = ""
    assert adds_up(rows) == [], rows
    texts = [text for _, text in rows]
    assert sum(t.startswith("Arrive") for t in texts) == 1
    assert ("09:45–10:00", "Arrive, wait 15 min for opening") in rows
    assert texts.index("Lunch") == texts.index(f"3. {timed.sites[PUPIN].name}") + 1
    assert "next door" in texts and not any(ZERO.search(t) for t in texts)
    assert "free day" in day2


def test_ics_events_follow_one_another_with_lunch_its_own(timed):
    calendar = Calendar.from_ical(exports.to_ics(timed))
    events = sorted(calendar.walk("VEVENT"), key=lambda e: str(e.decoded("dtstart")))
    timed_events = [e for e in events if isinstance(e.decoded("dtstart"), datetime)]
    for before, after in itertools.pairwise(timed_events):
        assert before.decoded("dtend") <= after.decoded("dtstart"), (before["summary"], after["summary"])
    for event in timed_events:
        assert all(e.minute % 5 == 0 for e in (event.decoded("dtstart"), event.decoded("dtend")))
    summaries = [str(e["summary"]) for e in timed_events]
    lunch = summaries.index("Lunch")
    assert summaries[lunch - 1] == timed.sites[PUPIN].name and summaries[lunch + 1].startswith(
        "Back to Belgrade"
    )
    assert not any(s.startswith(f"Travel to {timed.sites[PUPIN].name}") for s in summaries)  # next door
    assert not any(ZERO.search(s) for s in summaries)
    waits = [e for e in timed_events if "wait" in str(e.get("description", ""))]
    assert [str(e["summary"]) for e in waits] == [timed.sites[MUSEUM].name]
    assert "Arrive at 09:45" in str(waits[0]["description"])
    [free] = [e for e in events if not isinstance(e.decoded("dtstart"), datetime)]
    assert "free day" in str(free["summary"]) and free.decoded("dtstart") == date(2027, 5, 12)


def test_csv_rows_in_time_order_with_lunch_and_free_day(timed):
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(timed))))
    assert [r["site_id"] or r["name"] for r in rows] == [MUSEUM, CHURCH, PUPIN, "Lunch", FREE_DAY]
    assert [r["arrive"] for r in rows[:3]] == ["09:45", "", ""]
    assert (rows[2]["travel_minutes"], rows[2]["travel_km"]) == ("", "")  # next door
    assert (rows[3]["start"], rows[3]["leave"], rows[4]["date"]) == ("13:30", "14:30", "2027-05-12")


class _Rows(HTMLParser):
    """The timetable rows of the HTML page, per day heading, as (time, text)."""

    def __init__(self):
        super().__init__()
        self.days: dict[str, list[tuple[str, str]]] = {}
        self.cells: list[str] | None = None
        self.heading: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.heading = ""
        elif tag == "tr":
            self.cells = []
        elif tag == "td" and self.cells is not None:
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "h2" and self.heading is not None:
            self.days[self.heading], self.current, self.heading = [], self.heading, None
        elif tag == "tr" and self.cells is not None:
            self.days[self.current].append((self.cells[0], self.cells[1]))
            self.cells = None

    def handle_data(self, data):
        if self.heading is not None:
            self.heading += data
        elif self.cells:
            self.cells[-1] += data


def test_html_page_carries_the_timetable(timed):
    parser = _Rows()
    parser.feed(exports.to_html(timed))
    day1, day2 = parser.days.values()
    assert adds_up(day1) == [] and len(day1) == 11
    texts = [text for _, text in day1]
    assert sum(t.startswith("Arrive") for t in texts) == 1
    assert texts.index("Lunch") == texts.index(f"3. {timed.sites[PUPIN].name}") + 1
    assert "next door" in texts and not any(ZERO.search(t) for t in texts)
    assert day2 == [("", FREE_DAY)]


def test_a_point_that_is_the_town_centre_is_said_to_be_approximate_in_every_file(bundled_catalog, tmp_path):
    rough, exact = "politika-building-first-basketball-court-plaque", "nikola-tesla-museum"
    assert bundled_catalog.site(rough).coord_precision == "town"
    assert bundled_catalog.site(exact).coord_precision == "building"
    request = TripRequest("Rough", date(2027, 5, 11), 1, ("Belgrade",), (Wish(rough), Wish(exact)))
    trip = trip_for(plan_trip(request, bundled_catalog), bundled_catalog)
    said = "approximate location: the town centre"
    # GPX, read by gpxpy: the town's symbol and the note on the rough point only.
    text = exports.to_gpx(trip)
    etree.XMLSchema(etree.parse(str(DATA / "gpx-1.1.xsd"))).assertValid(
        etree.fromstring(text.encode("utf-8"))
    )
    gpx = gpxpy.parse(text)
    by_name = {w.name.split(" ", 1)[1]: w for w in gpx.waypoints}
    plaque, museum = by_name[bundled_catalog.site(rough).name], by_name[bundled_catalog.site(exact).name]
    assert plaque.symbol == "City (Small)" and said in plaque.description and "approximate" in plaque.comment
    assert museum.symbol is None and said not in museum.description
    # KML, read by fastkml: the rough point has its own hollow style, which the file defines.
    from fastkml import kml

    text = exports.to_kml(trip)
    [folder] = kml.KML.from_string(text.encode("utf-8")).features[0].features
    styles = {p.name.split(". ", 1)[1]: p.style_url.url for p in folder.features if ". " in p.name}
    assert styles[bundled_catalog.site(rough).name] == "#day1-approximate"
    assert styles[bundled_catalog.site(exact).name] == "#day1"
    assert 'id="day1-approximate"' in text
    # PDF and HTML: beside the rough stop.
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.to_pdf(trip))).pages)
    assert pdf.count(said) == 1
    assert exports.to_html(trip).count(said) == 1
