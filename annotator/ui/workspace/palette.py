"""The label palette: one button per span label, with its colour and key."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from annotator.core.schema import LabelSchema


def swatch(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class LabelPalette(QWidget):
    label_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}

    def set_schema(self, schema: LabelSchema) -> None:
        while self.row.count():
            item = self.row.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.buttons.clear()
        for label in schema.labels:
            text = f"{label.key}  {label.title}" if label.key else label.title
            button = QPushButton(swatch(label.color), text)
            button.setFlat(True)
            button.setToolTip(f"{label.title} (key {label.key or 'none'}): {label.description}")
            button.clicked.connect(lambda _=False, name=label.name: self.label_chosen.emit(name))
            self.row.addWidget(button)
            self.buttons[label.name] = button
        self.row.addStretch(1)
