"""Output paths: written through a symlink, devices and FIFOs refused, the umask kept."""

import os
import stat
from dataclasses import replace

import pytest

from sites.files import write_atomically
from sites.models import Site
from sites.validation import validate_site


def test_a_symlink_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_atomically(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"


def test_a_fifo_and_a_device_are_refused_and_left_alone(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="it is a FIFO"):
        write_atomically(fifo, "x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(OSError, match="it is a device"):
        write_atomically("/dev/null", "x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_new_file_gets_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path):
    old = os.umask(0o022)
    try:
        fresh = write_atomically(tmp_path / "fresh.txt", "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        os.umask(0o077)
        assert stat.S_IMODE(write_atomically(tmp_path / "private.txt", "x").stat().st_mode) == 0o600
        fresh.chmod(0o664)
        assert stat.S_IMODE(write_atomically(fresh, "y").stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_control_characters_are_refused_by_validation_but_line_breaks_in_stories_are_not():
    site = Site(id="a-site", name="Name", lat=44.8, lon=20.4, town="Belgrade", summary="One.\nTwo.\tThree.")
    assert not [p for p in validate_site(site) if "control" in p.message]
    evil = replace(site, name="Evil \x1b]0;owned\x07", town="Bel\ngrade", summary="x\x00y")
    found = {p.field: p.message for p in validate_site(evil) if "control" in p.message}
    assert found == {
        "name": "holds control character(s) U+001B, U+0007; remove them",
        "town": "holds control character(s) U+000A; remove them",
        "summary": "holds control character(s) U+0000; remove them",
    }
