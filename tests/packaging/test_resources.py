"""The files that make Annotator an installable desktop app: icon, .desktop entry, AppStream data.

Fast checks only (nothing is built); scripts/check-wheel.sh and scripts/build-app.sh do the rest.
"""

from __future__ import annotations

import configparser
import datetime
import struct
from importlib import metadata
from pathlib import Path
from xml.etree import ElementTree

import pytest

import annotator
from annotator import APP_ID
from annotator.core.resources import resource, resources_folder

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
PNG_SIZES = (16, 32, 48, 64, 128, 256)
SVG_NS = "{http://www.w3.org/2000/svg}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(PACKAGING / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ElementTree.Element:
    return ElementTree.parse(PACKAGING / f"{APP_ID}.metainfo.xml").getroot()


def test_the_installed_package_has_the_app_icon() -> None:
    icon = resource("icons", f"{APP_ID}.svg")
    root = ElementTree.fromstring(icon.read_bytes())
    assert root.tag == f"{SVG_NS}svg"
    x, y, width, height = (float(number) for number in root.attrib["viewBox"].split())
    assert (x, y) == (0, 0)
    assert width == height > 0, "an app icon is square"
    for element in root.iter():
        assert element.tag not in {f"{SVG_NS}text", f"{SVG_NS}image"}, "no text, no raster images"
        links = [value for key, value in element.attrib.items() if key.endswith("href")]
        assert all(link.startswith("#") for link in links), f"external reference in {element.tag}"


@pytest.mark.parametrize("size", PNG_SIZES)
def test_a_png_rendering_exists_for_each_hicolor_size(size: int) -> None:
    png = PACKAGING / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert png.is_file(), f"{png} is missing; run packaging/render_icons.py"
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (size, size)


def test_the_desktop_entry_launches_the_app_with_its_icon() -> None:
    entry = desktop_entry()
    for key in ("Type", "Name", "Exec", "Icon", "Categories"):
        assert entry.get(key), f"the .desktop file has no {key}"
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID
    command = entry["Exec"].split()[0]
    scripts = metadata.entry_points(group="console_scripts", name=command)
    assert [script.value for script in scripts] == ["annotator.cli:main"]
    assert entry["Categories"].endswith(";")


def test_the_metainfo_describes_this_app_and_this_version() -> None:
    root = metainfo()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == "annotator"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"


def test_the_newest_metainfo_release_is_the_package_version() -> None:
    """A version bump needs a <release> entry (newest first) in the metainfo file."""
    releases = metainfo().findall("releases/release")
    assert releases, "the metainfo file lists no releases"
    newest = releases[0]
    assert newest.get("version") == annotator.__version__, (
        f"annotator is {annotator.__version__} but the newest release in "
        f"packaging/{APP_ID}.metainfo.xml is {newest.get('version')}; add a <release> entry"
    )
    datetime.date.fromisoformat(newest.get("date", ""))


def test_a_checkout_finds_the_top_level_resources_folder() -> None:
    """From the source tree the shipped files are read from resources/ at the top (the wheel
    carries them as annotator/resources/; scripts/check-wheel.sh checks that side)."""
    assert resources_folder() == Path(__file__).resolve().parents[2] / "resources"
    for parts in (
        ("schema.toml",),
        ("guidelines.md",),
        ("demo", "articles.jsonl"),
        ("demo", "actors.toml"),
        ("icons", f"{APP_ID}.svg"),
    ):
        assert resource(*parts).is_file(), parts
