"""CoNLL-2003 style BIO tags, one token per line: `token - start end space tag` (tab-separated).

The layout spaCy's `spacy convert` (its `conll`/`ner` converter) reads: the token first, the
tag last, the second column its POS tag (`-`, what spaCy itself puts when there is none),
the columns between are left alone by it:
- Each document layer starts with the line `-DOCSTART- -X- O O` and a blank line; sentences
  are separated by blank lines. `start`/`end` are code-point offsets of the token in the
  document text (end exclusive), so tokens map back exactly; `space` is the whitespace after
  the token, escaped (`_` none, `\\s` a space, `\\n` a line break, `\\t`, `\\uXXXX`; the
  first token's column starts with the whitespace before it and `^` when the text begins
  with some), so the text is rebuilt exactly and `annotator import` finds the document.
- The format has no place for ids: the card's `conll_documents` lists, per file, each
  block's document id, title and annotator in order, which `annotator import` reads back.
- Tokenizer: tokens are runs of characters that are neither whitespace nor punctuation
  (Unicode category P*); each punctuation character is a token of its own. Emoji, flags,
  skin tones and combining marks stay inside their word. Tokens are also cut at every
  kept span's start and end, so a span always covers whole tokens and its offsets survive.
- Sentences end at a line break, or after `. ! ? … 。 ！ ？ ؟` followed by whitespace, but
  never inside a span.
- Overlaps: BIO has one tag per token, so overlapping spans cannot all be kept. Rule: the
  longest span wins (ties: the earlier start, then the label); a span that overlaps a kept
  one is dropped. Dropped spans are counted per label in the summary and the dataset card.
  Stances and document labels are not part of this format.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from annotator.io.export.context import Counts, ExportContext, WriterReport
from annotator.io.export.options import WrittenFile
from annotator.io.export.records import LayerRecord, SpanRow

OVERLAP_RULE = (
    "longest span wins (ties: earlier start, then label); spans overlapping a kept span "
    "are dropped and counted"
)
TOKENIZER = (
    "runs of non-space, non-punctuation characters; each punctuation character alone; "
    "tokens also cut at span boundaries"
)
SENTENCE_ENDS = frozenset(".!?…。！？؟")
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@lru_cache(maxsize=4096)
def _is_punctuation(character: str) -> bool:
    return unicodedata.category(character).startswith("P")


def tokenize(text: str, cuts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Token offsets (start, end) of `text`; a token also ends at every offset in `cuts`."""
    tokens = []
    start: int | None = None
    for index, character in enumerate(text):
        if character.isspace() or _is_punctuation(character):
            if start is not None:
                tokens.append((start, index))
                start = None
            if not character.isspace():
                tokens.append((index, index + 1))
        elif start is None:
            start = index
        elif index in cuts:
            tokens.append((start, index))
            start = index
    if start is not None:
        tokens.append((start, len(text)))
    return tokens


def choose_spans(spans: list[SpanRow]) -> tuple[list[SpanRow], list[SpanRow]]:
    """(kept, dropped) under the overlap rule: the longest span wins."""
    kept: list[SpanRow] = []
    dropped: list[SpanRow] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start, s.label, s.id)):
        if any(span.start < other.end and other.start < span.end for other in kept):
            dropped.append(span)
        else:
            kept.append(span)
    kept.sort(key=lambda s: s.start)
    return kept, dropped


def sentences(
    text: str, tokens: list[tuple[int, int]], tags: list[str]
) -> Iterator[list[tuple[int, int, str]]]:
    """Tokens with their tags, grouped into sentences (never breaking inside a span)."""
    sentence: list[tuple[int, int, str]] = []
    for index, (start, end) in enumerate(tokens):
        sentence.append((start, end, tags[index]))
        if index + 1 == len(tokens):
            break
        following = tokens[index + 1]
        if tags[index + 1].startswith("I-"):
            continue
        gap = text[end : following[0]]
        if any(c in LINE_BREAKS for c in gap) or (gap and text[start:end] in SENTENCE_ENDS):
            yield sentence
            sentence = []
    if sentence:
        yield sentence


def bio_tags(tokens: list[tuple[int, int]], spans: list[SpanRow]) -> tuple[list[str], int]:
    """A tag per token for non-overlapping `spans` (sorted), and how many spans had no token."""
    tags = ["O"] * len(tokens)
    without_token = 0
    position = 0
    for span in spans:
        while position < len(tokens) and tokens[position][1] <= span.start:
            position += 1
        first = position
        while position < len(tokens) and tokens[position][0] < span.end:
            tags[position] = ("B-" if position == first else "I-") + span.label
            position += 1
        without_token += position == first
    return tags, without_token


DOCSTART = "-DOCSTART- -X- O O"  # exactly this line: spaCy splits documents on it
_SPACES = {" ": "\\s", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v"}


def escape_space(value: str) -> str:
    """Whitespace as one column value without whitespace: `_` for none."""
    if not value:
        return "_"
    return "".join(_SPACES.get(c) or f"\\u{ord(c):04x}" for c in value)


class ConllWriter:
    """Writes a -DOCSTART- block of tagged tokens per layer record."""

    def __init__(self, handle: TextIO, target: Path, context: ExportContext) -> None:
        self.handle = handle
        self.target = target
        self.counts = Counts()
        self.tokens = 0
        self.dropped: Counter[str] = Counter()
        self.without_token = 0
        self.documents: list[dict[str, str]] = []

    def write(self, record: LayerRecord) -> None:
        text = record.document.text
        kept, dropped = choose_spans(record.spans)
        self.dropped.update(span.label for span in dropped)
        cuts = frozenset(offset for span in kept for offset in (span.start, span.end))
        tokens = tokenize(text, cuts)
        tags, without_token = bio_tags(tokens, kept)
        # Where the token after the one ending at an offset starts (the text's end at the last).
        following = {tokens[i][1]: tokens[i + 1][0] for i in range(len(tokens) - 1)}
        self.without_token += without_token
        lines = [DOCSTART, ""]
        for sentence in sentences(text, tokens, tags):
            for start, end, tag in sentence:
                space = escape_space(text[end : following.get(end, len(text))])
                if start == tokens[0][0] and start > 0:
                    space = f"{escape_space(text[:start])}^{space}"
                lines.append(f"{text[start:end]}\t-\t{start}\t{end}\t{space}\t{tag}")
            lines.append("")
        self.documents.append(
            {
                "id": record.document.name,
                "title": record.document.title,
                "annotator": record.annotator,
            }
        )
        self.handle.write("\n".join(lines) + "\n")
        self.tokens += len(tokens)
        self.counts.add(record)

    def finish(self) -> WriterReport:
        dropped = sum(self.dropped.values())
        notes = []
        if dropped:
            by_label = ", ".join(
                f"{label} {count}" for label, count in sorted(self.dropped.items())
            )
            notes.append(
                f"conll: {dropped} overlapping spans dropped (the longest span wins): {by_label}"
            )
        if self.without_token:
            notes.append(f"conll: {self.without_token} spans cover no token and have no tag")
        description = f"{self.tokens} tokens, {self.counts.describe('document layers')}"
        return WriterReport(
            files=[WrittenFile(self.target, description)],
            notes=notes,
            card={
                "conll_columns": ["token", "pos (-)", "start", "end", "space after", "tag"],
                "conll_documents": {self.target.name: self.documents},
                "conll_tokenizer": TOKENIZER,
                "conll_overlap_rule": OVERLAP_RULE,
                "conll_spans_dropped": dropped,
                "conll_spans_dropped_by_label": dict(sorted(self.dropped.items())),
                "conll_spans_without_token": self.without_token,
            },
        )
