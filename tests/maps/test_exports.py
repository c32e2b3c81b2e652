"""Every export read back by a parser we did not write, with hostile text in the catalog."""

import csv
import errno
import io
import json
import os
import re
from dataclasses import replace
from datetime import date
from html import unescape
from pathlib import Path

import gpxpy
import pytest
from icalendar import Calendar
from lxml import etree
from pypdf import PdfReader
from shapely.geometry import shape

from maps import exports
from maps.exports import ExportError, Trip, export_trip, trip_for
from maps.exports.profile import OperatorProfile
from maps.planning.request import TripRequest, Wish
from maps.planning.trip import plan_trip
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


def test_kml_parses_with_a_folder_per_day(trip):
    from fastkml import kml

    text = exports.to_kml(trip)
    document = kml.KML.from_string(text.encode("utf-8"))
    folders = list(document.features[0].features)
    assert len(folders) == len(trip.itinerary.days)
    placemarks = [p for f in folders for p in f.features if p.name[0].isdigit()]
    assert len(placemarks) == len(SITES)
    tesla = next(p for p in placemarks if "Tesla Museum" in p.name)
    # Shown as HTML by Google Earth: the text arrives escaped, so it displays as written.
    assert HOSTILE in unescape(tesla.description.replace("<br/>", "\n"))
    assert "<script>" not in tesla.description


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
    visits = [e for e in events if not str(e["summary"]).startswith(("Travel to", "Lunch"))]
    assert len(visits) == len(SITES)
    assert any(str(e["summary"]).startswith("Travel to") for e in events)
    tesla = next(e for e in visits if "Tesla" in str(e["summary"]))
    assert str(tesla["description"]).count(HOSTILE) == 2
    start = tesla.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Belgrade" and start.utcoffset().total_seconds() == 7200
    assert tesla["geo"].latitude == pytest.approx(trip.sites["nikola-tesla-museum"].lat)
    assert [c for c in calendar.walk("VTIMEZONE")]


def test_csv_has_a_row_per_stop(trip):
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(trip))))
    assert [r["site_id"] for r in rows] == trip.itinerary.stop_ids()
    assert next(r for r in rows if r["site_id"] == "nikola-tesla-museum")["us_connection"] == HOSTILE


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


def test_html_map_has_no_remote_script(trip):
    html = exports.to_html(trip)
    assert "<script src=" not in html and 'alert("x")</script>' not in html
    assert "showRoutes" in html and "Balkan Heritage Tours" in html
    data = json.loads(re.search(r"HT.siteLayer\(\n.*\n.*\n\s*(\[.*?\]),\n", html).group(1))
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
    (tmp_path / "logo.png").write_bytes(b"\\x89PNG")
    path = tmp_path / "profile.json"
    path.write_text(
        json.dumps({"name": "Tours", "contact": "x@example.org", "footer": "f", "logo": "logo.png"})
    )
    assert OperatorProfile.load(path).logo == str(tmp_path / "logo.png")
    path.write_text("{oops")
    with pytest.raises(ExportError, match="cannot be read"):
        OperatorProfile.load(path)
