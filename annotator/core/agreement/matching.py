"""A maximum one-to-one matching of two annotators' spans (Hopcroft & Karp 1973).

Overlap F1 counts a span of one annotator as matched when it shares a character with an
unmatched span of the other, one to one. Taking pairs greedily (largest overlap first) can
miss matches: A = (0,10), (8,12) and B = (5,12), (0,3) pair (0,10) with (5,12) first and
leave (8,12) and (0,3) unmatched, F1 0.5, although (0,10)-(0,3) and (8,12)-(5,12) match
both, F1 1.0. The count of a maximum matching does not depend on the order of the spans.

Hopcroft-Karp finds it in O(E·√V) for V spans and E overlapping pairs; written without
recursion, so long chains of overlaps cannot exhaust the stack.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

UNMATCHED = -1


def maximum_matching(neighbours: Sequence[Sequence[int]], right: int) -> list[int]:
    """For left vertices 0..len(neighbours)-1, `neighbours[i]` the right vertices (0..right-1)
    that i may match: the right partner of each left vertex in one maximum matching, or
    UNMATCHED (-1)."""
    left = len(neighbours)
    partner_of_left = [UNMATCHED] * left
    partner_of_right = [UNMATCHED] * right
    # A quick greedy start leaves Hopcroft-Karp only the augmenting paths to find.
    for i, options in enumerate(neighbours):
        for j in options:
            if partner_of_right[j] == UNMATCHED:
                partner_of_left[i], partner_of_right[j] = j, i
                break
    infinite = left + 1
    while True:
        # Breadth first from the free left vertices: layers of alternating paths.
        distance = [infinite] * left
        queue: deque[int] = deque()
        for i in range(left):
            if partner_of_left[i] == UNMATCHED:
                distance[i] = 0
                queue.append(i)
        found = False
        while queue:
            i = queue.popleft()
            for j in neighbours[i]:
                k = partner_of_right[j]
                if k == UNMATCHED:
                    found = True
                elif distance[k] == infinite:
                    distance[k] = distance[i] + 1
                    queue.append(k)
        if not found:
            return partner_of_left
        # Depth first along the layers, augmenting vertex-disjoint shortest paths.
        for start in range(left):
            if partner_of_left[start] == UNMATCHED:
                _augment(start, neighbours, distance, partner_of_left, partner_of_right)


def _augment(
    start: int,
    neighbours: Sequence[Sequence[int]],
    distance: list[int],
    partner_of_left: list[int],
    partner_of_right: list[int],
) -> bool:
    """Find and flip one augmenting path from the free left vertex `start`."""
    path: list[tuple[int, int]] = []  # (left vertex, index of the next neighbour to try)
    stack = [(start, 0)]
    while stack:
        i, at = stack.pop()
        options = neighbours[i]
        advanced = False
        while at < len(options):
            j = options[at]
            at += 1
            k = partner_of_right[j]
            if k == UNMATCHED:
                # Flip the path: every left vertex on it takes the right vertex it reached.
                path.append((i, at))
                for vertex, next_at in path:
                    chosen = neighbours[vertex][next_at - 1]
                    partner_of_left[vertex] = chosen
                    partner_of_right[chosen] = vertex
                return True
            if distance[k] == distance[i] + 1:
                path.append((i, at))
                stack.append((k, 0))
                advanced = True
                break
        if not advanced:
            distance[i] = len(distance) + 1  # a dead end: never try it again this phase
            if path:
                parent, parent_at = path.pop()
                stack.append((parent, parent_at))
    return False
