"""Spans as readers check them: offsets inside the text, quotes that match, UTF-16 units.

A peer reader turns a file into `ArticleRecord`s, one per document and annotator, with
spans whose offsets are code points into the record's `text` (as the file has it: the
import normalises line ends and moves the spans with the text). What a format holds that
Annotator has no place for (relations, events, attributes) is kept in the record's `meta`
and said in a `ReadNote`, never dropped in silence.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.offsets import Utf16Index
from annotator.io.imports.records import BadInput, SpanRecord

OFFSET_UNITS = ("codepoints", "utf16")


class Offsets:
    """Turns a tool's offsets into code points: as given, or from UTF-16 units (Java, JS)."""

    def __init__(self, text: str, unit: str = "codepoints") -> None:
        self.text = text
        self.utf16 = Utf16Index(text) if unit == "utf16" else None

    def __call__(self, offset: int) -> int:
        if self.utf16 is None:
            return offset
        return self.utf16.to_code_point(offset)


def checked_span(
    text: str,
    start: object,
    end: object,
    label: object,
    origin: str,
    where: str,
    *,
    quoted: object = None,
    offsets: Offsets | None = None,
    **extras: str | None,
) -> SpanRecord:
    """A span of `text`, or BadInput naming `where` and what is wrong with it.

    `quoted` is the span's text as the file gives it, when it does: it must be the text at
    the offsets. A tool that counted UTF-16 units (the quote matches once the offsets are
    read as UTF-16) is recognised by that and its offsets converted.
    """
    if not isinstance(start, int) or not isinstance(end, int) or bool in (type(start), type(end)):
        raise BadInput(origin, f"{where}: start and end must be whole numbers")
    length = len(text) if offsets is None or offsets.utf16 is None else offsets.utf16.utf16_length
    if not 0 <= start < end <= length:
        raise BadInput(
            origin, f"{where}: offsets {start}-{end} are outside the text (0-{length}) or empty"
        )
    if offsets is not None:
        start, end = offsets(start), offsets(end)
    if not isinstance(label, str) or not label.strip():
        raise BadInput(origin, f"{where}: the label must be a non-empty string")
    if quoted is not None and quoted != text[start:end]:
        as_utf16 = _from_utf16(text, start, end) if offsets is None else None
        if as_utf16 is None or text[as_utf16[0] : as_utf16[1]] != quoted:
            raise BadInput(
                origin,
                f"{where}: its text {quoted!r} is not the text at {start}-{end} "
                f"({text[start:end]!r}); offsets must be code points (or, with --offsets "
                "utf16, UTF-16 units)",
            )
        start, end = as_utf16
    return SpanRecord(
        start,
        end,
        label.strip(),
        # "" is none (our JSONL writes every key, "" where a span has no actor)
        id=extras.get("id") or None,
        actor=extras.get("actor") or None,
        issue=extras.get("issue") or None,
        note=extras.get("note") or "",
        actor_type=extras.get("actor_type") or None,
    )


def _from_utf16(text: str, start: int, end: int) -> tuple[int, int] | None:
    index = Utf16Index(text)
    if index.bmp_only or end > index.utf16_length:
        return None
    return index.to_code_point(start), index.to_code_point(end)


def unique_spans(spans: Iterable[SpanRecord]) -> list[SpanRecord]:
    """The spans in order, each (start, end, label, id) once: a tool that stores a region's
    label, text and note as separate results gives the same span more than once."""
    seen: dict[tuple[int, int, str, str | None], SpanRecord] = {}
    for span in spans:
        seen.setdefault((span.start, span.end, span.label, span.id), span)
    return list(seen.values())
