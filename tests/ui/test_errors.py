"""An exception in a slot reaches the person as one line, and the log file with its traceback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from annotator.core.errors import AnnotatorError
from annotator.ui.errors import install_exception_hook


@pytest.fixture
def shown() -> Iterator[list[str]]:
    lines: list[str] = []
    before = sys.excepthook
    install_exception_hook(lines.append)
    yield lines
    sys.excepthook = before


def button_that_raises(qtbot: QtBot, error: Exception) -> QPushButton:
    button = QPushButton("Go")
    qtbot.addWidget(button)

    def fail() -> None:
        raise error

    button.clicked.connect(fail)
    button.show()
    return button


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_is_one_line_on_screen_and_a_traceback_in_the_log(
    qtbot: QtBot, shown: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    button = button_that_raises(qtbot, ZeroDivisionError("division by zero"))
    with caplog.at_level(logging.INFO, logger="annotator.ui.errors"):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and "\n" not in shown[0]
    assert shown[0].startswith("Something went wrong (ZeroDivisionError: division by zero)")
    assert "the details are in" in shown[0]
    (record,) = [r for r in caplog.records if r.name == "annotator.ui.errors"]
    assert record.levelno == logging.ERROR and record.exc_info is not None


@pytest.mark.qt_no_exception_capture
def test_an_error_meant_for_people_is_shown_as_it_is(qtbot: QtBot, shown: list[str]) -> None:
    button = button_that_raises(qtbot, AnnotatorError("p.sqlite: another program is writing"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert shown == ["p.sqlite: another program is writing"]
