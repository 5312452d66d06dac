"""Markdown to plain article text by deleting markup only, so offsets can be mapped back.

Headings lose their `#`, emphasis its `*`/`_`, links keep their text, images and HTML
comments go, a YAML front matter block is read for metadata and removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.offsets import OffsetMap

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_FRONT_FIELD = re.compile(r"^(\w+)\s*:\s*[\"']?(.*?)[\"']?\s*$")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_HEADING_TAIL = re.compile(r"[ \t]+#+[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*\n", re.MULTILINE)
# Every pattern here stays linear on a hostile line: a class that cannot run past the next
# opening bracket (or over the next marker) means a failed match from one start ends where
# the next start begins, instead of scanning to the end of the line from every start.
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
_LINK = re.compile(r"(\[)[^\[\]\n]+(\]\([^()\n]*\))")
# Bold cannot run over the next marker of its kind ("**a **b" is not bold from the first).
_STRONG_STARS = re.compile(r"(\*\*)(?=\S)((?:[^*\n]|\*(?!\*))*?\S)\*\*")
_STRONG_LINES = re.compile(r"(__)(?=\S)((?:[^_\n]|_(?!_))*?\S)__")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)([^\n*_]*?\S)\1(?![\w*])")
# A code run starts at the first backtick of a run, takes the whole run (possessive), and
# its content cannot hold a backtick: no start rescans a run or a line.
_CODE = re.compile(r"(?<!`)(`++)([^`\n]++)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class PlainMarkdown:
    text: str
    offsets: OffsetMap
    front_matter: dict[str, str]


def markdown_to_text(source: str) -> PlainMarkdown:
    """Strip Markdown markup from normalised `source` (LF line ends)."""
    deletions: list[tuple[int, int]] = []
    front: dict[str, str] = {}
    if found := _FRONT_MATTER.match(source):
        for line in found[1].split("\n"):
            if field := _FRONT_FIELD.match(line):
                front[field[1].lower()] = field[2]
        deletions.append((0, found.end()))
    for pattern in (_IMAGE, _RULE, _HEADING, _HEADING_TAIL):
        deletions.extend(m.span() for m in pattern.finditer(source))
    # Comments only up to the last "-->": an opening with no close after it is text, and
    # searching past the last close would rescan the rest of the file from every "<!--".
    closing = source.rfind("-->")
    if closing >= 0:
        deletions.extend(m.span() for m in _COMMENT.finditer(source, 0, closing + 3))
    for match in _LINK.finditer(source):
        deletions.extend([match.span(1), match.span(2)])
    for pattern in (_STRONG_STARS, _STRONG_LINES, _EMPHASIS, _CODE):
        for match in pattern.finditer(source):
            marker = len(match[1])
            deletions.extend(
                [(match.start(), match.start() + marker), (match.end() - marker, match.end())]
            )
    mapping = OffsetMap.from_deletions(deletions)
    parts, position = [], 0
    for start, end in mapping.deleted:
        parts.append(source[position:start])
        position = end
    parts.append(source[position:])
    return PlainMarkdown("".join(parts), mapping, front)
