"""One article, read-only, with its spans painted and selected by code-point offsets.

The stored text is shown verbatim; every position crossing the widget boundary goes
through a `Utf16Index` (Qt counts UTF-16 units). Text is never read back out of the widget.
Spans are painted by `SpanHighlighter`; on top of that the pane draws one underline per
label where spans overlap, a frame round the current span and dashed outlines round
suggestions.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextCursor,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.annotations import SpanValue
from annotator.core.colours import readable_text
from annotator.core.offsets import Utf16Index, snap_to_words
from annotator.core.segments import Segment, flatten, overlapping, splice
from annotator.ui.text.highlighter import FALLBACK, TAG_PADDING, SpanHighlighter, rgb_of

TAG_LIMIT = 2000  # spans in a document up to which label names are drawn on the text
HIGHLIGHT_STRETCH = 20_000  # UTF-16 units highlighted per turn of the event loop, after a paint
# Key -> (which edge, direction); Ctrl moves by a word. `{` and `}` are Shift+[ and Shift+]
# on most keyboards: the start edge is the end edge's key with Shift.
RESIZE_KEYS = {
    Qt.Key.Key_BracketLeft: ("end", -1),
    Qt.Key.Key_BracketRight: ("end", 1),
    Qt.Key.Key_BraceLeft: ("start", -1),
    Qt.Key.Key_BraceRight: ("start", 1),
}


class DocumentPane(QPlainTextEdit):
    """Shows one document; reports clicks, label keys and edit keys as signals."""

    clicked = Signal(int)  # code-point offset of a click without a selection
    label_key = Signal(str)  # a label's key was pressed
    delete_pressed = Signal()
    enter_pressed = Signal()  # Return or Enter: accepts the current suggestion
    resize_pressed = Signal(str, int, bool)  # edge ("start"/"end"), direction, by word

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setCenterOnScroll(False)
        self.highlighter = SpanHighlighter(self.document())
        self._follow_palette()
        self.positions = Utf16Index("")
        self.text = ""
        self.label_keys: dict[str, str] = {}
        self.current: SpanValue | None = None
        self.suggestions: list[tuple[int, int]] = []  # UTF-16 ranges
        self.tags_wanted = False  # View › Label names, as the workspace sets it
        self._spans: list[SpanValue] = []  # as last shown: label tags are worked out from them
        self._segments: list[Segment] = []  # code points
        self._segments16: list[Segment] = []  # Qt's UTF-16 positions
        self._more_planned = False  # the rest of a long document's highlighting is under way
        self._segments_until: int | None = None  # segments cover only [0, this) while opening

    # -- content ---------------------------------------------------------------------------

    def set_document(
        self, text: str, spans: Iterable[SpanValue], colours: Mapping[str, QColor]
    ) -> None:
        """Show `text` with `spans`; segments are ready before the text loads (one pass)."""
        self.text = text
        self.positions = Utf16Index(text)
        self.current = None
        self.suggestions = []
        self.highlighter.set_colours(colours)
        spans = list(spans)
        self._spans = spans
        # The first screens are highlighted as the text loads, from segments of the spans
        # there; the whole document's segments and highlights follow once the page is
        # painted (`_highlight_more`), or as soon as something needs them.
        head = self._first_blocks_end(text, self._screens_of_text(2))
        if head < len(text):
            near = flatten((s.start, s.end, s.label) for s in spans if s.start < head)
            self._use(
                [Segment(g.start, min(g.end, head), g.labels) for g in near if g.start < head]
            )
            self._segments_until = head
            self.highlighter.waiting_from = self.positions.to_utf16(head)
        else:
            self._set_segments(spans)
            self._segments_until = None
            self.highlighter.waiting_from = None
        # Past TAG_LIMIT spans, label names would slow the opening and every key press
        # beyond a frame (tests/perf/bench_workspace.py): they are left off for that document.
        self.highlighter.tags_on = self.tags_wanted and len(spans) <= TAG_LIMIT
        self.highlighter.set_tags(self._tags_of(spans))
        self._more_planned = False
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    @staticmethod
    def _first_blocks_end(text: str, about: int) -> int:
        """Where the paragraph that holds code point `about` starts (the paragraphs before
        it are whole), or the text's end when there is no such break."""
        cut = text.rfind("\n", 0, about)
        return cut + 1 if cut > 0 and about < len(text) else len(text)

    def _complete_segments(self) -> None:
        """The whole document's segments, if only the first screens' are there yet."""
        if self._segments_until is not None:
            self._segments_until = None
            self._set_segments(self._spans)

    def _screens_of_text(self, screens: int) -> int:
        """About how many UTF-16 units `screens` full viewports show (never under 8,000)."""
        metrics = self.fontMetrics()
        columns = self.viewport().width() / max(metrics.averageCharWidth(), 1)
        rows = self.viewport().height() / max(metrics.lineSpacing(), 1)
        return max(8_000, int(columns * rows * screens))

    def _highlight_visible(self) -> None:
        """Highlight what is on screen (and a screen more) if it is still waiting."""
        if self.highlighter.waiting_from is None:
            return
        block = self.firstVisibleBlock()
        first = block.position() if block.isValid() else 0
        if first + self._screens_of_text(1) <= self.highlighter.waiting_from:
            return  # what is on screen is highlighted
        self._complete_segments()
        self.highlighter.highlight_until(first + self._screens_of_text(2))

    def _highlight_more(self) -> None:
        """After a paint: the next stretch of a long document, a few milliseconds at a time,
        until it is all highlighted (the person can scroll and type meanwhile)."""
        waiting = self.highlighter.waiting_from
        if waiting is None:
            return
        if not self.isVisible():
            self._more_planned = False  # hidden: the next paint goes on with it
            return
        if self._segments_until is not None:
            self._complete_segments()  # this turn: the whole document's segments
        else:
            self.highlighter.highlight_until(waiting + HIGHLIGHT_STRETCH)
        if self.highlighter.waiting_from is not None:
            QTimer.singleShot(0, self, self._highlight_more)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt API
        super().scrollContentsBy(dx, dy)
        self._highlight_visible()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._highlight_visible()

    def update_spans(self, spans: Iterable[SpanValue], ranges: Sequence[tuple[int, int]]) -> None:
        """Spans changed within code-point `ranges`: rebuild and repaint only there."""
        self._complete_segments()
        spans = list(spans)
        self._spans = spans
        segments = self._segments
        to16 = self.positions.to_utf16
        for start, end in ranges:
            meeting = [s for s in spans if s.start < end and start < s.end]
            segments = splice(segments, [(s.start, s.end, s.label) for s in meeting], start, end)
            # A tag sits on a span's last character: those in the range are all re-read.
            if self.highlighter.tags_on:
                ending = [s for s in meeting if start <= s.end - 1 < end]
                self.highlighter.replace_tags(to16(start), to16(end), self._tags_of(ending))
        self._use(segments)
        for start, end in ranges:
            self.highlighter.refresh_range(
                self.positions.to_utf16(start), self.positions.to_utf16(end)
            )
        self._repaint_ranges(ranges)

    def _repaint_ranges(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Repaint the blocks on screen that hold these code-point ranges (their underlines,
        tags and boxes), not the whole page: a key press in a long document paints a line."""
        to16 = self.positions.to_utf16
        self._repaint16([(to16(start), to16(end)) for start, end in ranges])

    def _repaint16(self, ranges: Iterable[tuple[int, int]]) -> None:
        """`_repaint_ranges` for ranges in Qt's UTF-16 positions."""
        document = self.document()
        offset, height = self.contentOffset(), self.viewport().height()
        width = self.viewport().width()
        for start, end in ranges:
            block = document.findBlock(start)
            last = document.findBlock(max(end - 1, start))
            while block.isValid():
                geometry = self.blockBoundingGeometry(block).translated(offset)
                if geometry.top() > height:
                    break
                if geometry.bottom() >= 0:
                    top = int(geometry.top()) - 1
                    self.viewport().update(0, top, width, int(geometry.height()) + 3)
                if block == last:
                    break
                block = block.next()

    def _tags_of(self, spans: Iterable[SpanValue]) -> dict[int, tuple[str, ...]]:
        """UTF-16 position of each span's last character -> the labels of spans ending there
        (none while tags are off: they are worked out when they are switched on)."""
        if not self.highlighter.tags_on:
            return {}
        tags: dict[int, tuple[str, ...]] = {}
        for span in spans:
            last = span.end - 1
            known = tags.get(last)
            if known is None:
                tags[last] = (span.label,)
            elif span.label not in known:
                tags[last] = tuple(sorted((*known, span.label)))
        if self.positions.bmp_only:
            return tags
        to16 = self.positions.to_utf16
        return {to16(position): labels for position, labels in tags.items()}

    def show_tags(self, shown: bool) -> None:
        """Draw label names after the spans (View › Label names), or not; a document of more
        than TAG_LIMIT spans shows none (see `tags_left_off`)."""
        self.tags_wanted = shown
        effective = shown and len(self._spans) <= TAG_LIMIT
        if effective != self.highlighter.tags_on:
            self.highlighter.tags_on = effective
            self.highlighter.set_tags(self._tags_of(self._spans))
            self._complete_segments()
            self.highlighter.rehighlight_all()  # every block's spacing changes: a rare redo

    @property
    def tags_left_off(self) -> bool:
        """Label names are wanted but this document has too many spans to draw them."""
        return self.tags_wanted and not self.highlighter.tags_on

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            # Qt sends these on polishing too: highlight again only for a real change.
            before = (self.highlighter.background, self.highlighter.text, self.highlighter.tag_font)
            self._follow_palette()
            after = (self.highlighter.background, self.highlighter.text, self.highlighter.tag_font)
            if after != before and self.text:
                self._complete_segments()
                self.highlighter.rehighlight_all()

    def _follow_palette(self) -> None:
        """Tint highlights for this palette's page and text colours; size tags for the font."""
        palette = self.palette()
        self.highlighter.set_palette(palette.base().color(), palette.text().color())
        small = QFont(self.font())
        size = small.pointSizeF()
        if size > 0:
            small.setPointSizeF(max(size * 0.72, 6.0))
        small.setBold(True)
        self.highlighter.set_tag_font(small)

    def _set_segments(self, spans: Iterable[SpanValue]) -> None:
        self._use(flatten((span.start, span.end, span.label) for span in spans))

    def _use(self, segments: list[Segment]) -> None:
        """Keep code-point segments and their UTF-16 twins (the same list for BMP text)."""
        self._segments = segments
        if self.positions.bmp_only:
            self._segments16 = segments
        else:
            to16 = self.positions.to_utf16
            self._segments16 = [Segment(to16(s.start), to16(s.end), s.labels) for s in segments]
        self.highlighter.set_segments(self._segments16)

    def set_current(self, span: SpanValue | None) -> None:
        before = self.current
        self.current = span
        if span is not None:
            self.select_range(span.start, span.end)
        # Only where the old and the new current span's boxes are drawn.
        self._repaint_ranges([(s.start, s.end) for s in (before, span) if s is not None])

    def set_suggestions(self, ranges: Iterable[tuple[int, int]]) -> None:
        to16 = self.positions.to_utf16
        before, self.suggestions = self.suggestions, [(to16(a), to16(b)) for a, b in ranges]
        # Where a dashed box comes or goes (after most edits: nowhere).
        self._repaint16(set(before) ^ set(self.suggestions))

    # -- positions -------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The selected text as a code-point span, without outer white space, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.positions.to_code_point(cursor.selectionStart())
        end = self.positions.to_code_point(cursor.selectionEnd())
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def select_range(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.positions.to_utf16(start))
        cursor.setPosition(self.positions.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def first_visible(self) -> int:
        """The code-point offset of the first character on screen."""
        return self.offset_at(QPointF(2, 2))

    def scroll_to(self, offset: int) -> None:
        """Scroll so the line of code-point `offset` is the first on screen."""
        position = self.positions.to_utf16(max(0, min(offset, len(self.text))))
        block = self.document().findBlock(position)
        if not block.isValid():
            return
        line = block.layout().lineForTextPosition(position - block.position())
        number = block.firstLineNumber() + (line.lineNumber() if line.isValid() else 0)
        self.verticalScrollBar().setValue(number)

    def offset_at(self, point: QPointF) -> int:
        position = self.cursorForPosition(point.toPoint()).position()
        return self.positions.to_code_point(min(position, self.positions.utf16_length))

    # -- input -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        text = event.text()
        plain = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        if plain and text and text in self.label_keys:
            self.label_key.emit(self.label_keys[text])
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
            self.delete_pressed.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self.enter_pressed.emit()
            return
        if event.key() in RESIZE_KEYS:
            edge, direction = RESIZE_KEYS[Qt.Key(event.key())]
            by_word = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
            self.resize_pressed.emit(edge, direction, by_word)
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if not self.textCursor().hasSelection():
            self.clicked.emit(self.offset_at(event.position()))
            return
        exact = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if not event.modifiers() & exact:  # a drag takes whole words; Ctrl for characters
            self._snap_selection()

    def _snap_selection(self) -> None:
        cursor = self.textCursor()
        anchor, position = cursor.anchor(), cursor.position()
        to_cp = self.positions.to_code_point
        start, end = snap_to_words(
            self.text, to_cp(min(anchor, position)), to_cp(max(anchor, position))
        )
        to16 = self.positions.to_utf16
        first, last = (to16(start), to16(end))
        if anchor > position:  # keep the drag's direction: Shift+arrows go on from its end
            first, last = last, first
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if self.highlighter.waiting_from is not None and not self._more_planned:
            self._more_planned = True  # once per document: `_highlight_more` goes on by itself
            QTimer.singleShot(0, self, self._highlight_more)
        painter = QPainter(self.viewport())
        highlighter = self.highlighter
        to16 = self.positions.to_utf16
        dashed = QPen(self.palette().text().color(), 1, Qt.PenStyle.DashLine)
        current = None
        if self.current is not None:
            current = (to16(self.current.start), to16(self.current.end))
            current_pen = QPen(highlighter.colour(self.current.label).darker(150), 2)
        # Block by block over what is to be painted: each block's layout is looked up once.
        for block_start, origin, lines in self._visible_lines(event.rect()):
            block_end = block_start + max(ln.textStart() + ln.textLength() for ln in lines)
            for segment in overlapping(
                self._segments16, highlighter.starts, block_start, block_end
            ):
                if len(segment.labels) < 2:
                    continue
                for rect in _line_rects(
                    lines, origin, segment.start - block_start, segment.end - block_start
                ):
                    for depth, label in enumerate(segment.labels):  # one underline a label
                        painter.setPen(QPen(highlighter.colour(label), 2))
                        y = rect.bottom() - 1 - 3 * depth
                        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(dashed)
            for start, end in self.suggestions:
                if start < block_end and end > block_start:
                    for rect in _line_rects(lines, origin, start - block_start, end - block_start):
                        painter.drawRect(rect.adjusted(0, 1, -1, -1))
            if highlighter.tags_on:
                self._paint_tags(painter, block_start, block_end, origin, lines)
            if current is not None and current[0] < block_end and current[1] > block_start:
                painter.setPen(current_pen)
                for rect in _line_rects(
                    lines, origin, current[0] - block_start, current[1] - block_start
                ):
                    painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()

    def _paint_tags(
        self,
        painter: QPainter,
        block_start: int,
        block_end: int,
        origin: QPointF,
        lines: list[QTextLine],
    ) -> None:
        """Each span's label name in the room its last character's spacing leaves."""
        highlighter = self.highlighter
        tags = highlighter.tags_between(block_start, block_end)
        if not tags:
            return
        painter.setFont(highlighter.tag_font)
        height = QFontMetricsF(highlighter.tag_font).height() + 2
        line_starts = [line.textStart() for line in lines]
        for position in tags:
            labels = highlighter.tag_labels[position]
            local = position - block_start
            line = lines[max(bisect_right(line_starts, local) - 1, 0)]
            width = highlighter.tag_width(labels)
            right = _x(line, local + 1)
            top = line.y() + (line.height() - height) / 2
            box = QRectF(right - width + 2, top, width - TAG_PADDING, height).translated(origin)
            fill = highlighter.colour(labels[0]) if len(labels) == 1 else FALLBACK
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QColor(*readable_text(rgb_of(fill))))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, highlighter.tag_text(labels))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _visible_lines(self, area: QRect) -> Iterator[tuple[int, QPointF, list[QTextLine]]]:
        """(block position, block origin in the viewport, its lines) for the visible blocks
        that meet `area` of the viewport (what a paint event asks for)."""
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        top, bottom = area.top(), area.bottom()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom:
                break
            if geometry.bottom() < top:
                block = block.next()
                continue
            layout = block.layout()
            lines = [layout.lineAt(index) for index in range(layout.lineCount())]
            if lines:
                yield block.position(), geometry.topLeft(), lines
            block = block.next()


def _line_rects(lines: list[QTextLine], origin: QPointF, start: int, end: int) -> Iterator[QRectF]:
    """Rectangles of block-relative range [start, end), one per line it touches."""
    for line in lines:
        a = max(start, line.textStart())
        b = min(end, line.textStart() + line.textLength())
        if a < b:
            x1, x2 = _x(line, a), _x(line, b)
            yield QRectF(x1, line.y(), x2 - x1, line.height()).translated(origin)


def _x(line: QTextLine, position: int) -> float:
    found: tuple[float, int] = line.cursorToX(position)  # type: ignore[assignment]
    return float(found[0])  # PySide returns (x, position), its stubs say object
