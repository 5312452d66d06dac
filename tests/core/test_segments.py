"""Flattened segments reproduce exactly which labels cover each character."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.segments import flatten, overlapping, splice

span = st.tuples(st.integers(0, 40), st.integers(0, 40), st.sampled_from("ABC")).filter(
    lambda s: s[0] < s[1]
)


@given(st.lists(span, max_size=25))
def test_every_character_has_the_labels_of_the_spans_over_it(spans: list) -> None:
    segments = flatten(spans)
    for a, b in itertools.pairwise(segments):
        assert a.end <= b.start
        assert not (a.end == b.start and a.labels == b.labels)  # neighbours are merged
    starts = [s.start for s in segments]
    for offset in range(41):
        expected = sorted({label for start, end, label in spans if start <= offset < end})
        found = overlapping(segments, starts, offset, offset + 1)
        got = sorted(found[0].labels) if found else []
        assert got == expected


def test_the_longest_span_comes_first() -> None:
    segments = flatten([(5, 8, "INNER"), (0, 20, "OUTER")])
    assert [(s.start, s.end, s.labels) for s in segments] == [
        (0, 5, ("OUTER",)),
        (5, 8, ("OUTER", "INNER")),
        (8, 20, ("OUTER",)),
    ]


@given(st.lists(span, max_size=25), st.lists(span, max_size=3), st.data())
def test_splicing_an_edit_equals_flattening_again(
    before: list, added: list, data: st.DataObject
) -> None:
    removed = data.draw(st.lists(st.sampled_from(before), max_size=2)) if before else []
    after = [s for s in before if s not in removed] + added
    changed = [(s[0], s[1]) for s in removed + added] or [(0, 1)]
    segments = flatten(before)
    for start, end in changed:
        meeting = [s for s in after if s[0] < end and start < s[1]]
        segments = splice(segments, meeting, start, end)
    assert segments == flatten(after)
