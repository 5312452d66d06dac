"""Long work runs on a worker thread while the window's event loop keeps going."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from annotator.ui.dialogs.progress import ProgressWindow


def test_the_window_answers_while_the_work_runs_and_cancel_reaches_it(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    progress = ProgressWindow(parent, "Working…")
    window_thread = threading.current_thread()
    ticked = threading.Event()
    seen: list[str] = []
    # Only the window's event loop can run this timer: the work waits for it, so the test
    # would hang (and time out) if the work blocked the loop.
    QTimer.singleShot(50, ticked.set)

    def press_cancel() -> None:  # the dialog shows after 400 ms; then a person clicks Cancel
        button = progress.dialog.findChild(QPushButton)
        assert button is not None and progress.dialog.isVisible()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(900, press_cancel)

    def work() -> str:
        seen.append(threading.current_thread().name)
        assert ticked.wait(5), "the window's event loop did not run during the work"
        for step in range(500):
            progress.update(step, 500, "step")
            if progress.cancelled():
                return f"cancelled at {step}"
            threading.Event().wait(0.01)
        return "finished"

    outcome = progress.run(work)
    progress.close()
    assert outcome.startswith("cancelled at ")
    assert seen and seen[0] != window_thread.name


def test_what_the_work_raises_is_raised_on_the_window_thread(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    progress = ProgressWindow(parent, can_cancel=False)

    def work() -> None:
        raise ValueError("the file went away")

    with pytest.raises(ValueError, match="the file went away"):
        progress.run(work)
    progress.close()
