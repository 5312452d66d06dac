"""Painting spans: a QSyntaxHighlighter over pre-flattened segments, block by block.

Segments are disjoint and sorted (see `annotator.core.segments`), in Qt's UTF-16 positions,
so each block finds its own by binary search. After an edit only the blocks the change
touched are highlighted again (DESIGN.md: `rehighlight()` on the whole document is
quadratic and extra selections are too slow past 20k spans).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.core.segments import Segment, overlapping

FALLBACK = QColor("#9c9c9c")


def blend(colours: Sequence[QColor]) -> QColor:
    """The mean of the label colours, translucent so text stays readable on any palette."""
    red = sum(c.red() for c in colours) // len(colours)
    green = sum(c.green() for c in colours) // len(colours)
    blue = sum(c.blue() for c in colours) // len(colours)
    return QColor(red, green, blue, 90 if len(colours) == 1 else 130)


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.segments: list[Segment] = []
        self.starts: list[int] = []
        self.colours: dict[str, QColor] = {}
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}

    def set_colours(self, colours: Mapping[str, QColor]) -> None:
        self.colours = dict(colours)
        self._formats.clear()

    def set_segments(self, segments: list[Segment]) -> None:
        """Segments in UTF-16 positions; call `refresh_range` or let the text load."""
        self.segments = segments
        self.starts = [segment.start for segment in segments]

    def colour(self, label: str) -> QColor:
        return self.colours.get(label, FALLBACK)

    def format_for(self, labels: tuple[str, ...]) -> QTextCharFormat:
        cached = self._formats.get(labels)
        if cached is None:
            cached = QTextCharFormat()
            cached.setBackground(blend([self.colour(label) for label in labels]))
            self._formats[labels] = cached
        return cached

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt API
        block = self.currentBlock()
        begin = block.position()
        end = begin + len(text)
        for segment in overlapping(self.segments, self.starts, begin, end):
            start = max(segment.start, begin)
            stop = min(segment.end, end)
            if start < stop:
                self.setFormat(start - begin, stop - start, self.format_for(segment.labels))

    def refresh_range(self, start: int, end: int) -> None:
        """Highlight again only the blocks between UTF-16 positions `start` and `end`."""
        document = self.document()
        block = document.findBlock(start)
        last = document.findBlock(max(end - 1, start))
        while block.isValid():
            self.rehighlightBlock(block)
            if block == last:
                break
            block = block.next()
