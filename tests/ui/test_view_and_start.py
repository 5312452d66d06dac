"""The View menu (label names, theme), settings kept between starts, and starts without a
display or without a name."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.core.annotations import SpanValue
from annotator.io.demo import load_demo
from annotator.settings import Place, Settings
from annotator.store.database import Database, open_database
from annotator.ui.app import has_display
from annotator.ui.dialogs.identity import choose_annotator
from annotator.ui.text.pane import TAG_LIMIT, DocumentPane
from annotator.ui.theme import apply_theme, is_dark
from tests.ui.journeys.person import ALT, open_document
from tests.ui.journeys.window import start


@pytest.fixture
def project(tmp_path: Path) -> Database:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    yield database  # type: ignore[misc]
    database.close()


def test_settings_keep_name_theme_tags_and_places_through_a_save() -> None:
    settings = Settings(annotator="Zoë 🦊", theme="dark", labels_on_text=False)
    settings.remember("/home/z/p.sqlite", Place("1234", 99))
    settings.remember('C:\\Users\\z\\"odd".sqlite', Place("5678"))
    settings.save()
    again = Settings.load()
    assert again == settings


def test_a_broken_or_strange_settings_file_falls_back_to_defaults() -> None:
    Settings.path().parent.mkdir(parents=True, exist_ok=True)
    Settings.path().write_text('theme = "neon"\nlabels_on_text = "yes"\nplaces = 3\n')
    assert Settings.load() == Settings()
    Settings.path().write_text("this is not TOML = = =")
    assert Settings.load() == Settings()


def test_only_the_newest_places_are_kept() -> None:
    settings = Settings()
    for n in range(40):
        settings.remember(f"/p{n}.sqlite", Place(str(n)))
    settings.remember("/p5.sqlite", Place("again"))
    assert len(settings.places) == 30 and list(settings.places)[-1] == "/p5.sqlite"


@pytest.mark.parametrize(
    ("environ", "platform", "shown"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "w"}, "linux", True),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_a_display_is_there_or_not(environ: dict[str, str], platform: str, shown: bool) -> None:
    assert has_display(environ, platform) is shown


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 and Wayland only")
def test_no_display_is_one_line_exit_1_and_no_project_file(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment.pop("QT_QPA_PLATFORM", None)
    target = tmp_path / "new.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(target)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "annotator: no graphical display: run it in a desktop session, or with xvfb-run"
    )
    assert not target.exists()


def test_a_name_not_given_is_a_stand_in_for_one_session_only(project: Database) -> None:
    chosen = choose_annotator(project, lambda _known, _s: "stand-in", remember=False)
    assert chosen is not None and chosen[1] == "stand-in"
    assert Settings.load().annotator is None  # asked again at the next start
    chosen = choose_annotator(project, lambda _known, _s: "zoe")
    assert Settings.load().annotator == "zoe"


def test_view_menu_label_names_and_dark_theme_by_keys(qtbot: QtBot, project: Database) -> None:
    window = start(qtbot, project)
    open_document(qtbot, window, "Kremlin rejects European troop plans")
    pane = window.workspace.left.pane
    text = pane.text
    kremlin = text.index("Kremlin")
    cursor = pane.textCursor()
    cursor.setPosition(kremlin)
    cursor.setPosition(kremlin + len("Kremlin"), cursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    qtbot.keyClick(pane, Qt.Key.Key_1)
    assert pane.highlighter.tags_on  # on by default
    assert pane.highlighter.tag_labels == {kremlin + len("Kremlin") - 1: ("ACTOR",)}
    # View › Label names off: no room is made after the span any more.
    qtbot.keyClick(window.menuBar(), Qt.Key.Key_V, ALT)
    qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_N)
    assert not pane.highlighter.tags_on and Settings.load().labels_on_text is False
    # View › Theme: dark. The palette is dark, and the highlights are tinted for it.
    light_tint = pane.highlighter.tint(("ACTOR",))
    try:
        qtbot.keyClick(window.menuBar(), Qt.Key.Key_V, ALT)
        qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_D)
        assert is_dark() and Settings.load().theme == "dark"
        qtbot.waitUntil(lambda: pane.highlighter.tint(("ACTOR",)) != light_tint)
        assert pane.highlighter.tint(("ACTOR",)).lightness() < light_tint.lightness()
    finally:
        apply_theme("system")  # the other tests' palette


@pytest.mark.parametrize(("count", "drawn"), [(TAG_LIMIT, True), (TAG_LIMIT + 1, False)])
def test_label_names_are_left_off_past_the_limit(qtbot: QtBot, count: int, drawn: bool) -> None:
    pane = DocumentPane()
    qtbot.addWidget(pane)
    pane.show_tags(True)
    text = "word " * (count + 1)
    spans = [SpanValue(uuid.uuid4(), 5 * n, 5 * n + 4, "ACTOR") for n in range(count)]
    pane.set_document(text, spans, {"ACTOR": QColor("#4e79a7")})
    assert pane.highlighter.tags_on is drawn and pane.tags_left_off is not drawn
    assert len(pane.highlighter.tag_labels) == (count if drawn else 0)
