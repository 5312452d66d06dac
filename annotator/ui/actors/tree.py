"""The actor registry as a tree by parent ("Russia ▸ Kremlin ▸ Dmitry Peskov"), with counts.

Filtered by a search, the tree shows each match where it sits: under its ancestors, which are
greyed when they did not match themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from annotator.store.actors import ActorMatch, ActorRow
from annotator.ui.actors.picker import ActorRole

CONTEXT = QColor("#8a8a8a")  # ancestors shown only to place a filtered match in the tree


class ActorTree(QTreeWidget):
    """Actors by parent: name, type, mentions; each item holds its actor's id (`ActorRole.ID`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Actor", "Type", "Mentions"])
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def show_actors(
        self, rows: Mapping[uuid.UUID, ActorRow], matches: Sequence[ActorMatch] | None
    ) -> dict[uuid.UUID, QTreeWidgetItem]:
        """Rebuild the tree, expanded; returns the item of each actor shown, by id.

        Without `matches` it shows every one of `rows` (sorted by name); with them, only the
        matches and their ancestors.
        """
        shown: set[uuid.UUID] | None = None  # None: the whole registry
        matched: set[uuid.UUID] = set()
        via_alias: dict[uuid.UUID, str] = {}
        if matches is not None:
            via_alias = {m.actor.id: m.matched for m in matches if m.via_alias}
            matched = {m.actor.id for m in matches}
            shown = set()
            for match in matches:  # a match is shown where it sits: with its ancestors
                current: uuid.UUID | None = match.actor.id
                while current is not None and current in rows and current not in shown:
                    shown.add(current)
                    current = rows[current].parent_id
        children: dict[uuid.UUID | None, list[ActorRow]] = {}
        for row in rows.values():  # already sorted by name
            if shown is None or row.id in shown:
                parent = row.parent_id if row.parent_id in rows else None
                children.setdefault(parent, []).append(row)
        self.clear()
        items: dict[uuid.UUID, QTreeWidgetItem] = {}
        pending: list[tuple[QTreeWidgetItem | QTreeWidget, ActorRow]] = [
            (self, row) for row in children.get(None, [])
        ]
        while pending:
            parent_item, row = pending.pop(0)
            name = row.name + (f"  (alias: {via_alias[row.id]})" if row.id in via_alias else "")
            item = QTreeWidgetItem(parent_item, [name, row.type, str(row.mention_count)])
            item.setData(0, ActorRole.ID, row.id)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, ", ".join(row.aliases) or "no aliases")
            if shown is not None and row.id not in matched:
                for column in range(3):
                    item.setForeground(column, QBrush(CONTEXT))
            elif row.mention_count == 0:
                item.setForeground(2, QBrush(CONTEXT))  # lets the counts that matter stand out
            items[row.id] = item
            pending += [(item, child) for child in children.get(row.id, [])]
        self.expandAll()
        return items
