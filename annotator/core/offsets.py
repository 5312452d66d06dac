"""Code-point offsets <-> Qt's UTF-16 positions, and maps for text that was edited on import.

Stored offsets are Python code-point offsets (end exclusive) into the canonical text. Qt counts
UTF-16 units, so every character above U+FFFF (emoji, some CJK) takes two positions there.
Convert only at the widget boundary, with a `Utf16Index` built once per document.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Index:
    """Converts between code-point offsets and UTF-16 positions of one text.

    Only the positions of astral characters are kept (most news text has none), so building
    the index is one regex scan and each conversion is one binary search.
    """

    __slots__ = ("_astral_cp", "_astral_end_u16", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_cp = astral
        # UTF-16 position just after each astral character's surrogate pair.
        self._astral_end_u16 = [cp + k + 2 for k, cp in enumerate(astral)]
        self.length = len(text)
        self.utf16_length = len(text) + len(astral)

    @property
    def bmp_only(self) -> bool:
        """True when code points and UTF-16 positions are the same (no astral characters)."""
        return not self._astral_cp

    def to_utf16(self, offset: int) -> int:
        """UTF-16 position of code-point `offset` (0..len(text))."""
        if not 0 <= offset <= self.length:
            raise IndexError(f"offset {offset} outside 0..{self.length}")
        return offset + bisect_left(self._astral_cp, offset)

    def to_code_point(self, position: int) -> int:
        """Code-point offset of UTF-16 `position`; a position inside a pair rounds forward."""
        if not 0 <= position <= self.utf16_length:
            raise IndexError(f"position {position} outside 0..{self.utf16_length}")
        return position - bisect_right(self._astral_end_u16, position)


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets of an original text onto a text made by deleting ranges from it.

    `deleted` holds sorted, disjoint `(start, end)` ranges of the original. Offsets inside a
    deleted range land where the deletion happened.
    """

    deleted: tuple[tuple[int, int], ...] = ()
    _starts: list[int] = field(init=False, repr=False, compare=False)
    _removed_before: list[int] = field(init=False, repr=False, compare=False)

    @classmethod
    def from_deletions(cls, ranges: Iterable[tuple[int, int]]) -> OffsetMap:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(r for r in ranges if r[0] < r[1]):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return cls(tuple(merged))

    def __post_init__(self) -> None:
        starts = [start for start, _ in self.deleted]
        removed_before = [0]
        for start, end in self.deleted:
            removed_before.append(removed_before[-1] + end - start)
        object.__setattr__(self, "_starts", starts)
        object.__setattr__(self, "_removed_before", removed_before)

    def to_new(self, offset: int) -> int:
        """Where original `offset` lands in the edited text."""
        k = bisect_left(self._starts, offset)  # deletions that begin before `offset`
        if k == 0:
            return offset
        start, end = self.deleted[k - 1]
        return offset - self._removed_before[k - 1] - (min(offset, end) - start)

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The span in the edited text, or None when all of it was deleted."""
        new_start, new_end = self.to_new(start), self.to_new(end)
        return (new_start, new_end) if new_start < new_end else None

    def then(self, later: OffsetMap) -> OffsetMap:
        """One map doing this map and then `later` (whose ranges refer to this map's output)."""
        ranges = list(self.deleted)
        for start, end in later.deleted:
            ranges.append((self.to_original(start, after=False), self.to_original(end, after=True)))
        return OffsetMap.from_deletions(ranges)

    def to_original(self, offset: int, *, after: bool) -> int:
        """An original offset that maps to `offset`; `after` picks the last such one."""
        shift = 0
        for start, end in self.deleted:
            if start - shift < offset or (after and start - shift == offset):
                shift += end - start
            else:
                break
        return offset + shift


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to whole words: an edge inside a word moves to that word's
    edge, so a drag that begins a letter late ("onald Trump") takes the word ("Donald Trump").
    An edge between a word and punctuation or space stays where it is."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range {start}-{end} is outside a text of {len(text)}")
    while 0 < start < len(text) and _in_word(text[start - 1]) and _in_word(text[start]):
        start -= 1
    while 0 < end < len(text) and _in_word(text[end - 1]) and _in_word(text[end]):
        end += 1
    return start, end


def _in_word(character: str) -> bool:
    # Letters, digits and combining marks (an accent typed apart stays with its letter).
    return unicodedata.category(character)[0] in "LNM" or character == "_"
