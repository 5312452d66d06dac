"""Suggesting actor mentions: where the registry's names and aliases occur in a text.

Suggestions are shown, never stored, until a person accepts them. Matching is on whole
words and case-sensitive (actor names are proper nouns: "Moscow", not "moscow"), longest
name first, so "Russian Foreign Ministry" wins over "Russia".
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    actor_id: uuid.UUID
    matched: str


def find_mentions(
    text: str, names: Iterable[tuple[uuid.UUID, str]], skip: Sequence[tuple[int, int]] = ()
) -> list[Suggestion]:
    """Non-overlapping mentions of `names` in `text`, avoiding the `skip` ranges."""
    by_name: dict[str, set[uuid.UUID]] = {}
    for actor_id, name in names:
        if name.strip():
            by_name.setdefault(name.strip(), set()).add(actor_id)
    # A name shared by two actors is ambiguous: suggesting either would be a guess.
    usable = {name: next(iter(ids)) for name, ids in by_name.items() if len(ids) == 1}
    if not usable:
        return []
    ordered = sorted(usable, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)")
    taken = sorted(skip)
    found: list[Suggestion] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        found.append(Suggestion(start, end, usable[match.group()], match.group()))
    return found
