"""Actor mention suggestions from names and aliases."""

from __future__ import annotations

import uuid

from annotator.core.suggestions import find_mentions

RUSSIA, MINISTRY, PESKOV, OTHER = (uuid.uuid4() for _ in range(4))
NAMES = [
    (RUSSIA, "Russia"),
    (RUSSIA, "Moscow"),
    (MINISTRY, "Russian Foreign Ministry"),
    (PESKOV, "Dmitry Peskov"),
    (PESKOV, "Peskov"),
    (PESKOV, "Kremlin spokesman"),
    (OTHER, "Peskov2"),
]


def test_longest_whole_word_matches_win() -> None:
    text = "The Russian Foreign Ministry said Moscow disagreed; Peskov agreed. Russians? No."
    found = [(s.matched, s.actor_id) for s in find_mentions(text, NAMES)]
    assert found == [
        ("Russian Foreign Ministry", MINISTRY),
        ("Moscow", RUSSIA),
        ("Peskov", PESKOV),
    ]  # "Russians" is not "Russia"


def test_existing_spans_and_ambiguous_names_are_skipped() -> None:
    text = "Kremlin spokesman Dmitry Peskov spoke. Lee met Lee."
    start = text.index("Dmitry")
    names = [*NAMES, (uuid.uuid4(), "Lee"), (uuid.uuid4(), "Lee")]
    found = find_mentions(text, names, skip=[(start, start + 13)])
    assert [(s.start, s.end) for s in found] == [(0, 17)]
    assert find_mentions("nothing here", []) == []
