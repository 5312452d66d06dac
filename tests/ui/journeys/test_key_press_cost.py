"""Journey: labelling word after word counts the project's progress when the first span
starts the document, not on every key press, and the progress line stays right."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import annotator.store.documents as documents
from annotator.store.database import Database
from tests.ui.journeys.person import ALT, keys, select_words, word_to
from tests.ui.journeys.window import start, stored_layer, text_of


def test_label_keys_recount_the_progress_only_when_the_document_starts(
    qtbot: QtBot, project: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = start(qtbot, project)
    keys(qtbot, window, Qt.Key.Key_Right, ALT, 4)
    pane = window.workspace.left.pane
    text = text_of(project, "troops-meridian")
    counted: list[dict[str, int]] = []
    real = documents.progress_counts

    def counting(*args: Any, **kwargs: Any) -> dict[str, int]:
        counted.append(real(*args, **kwargs))
        return counted[-1]

    monkeypatch.setattr(documents, "progress_counts", counting)
    after: list[int] = []
    for word in text.split()[2:6]:
        word_to(qtbot, pane, text.index(f" {word} ") + 1)
        select_words(qtbot, pane, 1)
        keys(qtbot, pane, Qt.Key.Key_1)
        after.append(len(counted))
    assert len(stored_layer(project, "troops-meridian", "ana").spans) == 4
    # The first span made the document "in progress": the status bar and the list each
    # counted once then; the other key presses changed no count and counted nothing.
    assert after[0] == after[-1] == 2
    assert all(counts["in_progress"] == 1 for counts in counted)
    assert "0 of 8 documents done" in window.progress_label.text()
    assert window.workspace.document_panel.isEnabled()
    assert window.workspace.left.status() == "in_progress"
