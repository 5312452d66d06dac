"""Stored code-point offsets select exactly the right text in a real QPlainTextEdit."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from annotator.core.offsets import Utf16Index
from annotator.core.text import normalise
from tests.core.test_offsets import TRICKY

raw_texts = st.lists(st.sampled_from(TRICKY), min_size=1, max_size=30).map("".join)


def select(editor: QPlainTextEdit, index: Utf16Index, start: int, end: int) -> QTextCursor:
    cursor = editor.textCursor()
    cursor.setPosition(index.to_utf16(start))
    cursor.setPosition(index.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    return cursor


def as_qt_selection(text: str) -> str:
    # selectedText() reports every block break (LF or U+2029) as U+2029; all else is verbatim.
    return text.replace("\n", "\u2029")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=raw_texts, data=st.data())
def test_spans_round_trip_through_the_widget(qtbot: QtBot, raw: str, data: st.DataObject) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    stored = normalise(raw)  # what import keeps; CRLF and lone CR are gone, the rest verbatim
    editor.setPlainText(stored.text)
    index = Utf16Index(stored.text)
    assert editor.document().characterCount() == index.utf16_length + 1  # + final separator

    start = data.draw(st.integers(0, len(stored.text)))
    end = data.draw(st.integers(start, len(stored.text)))
    cursor = select(editor, index, start, end)
    assert cursor.selectedText() == as_qt_selection(stored.text[start:end])
    # ...and the widget's selection converts back to the same code-point span.
    assert index.to_code_point(cursor.selectionStart()) == start
    assert index.to_code_point(cursor.selectionEnd()) == end


def test_a_span_after_emoji_and_crlf_selects_the_right_word(qtbot: QtBot) -> None:
    raw = "Flags 🇺🇦🇷🇺\r\nand 👍🏽 then\rKremlin said\u2028no."
    stored = normalise(raw)
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(stored.text)
    start = stored.text.index("Kremlin")
    cursor = select(editor, Utf16Index(stored.text), start, start + len("Kremlin"))
    assert cursor.selectedText() == "Kremlin"
    # The same span given against the raw text lands on the same word once mapped.
    raw_start = raw.index("Kremlin")
    assert stored.map_span(raw_start, raw_start + 7) == (start, start + 7)
    # Naive code-point positions would be off by the astral characters before the word.
    naive = editor.textCursor()
    naive.setPosition(start)
    naive.setPosition(start + 7, QTextCursor.MoveMode.KeepAnchor)
    assert naive.selectedText() != "Kremlin"
