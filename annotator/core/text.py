"""Normalising imported text: strip leading BOMs, turn CRLF and lone CR into LF, nothing else.

Everything else stays byte-for-byte (no silent NFC, no whitespace folding), so offsets that
users computed against the raw text can be moved onto the stored text exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from annotator.core.offsets import OffsetMap

BOM = "\ufeff"
_UNCHANGED = OffsetMap()


@dataclass(frozen=True)
class NormalisedText:
    """The stored text, the raw input it came from, and how raw offsets map onto it."""

    text: str
    raw: str
    offsets: OffsetMap

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Move a span given against the raw text onto the normalised text."""
        return self.offsets.map_span(start, end)


def normalise(raw: str) -> NormalisedText:
    """Normalise line endings and drop leading byte-order marks."""
    if "\r" not in raw and not raw.startswith(BOM):
        return NormalisedText(text=raw, raw=raw, offsets=_UNCHANGED)  # the common case
    # Every leading BOM goes (a doubled one comes from re-encoding): Qt's setPlainText drops
    # a U+FEFF at the very start of a document, which would shift every offset by one.
    bom_length = len(raw) - len(raw.lstrip(BOM))
    deletions: list[tuple[int, int]] = [(0, bom_length)] if bom_length else []
    # The CR of each CRLF is deleted; a lone CR becomes LF in place (same length).
    position = raw.find("\r\n")
    while position != -1:
        deletions.append((position, position + 1))
        position = raw.find("\r\n", position + 2)
    text = raw[bom_length:].replace("\r\n", "\n").replace("\r", "\n")
    return NormalisedText(text=text, raw=raw, offsets=OffsetMap.from_deletions(deletions))


def text_hash(text: str) -> str:
    """SHA-256 of the text's UTF-8 bytes: the key for finding duplicate documents."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
