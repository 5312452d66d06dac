"""Painting spans: a QSyntaxHighlighter over pre-flattened segments, block by block.

Segments are disjoint and sorted (see `annotator.core.segments`), in Qt's UTF-16 positions,
so each block finds its own by binary search. After an edit only the blocks the change
touched are highlighted again (DESIGN.md: `rehighlight()` on the whole document is
quadratic and extra selections are too slow past 20k spans).

Highlights are opaque tints of the label colour over the palette's background, as strong as
the palette's text colour allows at a WCAG contrast of 4.5 (`core.colours.highlight`), so text
stays readable in light and dark themes. With label tags on, the last character of each span
gets extra letter spacing: room after the span, in the line itself, where the pane draws the
label's name (no character is added: offsets stay those of the stored text).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from annotator.core import colours as rgb
from annotator.core.segments import Segment, overlapping

FALLBACK = QColor("#9c9c9c")
TAG_PADDING = 6.0  # pixels around a tag's name, and between it and the next character


def rgb_of(colour: QColor) -> rgb.RGB:
    """A Qt colour as the (red, green, blue) of `core.colours`."""
    return colour.red(), colour.green(), colour.blue()


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.segments: list[Segment] = []
        self.starts: list[int] = []
        self.colours: dict[str, QColor] = {}
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}
        self.background: rgb.RGB = (255, 255, 255)
        self.text: rgb.RGB = (0, 0, 0)
        # Label tags: UTF-16 position of a span's last character -> the labels ending there.
        self.tags_on = False
        self.tag_positions: list[int] = []
        self.tag_labels: dict[int, tuple[str, ...]] = {}
        self.tag_font = QFont()
        self._tag_widths: dict[tuple[str, ...], float] = {}
        self._spaced_formats: dict[tuple[tuple[str, ...], tuple[str, ...]], QTextCharFormat] = {}
        # Blocks starting at or after this UTF-16 position are not highlighted yet (None: all
        # are): a long document is painted from its first screen, the rest follows.
        self.waiting_from: int | None = None

    def set_colours(self, colours: Mapping[str, QColor]) -> None:
        self.colours = dict(colours)
        self._formats.clear()
        self._spaced_formats.clear()

    def set_palette(self, background: QColor, text: QColor) -> None:
        """The page's background and text colours: highlights are tinted for them."""
        self.background, self.text = rgb_of(background), rgb_of(text)
        self._formats.clear()
        self._spaced_formats.clear()

    def set_tag_font(self, font: QFont) -> None:
        self.tag_font = QFont(font)
        self._tag_widths.clear()
        self._spaced_formats.clear()

    def set_segments(self, segments: list[Segment]) -> None:
        """Segments in UTF-16 positions; call `refresh_range` or let the text load."""
        self.segments = segments
        self.starts = [segment.start for segment in segments]

    def colour(self, label: str) -> QColor:
        return self.colours.get(label, FALLBACK)

    def tint(self, labels: Sequence[str]) -> QColor:
        """The highlight of text under `labels`: readable with the palette's text colour."""
        label = rgb.mean([rgb_of(self.colour(name)) for name in labels])
        return QColor(*rgb.highlight(label, self.background, self.text))

    def format_for(self, labels: tuple[str, ...]) -> QTextCharFormat:
        cached = self._formats.get(labels)
        if cached is None:
            cached = QTextCharFormat()
            cached.setBackground(self.tint(labels))
            self._formats[labels] = cached
        return cached

    # -- label tags --------------------------------------------------------------------------

    def _spaced(self, under: tuple[str, ...], tag: tuple[str, ...]) -> QTextCharFormat:
        """The highlight of `under` with room after the character for the tag `tag`: one
        format per pair, made once (thousands of spans share a handful of pairs)."""
        key = (under, tag)
        cached = self._spaced_formats.get(key)
        if cached is None:
            cached = QTextCharFormat(self.format_for(under)) if under else QTextCharFormat()
            cached.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            cached.setFontLetterSpacing(self.tag_width(tag))
            self._spaced_formats[key] = cached
        return cached

    def tag_text(self, labels: tuple[str, ...]) -> str:
        return " · ".join(labels)

    def tag_width(self, labels: tuple[str, ...]) -> float:
        """The room a tag takes after its span's last character, in pixels."""
        width = self._tag_widths.get(labels)
        if width is None:
            advance = QFontMetricsF(self.tag_font).horizontalAdvance(self.tag_text(labels))
            width = self._tag_widths[labels] = advance + 2 * TAG_PADDING
        return width

    def set_tags(self, tags: Mapping[int, tuple[str, ...]]) -> None:
        """Every tag: UTF-16 position of a span's last character -> its labels."""
        self.tag_labels = dict(tags)
        self.tag_positions = sorted(self.tag_labels)

    def replace_tags(self, start: int, end: int, tags: Mapping[int, tuple[str, ...]]) -> None:
        """The tags at UTF-16 positions in [start, end) are now `tags`, all of which lie in
        that range (after an edit there: the spans ending inside it)."""
        low, high = bisect_left(self.tag_positions, start), bisect_left(self.tag_positions, end)
        for position in self.tag_positions[low:high]:
            del self.tag_labels[position]
        self.tag_labels.update(tags)
        self.tag_positions[low:high] = sorted(tags)

    def tags_between(self, start: int, end: int) -> list[int]:
        low, high = bisect_left(self.tag_positions, start), bisect_left(self.tag_positions, end)
        return self.tag_positions[low:high]

    # -- Qt ----------------------------------------------------------------------------------

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt API
        block = self.currentBlock()
        begin = block.position()
        if self.waiting_from is not None and begin >= self.waiting_from:
            return  # its turn comes with `highlight_until`
        end = begin + len(text)
        for segment in overlapping(self.segments, self.starts, begin, end):
            start = max(segment.start, begin)
            stop = min(segment.end, end)
            if start < stop:
                self.setFormat(start - begin, stop - start, self.format_for(segment.labels))
        if self.tags_on:
            segments, starts = self.segments, self.starts
            for position in self.tags_between(begin, end):
                # The span's own highlight under the tag's room: the segment holding it.
                index = bisect_right(starts, position) - 1
                under: tuple[str, ...] = ()
                if index >= 0 and segments[index].end > position:
                    under = segments[index].labels
                self.setFormat(position - begin, 1, self._spaced(under, self.tag_labels[position]))

    def refresh_range(self, start: int, end: int) -> None:
        """Highlight again only the blocks between UTF-16 positions `start` and `end`."""
        document = self.document()
        self._reformat(document.findBlock(start), document.findBlock(max(end - 1, start)))

    def highlight_until(self, position: int) -> None:
        """Highlight the waiting blocks that start before UTF-16 `position` (all of them
        once it reaches the end)."""
        waiting = self.waiting_from
        if waiting is None or position <= waiting:
            return
        document = self.document()
        first = block = document.findBlock(waiting)
        last = None
        while block.isValid() and block.position() < position:
            last, block = block, block.next()
        self.waiting_from = block.position() if block.isValid() else None
        if last is not None:
            self._reformat(first, last)

    def rehighlight_all(self) -> None:
        """Every block again, the waiting ones too (a palette or the label names changed)."""
        self.waiting_from = None
        self.rehighlight()

    def _reformat(self, block: QTextBlock, last: QTextBlock | None) -> None:
        """Highlight again from `block` to `last` (None: the document's end).

        Qt's plain-text layout takes a block's new formats for a change reaching into the
        next block and asks for the whole page to be painted again (4.5 ms of a key press
        at 5,000 spans); its signals are held meanwhile, and the pane repaints the blocks
        itself. When a block's height changed (a label name's room rewrapped a line), the
        whole page and the scroll range are brought up to date as Qt would."""
        layout = self.document().documentLayout()
        moved = False
        layout.blockSignals(True)
        try:
            while block.isValid():
                height = layout.blockBoundingRect(block).height()
                self.rehighlightBlock(block)
                moved = moved or layout.blockBoundingRect(block).height() != height
                if last is not None and block == last:
                    break
                block = block.next()
        finally:
            layout.blockSignals(False)
        if moved:
            layout.update.emit()  # its default: the whole document
            layout.documentSizeChanged.emit(layout.documentSize())
