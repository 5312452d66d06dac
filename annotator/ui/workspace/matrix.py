"""Actors x issues: who took which position, for one document or both of a story pair."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from annotator.core.annotations import StanceValue
from annotator.core.vocabulary import Vocabulary
from annotator.ui.workspace.annotation_list import POLARITY_MARKS

COLOURS = {"support": "#59a14f", "oppose": "#e15759", "mixed": "#edc948", "neutral": "#bab0ac"}


class StanceMatrix(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verticalHeader().setDefaultSectionSize(22)

    def show_stances(
        self, layers: Sequence[tuple[str, Sequence[StanceValue]]], vocabulary: Vocabulary
    ) -> None:
        """`layers` are (document name, stances); each cell lists every document's marks."""
        cells: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[str, str]]] = defaultdict(list)
        for name, stances in layers:
            for stance in stances:
                cells[(stance.actor_id, stance.issue_id)].append((name, stance.polarity))
        names = vocabulary.actors
        actors = sorted({a for a, _ in cells}, key=lambda a: names.get(a, ""))
        issues = [i for i in vocabulary.issues if any(i.id == key for _, key in cells)]
        self.clear()
        self.setRowCount(len(actors))
        self.setColumnCount(len(issues))
        self.setVerticalHeaderLabels([names.get(a, "?") for a in actors])
        self.setHorizontalHeaderLabels([i.name for i in issues])
        for row, actor in enumerate(actors):
            for column, issue in enumerate(issues):
                marks = cells.get((actor, issue.id))
                if not marks:
                    continue
                polarities = {p for _, p in marks}
                item = QTableWidgetItem(" ".join(POLARITY_MARKS.get(p, "?") for _, p in marks))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip("\n".join(f"{n}: {p}" for n, p in marks))
                colour = (
                    COLOURS.get(next(iter(polarities)), "#bab0ac")
                    if len(polarities) == 1
                    else COLOURS["mixed"]
                )
                background = QColor(colour)
                background.setAlpha(110)
                item.setBackground(background)
                self.setItem(row, column, item)
        self.resizeColumnsToContents()
