"""Code points <-> UTF-16 positions, deletion maps and import normalisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap, Utf16Index, snap_to_words
from annotator.core.text import normalise, text_hash

# The characters that break naive offset code: astral emoji, flags (two regional indicators),
# skin-tone modifiers and ZWJ sequences, combining marks, CJK (BMP and astral), RTL, tabs,
# CR/LF, the Unicode line and paragraph separators, NBSP and a BOM.
TRICKY = [
    "a",
    "Z",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\u00a0",
    "\ufeff",
    "😀",
    "🇺🇦",
    "🇷🇺",
    "👍🏽",
    "👩‍👩‍👧",
    "e\u0301",
    "\u0301",
    "中",
    "文",
    "𠀋",
    "𝕏",
    "שלום",
    "مرحبا",
    "\u200f",
    "ß",
    "İ",
]
tricky_text = st.lists(st.sampled_from(TRICKY), max_size=40).map("".join)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@given(tricky_text, st.data())
def test_utf16_positions_match_the_encoding(text: str, data: st.DataObject) -> None:
    index = Utf16Index(text)
    assert index.utf16_length == utf16_len(text)
    offset = data.draw(st.integers(0, len(text)))
    position = index.to_utf16(offset)
    assert position == utf16_len(text[:offset])
    assert index.to_code_point(position) == offset


def test_a_position_inside_a_surrogate_pair_rounds_forward() -> None:
    index = Utf16Index("a😀b")
    assert [index.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
    assert index.to_code_point(2) == 2  # the middle of the emoji's pair
    with pytest.raises(IndexError):
        index.to_utf16(5)
    with pytest.raises(IndexError):
        index.to_code_point(6)


def apply_deletions(text: str, ranges: list[tuple[int, int]]) -> str:
    keep = [True] * len(text)
    for start, end in ranges:
        for i in range(start, end):
            keep[i] = False
    return "".join(ch for ch, kept in zip(text, keep, strict=True) if kept)


@st.composite
def text_with_deletions(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(st.text(alphabet="abcdefgh", max_size=30))
    ranges = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(text)))
        ranges.append((start, draw(st.integers(start, len(text)))))
    return text, ranges


@given(text_with_deletions())
def test_offset_map_follows_every_kept_character(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, ranges = case
    mapping = OffsetMap.from_deletions(ranges)
    edited = apply_deletions(text, ranges)
    deleted = {i for start, end in ranges for i in range(start, end)}
    for offset, char in enumerate(text):
        if offset not in deleted:
            assert edited[mapping.to_new(offset)] == char
    assert mapping.to_new(len(text)) == len(edited)
    # Mapping is monotone, so spans keep their order and never turn inside out.
    positions = [mapping.to_new(i) for i in range(len(text) + 1)]
    assert positions == sorted(positions)


@given(text_with_deletions(), st.data())
def test_composed_maps_equal_applying_both(
    case: tuple[str, list[tuple[int, int]]], data: st.DataObject
) -> None:
    text, ranges = case
    first = OffsetMap.from_deletions(ranges)
    middle = apply_deletions(text, ranges)
    later_ranges = []
    for _ in range(data.draw(st.integers(0, 3))):
        start = data.draw(st.integers(0, len(middle)))
        later_ranges.append((start, data.draw(st.integers(start, len(middle)))))
    later = OffsetMap.from_deletions(later_ranges)
    both = first.then(later)
    final = apply_deletions(middle, later_ranges)
    assert apply_deletions(text, list(both.deleted)) == final
    for offset in range(len(text) + 1):
        assert both.to_new(offset) == later.to_new(first.to_new(offset))


def test_a_span_that_was_deleted_entirely_maps_to_none() -> None:
    mapping = OffsetMap.from_deletions([(2, 6)])
    assert mapping.map_span(3, 5) is None
    assert mapping.map_span(0, 4) == (0, 2)
    assert mapping.map_span(5, 9) == (2, 5)


@given(st.lists(st.sampled_from(TRICKY), max_size=40).map("".join), st.data())
def test_normalise_moves_raw_spans_onto_the_stored_text(raw: str, data: st.DataObject) -> None:
    result = normalise(raw)
    assert "\r" not in result.text
    assert not result.text.startswith("\ufeff")
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, len(raw)))
    # Reference: the raw characters of the span that survive, each CR turned into LF.
    dropped = set(range(len(raw) - len(raw.lstrip("\ufeff"))))
    dropped |= {i for i in range(len(raw) - 1) if raw[i : i + 2] == "\r\n"}
    expected = "".join(
        "\n" if raw[i] == "\r" else raw[i] for i in range(start, end) if i not in dropped
    )
    mapped = result.map_span(start, end)
    if mapped is None:
        assert expected == ""
    else:
        assert result.text[mapped[0] : mapped[1]] == expected


def test_normalise_keeps_everything_but_bom_and_line_endings() -> None:
    raw = "\ufeffCafe\u0301 \u00a0 line one\r\nline two\rline three\u2028four\u2029five\t😀"
    result = normalise(raw)
    assert result.text == "Cafe\u0301 \u00a0 line one\nline two\nline three\u2028four\u2029five\t😀"
    assert result.raw == raw
    start = raw.index("line two")
    assert result.map_span(start, start + 8) == (
        result.text.index("line two"),
        result.text.index("line two") + 8,
    )


def test_text_hash_is_sha256_of_utf8() -> None:
    assert text_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_hash("é") != text_hash("e\u0301")  # no silent normalisation


@pytest.mark.parametrize(
    ("text", "start", "end", "snapped"),
    [
        ("Donald Trump's plan", 1, 11, "Donald Trump"),  # a letter late, a letter early
        ("Donald Trump's plan", 0, 12, "Donald Trump"),  # exact: unchanged
        ("Donald Trump's plan", 7, 14, "Trump's"),  # the apostrophe edge stays
        ("say: Kyiv.", 6, 8, "Kyiv"),  # punctuation is not widened into
        ("Erdoğan spoke", 2, 5, "Erdoğan"),
        ("e\u0301te a", 1, 2, "e\u0301te"),  # a combining accent belongs to its word
        ("  ", 1, 1, ""),
    ],
)
def test_a_range_snaps_to_whole_words(text: str, start: int, end: int, snapped: str) -> None:
    a, b = snap_to_words(text, start, end)
    assert text[a:b] == snapped


def test_snapping_a_range_outside_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        snap_to_words("abc", 2, 9)
