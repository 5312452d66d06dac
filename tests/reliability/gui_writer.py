"""A person marking words as fast as keys go, for the GUI kill trials: run as
`python -m tests.reliability.gui_writer PROJECT`, it opens the real window (offscreen), goes
to the first document and, word after word, selects it (Ctrl+Shift+Right) and presses 1.
After each key it prints `stored N` once the window has written it, so the trial knows what
the window had acknowledged when it was killed. Not a test itself."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.store.database import open_database
from annotator.store.project import annotator_named
from annotator.ui.dialogs.identity import ask_name
from annotator.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def main(project: str) -> None:
    app = QApplication(["gui_writer"])
    database = open_database(project, create=False)
    with database.sessions.begin() as session:
        annotator = annotator_named(session, "ana")
        chosen = (annotator.id, annotator.name)
    window = MainWindow(database, chosen, ask=ask_name(None))
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowExposed(window)
    QTest.keyClick(window, Qt.Key.Key_Right, ALT)  # the first document
    pane = window.workspace.left.pane
    print("ready", flush=True)
    stored = 0
    for _ in range(400):
        QTest.keyClick(pane, Qt.Key.Key_Right, CTRL)
        QTest.keyClick(pane, Qt.Key.Key_Right, CTRL | SHIFT)
        QTest.keyClick(pane, Qt.Key.Key_1)
        app.processEvents()
        now = len(window.workspace.left.layer.spans)
        if now != stored:
            stored = now
            print(f"stored {stored}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
