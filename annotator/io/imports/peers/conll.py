"""CoNLL-style token files: a token per line, the tag in the last column, BIO/IOB/IOBES/BILOU.

- `-DOCSTART-` lines start a document (else the file is one document); blank lines end
  sentences; `# key = value` comment lines (CoNLL-U) are skipped.
- Tags: `B-X` begins a span, `I-X` continues one (or begins it, as IOB1 and broken BIO do),
  `E-X`/`L-X` end one, `S-X`/`U-X` are one-token spans, `O` or `_` are outside; a tag without
  a prefix is read as `I-` (the IO scheme).
- The text is rebuilt: tokens joined by a space, sentences by a line break, spans on the
  rebuilt text. Our own export (see `io.export.conll`: columns token, `-`, start, end,
  whitespace after, tag) gives back the exact text and offsets, and its card names each
  block's document and annotator, so it imports to the same annotations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.io.imports.records import ArticleRecord, BadInput, SpanRecord

PREFIXES = {"B": "begin", "I": "inside", "E": "end", "L": "end", "S": "single", "U": "single"}
_TAG = re.compile(r"^([BIESLU])[-_](.+)$")
_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


def unescape_space(value: str) -> str:
    """The whitespace a column of our CoNLL export writes: `_` none, `\\s` a space, `\\n`..."""
    if value == "_":
        return ""
    out = []
    index = 0
    while index < len(value):
        if value[index] == "\\" and index + 1 < len(value):
            code = value[index + 1]
            if code == "u" and index + 6 <= len(value):
                out.append(chr(int(value[index + 2 : index + 6], 16)))
                index += 6
                continue
            out.append(_ESCAPES.get(code, code))
            index += 2
        else:
            out.append(value[index])
            index += 1
    return "".join(out)


def looks_like_conll(text: str) -> bool:
    """Most non-blank lines are `token ... tag` with tags like O, B-X, I-X."""
    lines = [line for line in text.split("\n")[:200] if line.strip()]
    if not lines:
        return False
    if any(line.startswith("-DOCSTART-") for line in lines[:5]):
        return True
    tagged = 0
    for line in lines:
        columns = line.split()
        if 2 <= len(columns) <= 20 and (columns[-1] in ("O", "_") or _TAG.match(columns[-1])):
            tagged += 1
    return tagged >= max(2, int(len(lines) * 0.9)) and any(
        line.split()[-1] != "O" for line in lines
    )


@dataclass
class _Block:
    line: int
    sentences: list[list[tuple[int, list[str]]]] = field(default_factory=list)


def card_documents(path: Path) -> list[dict[str, str]]:
    """Our export's card beside `path` lists each block's document and annotator."""
    name = path.name
    candidates = [path.with_name(name + ".card.json")]
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2] in ("train", "dev", "test"):
        candidates.append(path.with_name(".".join(parts[:-2] + parts[-1:]) + ".card.json"))
    for card in candidates:
        try:
            data = json.loads(card.read_text(encoding="utf-8"))
            found = data["format_details"]["conll_documents"][name]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(found, list):
            return [item for item in found if isinstance(item, dict)]
    return []


def read_conll(
    text: str, origin: str, documents: list[dict[str, str]]
) -> Iterator[ArticleRecord | BadInput]:
    blocks = _blocks(text)
    for number, block in enumerate(blocks):
        where = f"{origin}:{block.line}"
        try:
            record = _record(block, where)
        except BadInput as problem:
            yield problem
            continue
        if record is None:
            continue
        if number < len(documents) and len(documents) == len(blocks):
            about = documents[number]
            record.annotator = about.get("annotator") or None
            record.title = about.get("title") or None
        yield record


def _blocks(text: str) -> list[_Block]:
    blocks = [_Block(1)]
    sentence: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if line.startswith("-DOCSTART-"):
            if sentence:
                blocks[-1].sentences.append(sentence)
                sentence = []
            blocks.append(_Block(number))
            continue
        if not line.strip():
            if sentence:
                blocks[-1].sentences.append(sentence)
                sentence = []
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        if line.startswith("#") and (len(columns) == 1 or "=" in line) and not _is_tag(columns[-1]):
            continue  # a comment (CoNLL-U's `# text = ...`)
        sentence.append((number, [c.strip() for c in columns]))
    if sentence:
        blocks[-1].sentences.append(sentence)
    return [block for block in blocks if block.sentences]


def _is_tag(value: str) -> bool:
    return value in ("O", "_") or bool(_TAG.match(value))


def _record(block: _Block, origin: str) -> ArticleRecord | None:
    ours = all(_our_columns(columns) for sentence in block.sentences for _, columns in sentence)
    pieces: list[str] = []
    tokens: list[tuple[int, int, str, int]] = []  # start, end, tag, line
    position = 0
    for index, sentence in enumerate(block.sentences):
        for offset, (line, columns) in enumerate(sentence):
            if len(columns) < 2:
                raise BadInput(
                    f"{origin.rsplit(':', 1)[0]}:{line}",
                    "a CoNLL token line needs a token and a tag (in the last column)",
                )
            token, tag = columns[0], columns[-1]
            if ours:
                before, _, after = columns[4].rpartition("^")
                start = int(columns[2])
                if position == 0 and before:
                    pieces.append(unescape_space(before))
                    position = len(pieces[-1])
                if start != position or int(columns[3]) != start + len(token):
                    raise BadInput(
                        f"{origin.rsplit(':', 1)[0]}:{line}",
                        f"the offsets {columns[2]}-{columns[3]} do not follow the tokens "
                        "before them (was the file edited?)",
                    )
                tokens.append((start, start + len(token), tag, line))
                pieces.append(token)
                space = unescape_space(after)
                pieces.append(space)
                position = start + len(token) + len(space)
            else:
                if offset:
                    pieces.append(" ")
                    position += 1
                elif index:
                    pieces.append("\n")
                    position += 1
                tokens.append((position, position + len(token), tag, line))
                pieces.append(token)
                position += len(token)
        if not ours:
            tokens.append((position, position, "O", 0))  # a sentence end closes spans
    text = "".join(pieces)
    if not text.strip():
        return None
    return ArticleRecord(origin=origin, text=text, raw=text, format="conll", spans=_spans(tokens))


def _our_columns(columns: list[str]) -> bool:
    return len(columns) == 6 and columns[1] == "-" and columns[2].isdigit() and columns[3].isdigit()


def _spans(tokens: list[tuple[int, int, str, int]]) -> list[SpanRecord]:
    spans: list[SpanRecord] = []
    current: tuple[int, int, str] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            spans.append(SpanRecord(current[0], current[1], current[2]))
            current = None

    for start, end, tag, _line in tokens:
        if tag in ("O", "_") or start == end:
            close()
            continue
        found = _TAG.match(tag)
        prefix, label = (found[1], found[2]) if found else ("I", tag)
        kind = PREFIXES[prefix]
        if kind in ("begin", "single") or current is None or current[2] != label:
            close()
            current = (start, end, label)
        else:
            current = (current[0], end, label)
        if kind in ("end", "single"):
            close()
    close()
    return spans
