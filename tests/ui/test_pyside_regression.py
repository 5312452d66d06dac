"""PySide6 6.12.0 on Python 3.11 corrupts None's refcount in void calls and aborts.

DESIGN.md: after a few thousand calls the interpreter dies in `none_dealloc`. The project
pins PySide6 below 6.12 on Python 3.11; this test makes the calls in a child process, so a
broken pin shows up as a failed test rather than a crashed test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

import PySide6

CALLS = """
import sys
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication([])
editor = QPlainTextEdit()
editor.setPlainText("x" * 100)
cursor = editor.textCursor()
before = sys.getrefcount(None)
for i in range(20_000):  # each of these returns None (void in C++)
    cursor.setPosition(i % 100)
    editor.setReadOnly(i % 2 == 0)
print("ok", sys.getrefcount(None) >= before - 100)
"""


def test_twenty_thousand_void_calls_do_not_crash() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CALLS],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.split() == ["ok", "True"]


def test_the_known_bad_combination_is_not_installed() -> None:
    assert not (sys.version_info[:2] == (3, 11) and PySide6.__version__.startswith("6.12.0"))
