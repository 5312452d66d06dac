"""Alpha per label as a bar chart, painted here (PySide6-Essentials has no QtCharts).

Dashed guides mark Krippendorff's thresholds (.667 tentative, .800 reliable); each bar is
coloured by the same thresholds.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from annotator.review.agreement.html import RELIABLE, TENTATIVE, number, scale_start

GOOD, FAIR, POOR = QColor("#3f9a4a"), QColor("#d99a2b"), QColor("#d65050")


def grade(value: float | None) -> QColor:
    """Bar colour by Krippendorff's thresholds (.800 reliable, .667 tentative)."""
    if value is None or value < TENTATIVE:
        return POOR
    return GOOD if value >= RELIABLE else FAIR


class AlphaBarChart(QWidget):
    """Horizontal bars of alpha per label on a 0..1 scale (−1..1 when a value is negative)."""

    ROW, LABEL_WIDTH, VALUE_WIDTH = 24, 120, 52

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[tuple[str, float | None]]) -> None:
        self.bars = bars
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(420, max(1, len(self.bars)) * self.ROW + 22)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(260, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        low = scale_start([value for _, value in self.bars])
        left = float(self.LABEL_WIDTH)
        chart = max(40.0, self.width() - left - self.VALUE_WIDTH)
        bottom = len(self.bars) * self.ROW

        def x_of(value: float) -> float:
            return left + (min(max(value, low), 1.0) - low) / (1.0 - low) * chart

        painter.setPen(QPen(muted, 1, Qt.PenStyle.DashLine))
        for guide in (TENTATIVE, RELIABLE):
            painter.drawLine(int(x_of(guide)), 0, int(x_of(guide)), bottom)
        painter.setPen(QPen(muted, 1))
        zero = x_of(0.0)
        painter.drawLine(int(zero), 0, int(zero), bottom)
        painter.setPen(text)
        for tick in (low, 0.0, 0.5, 1.0) if low < 0 else (0.0, 0.5, 1.0):
            rect = QRectF(x_of(tick) - 20, bottom + 2, 40, 18)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{tick:g}")
        metrics = painter.fontMetrics()
        for row, (name, value) in enumerate(self.bars):
            top = row * self.ROW
            label_rect = QRectF(0, top, left - 8, self.ROW)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(left - 8))
            painter.setPen(text)
            painter.drawText(
                label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown
            )
            if value is None:
                painter.setPen(muted)
                painter.drawText(
                    QRectF(zero + 4, top, chart, self.ROW), Qt.AlignmentFlag.AlignVCenter, "no data"
                )
                continue
            start, end = sorted((zero, x_of(value)))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(grade(value))
            painter.drawRoundedRect(
                QRectF(start, top + 4, max(end - start, 1.0), self.ROW - 8), 2, 2
            )
            painter.setPen(text)
            painter.drawText(
                QRectF(end + 5, top, self.VALUE_WIDTH, self.ROW),
                Qt.AlignmentFlag.AlignVCenter,
                number(value),
            )
        painter.end()
