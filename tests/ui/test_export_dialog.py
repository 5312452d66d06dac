"""File › Export: the dialog gathers the options, exports with progress, and Cancel works."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from annotator.io.export import reading
from annotator.store.database import Database
from annotator.ui.dialogs.export import ExportDialog
from annotator.ui.dialogs.progress import ProgressWindow
from tests.io.test_export_support import build_project, read_jsonl


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Database]:
    folder = tmp_path / "db"
    folder.mkdir()
    database = build_project(str(folder / "project.sqlite"), folder)
    yield database
    database.close()


def choose(dialog: ExportDialog, combo_name: str, data: object) -> None:
    combo = getattr(dialog, combo_name)
    index = combo.findData(data)
    assert index >= 0, (combo_name, data)
    combo.setCurrentIndex(index)


def test_lists_come_from_the_project(qtbot: QtBot, project: Database) -> None:
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    layers = [dialog.layer.itemText(i) for i in range(dialog.layer.count())]
    assert layers[:2] == ["Every annotator's layer", "Gold (adjudicated)"]
    assert {"Annotator: alice", "Annotator: bob", "Annotator: rita"} <= set(layers)
    stories = [dialog.story.itemData(i) for i in range(dialog.story.count())]
    assert stories[0] is None and {"plan", "scripts", "story-0"} <= set(stories)
    assert not dialog.export_button.isEnabled()  # no path yet
    choose(dialog, "format", "network")
    assert not dialog.split.isEnabled()


def test_export_writes_the_chosen_layer_and_shows_the_summary(
    qtbot: QtBot, project: Database, tmp_path: Path
) -> None:
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    out = tmp_path / "alice.jsonl"
    choose(dialog, "format", "jsonl")
    choose(dialog, "layer", "annotator:alice")
    choose(dialog, "status_filter", "done")
    dialog.path.setText(str(out))
    assert dialog.export_button.isEnabled()
    dialog.export_button.click()
    lines = read_jsonl(out)
    assert sorted(line["id"] for line in lines) == ["bench-0", "tricky-1", "tricky-2"]
    assert {line["annotator"] for line in lines} == {"alice"}
    assert dialog.summary is not None and dialog.summary.records == 3
    assert dialog.result_label.text().startswith(f"wrote {out}: 3 lines: 3 documents")


def test_split_and_story_options_reach_the_export(
    qtbot: QtBot, project: Database, tmp_path: Path
) -> None:
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    choose(dialog, "format", "stances")
    choose(dialog, "story", "plan")
    dialog.split.setChecked(True)
    for spin, value in zip(dialog.shares, (100, 0, 0), strict=True):
        spin.setValue(value)
    dialog.seed.setValue(3)
    dialog.path.setText(str(tmp_path / "stances.csv"))
    dialog.export_button.click()
    assert (tmp_path / "stances.train.csv").exists()
    card = json.loads((tmp_path / "stances.csv.card.json").read_text(encoding="utf-8"))
    assert card["options"] == {
        "format": "stances",
        "layers": "all",
        "annotator": None,
        "story": "plan",
        "status": None,
        "split": [100, 0, 0],
        "seed": 3,
    }


def test_a_problem_shows_in_the_dialog(qtbot: QtBot, project: Database, tmp_path: Path) -> None:
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.split.setChecked(True)
    dialog.shares[0].setValue(50)  # 50/10/10
    dialog.path.setText(str(tmp_path / "data.jsonl"))
    dialog.export_button.click()
    assert dialog.result_label.text() == "--split 50/10/10 adds up to 70, not 100"
    assert dialog.summary is None and list(tmp_path.iterdir()) == [tmp_path / "db"]


class CancelAfterTwoPages(ProgressWindow):
    """Presses Cancel once two pages of documents have been written."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.pages = 0

    def update(self, done: int, total: int, what: str) -> None:
        super().update(done, total, what)
        self.pages += 1
        if self.pages == 3:
            self.cancel()  # as the Cancel button does, at a known point of the work


def test_cancel_leaves_nothing_behind(
    qtbot: QtBot, project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "DOCUMENT_PAGE", 2)
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.progress_window = CancelAfterTwoPages
    choose(dialog, "format", "brat")
    dialog.path.setText(str(out_folder / "corpus"))
    dialog.export_button.click()
    assert dialog.result_label.text() == "Export cancelled; nothing was written."
    assert dialog.summary is None
    assert list(out_folder.iterdir()) == []
