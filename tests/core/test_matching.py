"""Overlap F1 by a maximum matching: the case greedy matching got wrong, and agreement with
networkx's Hopcroft-Karp on random span sets."""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.agreement.coefficients import span_f1
from annotator.core.agreement.matching import UNMATCHED, maximum_matching


def test_the_case_greedy_matching_got_wrong() -> None:
    # Issue 17: greedy by largest overlap pairs (0,10) with (5,12) and scores 0.5.
    a = [(0, 10, "X"), (8, 12, "X")]
    b = [(5, 12, "X"), (0, 3, "X")]
    result = span_f1(a, b, match="overlap")
    assert (result.true_positives, result.f1) == (2, 1.0)


def test_the_report_counts_the_same_maximum(tmp_path: object) -> None:
    from annotator.review.agreement.spans import match_spans

    a = sorted([(0, 10, "X"), (8, 12, "X")])
    b = sorted([(5, 12, "X"), (0, 3, "X")])
    assert match_spans(a, b).overlap["X"] == 2


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from("XY")).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=12,
)


@given(a=spans, b=spans)
def test_as_many_matches_as_networkx_finds(
    a: list[tuple[int, int, str]], b: list[tuple[int, int, str]]
) -> None:
    graph = nx.Graph()
    graph.add_nodes_from(("a", i) for i in range(len(a)))
    graph.add_nodes_from(("b", j) for j in range(len(b)))
    for i, (s1, e1, l1) in enumerate(a):
        for j, (s2, e2, l2) in enumerate(b):
            if l1 == l2 and min(e1, e2) > max(s1, s2):
                graph.add_edge(("a", i), ("b", j))
    top = [("a", i) for i in range(len(a))]
    best = len(nx.bipartite.hopcroft_karp_matching(graph, top_nodes=top)) // 2
    assert span_f1(a, b, match="overlap").true_positives == best
    neighbours = [[j for _, j in graph.neighbors(("a", i))] for i in range(len(a))]
    matched = maximum_matching(neighbours, len(b))
    pairs = [(i, j) for i, j in enumerate(matched) if j != UNMATCHED]
    assert len(pairs) == best and len({j for _, j in pairs}) == len(pairs)
    assert all(graph.has_edge(("a", i), ("b", j)) for i, j in pairs)


def test_a_long_chain_needs_no_recursion() -> None:
    # Each span overlaps its neighbours: augmenting paths thousands of steps long.
    a = [(2 * n, 2 * n + 3, "X") for n in range(5000)]
    b = [(2 * n + 1, 2 * n + 4, "X") for n in range(5000)]
    assert span_f1(a, b, match="overlap").true_positives == 5000
