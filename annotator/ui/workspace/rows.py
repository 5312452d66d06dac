"""Rows of a list kept in step with the layer, changing only the rows that differ.

A label key press adds one span to a layer of thousands; rebuilding the annotation list
and the stance form's evidence list for it cost a quarter of a second at 5,000 spans.
`KeyedRows` keeps each row's item by the id it shows and, given the rows wanted in order,
removes, inserts, moves and re-labels only those that changed (both orders are the
layer's sorted order, so a walk down them finds the few differences).
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from annotator.core.annotations import AnnotationLayer, SpanValue, span_order

Item = TypeVar("Item")
Key = Hashable


class KeyedRows(Generic[Item]):
    """`insert(row, key, texts)` makes the item shown at `row`; `remove(item)` takes it
    out; `update(item, texts)` shows new texts on it."""

    def __init__(
        self,
        insert: Callable[[int, Key, tuple[str, ...]], Item],
        remove: Callable[[Item], None],
        update: Callable[[Item, tuple[str, ...]], None],
    ) -> None:
        self._insert, self._remove, self._update = insert, remove, update
        self.order: list[Key] = []
        self.items: dict[Key, Item] = {}
        self._shown: dict[Key, tuple[str, ...]] = {}
        self._sorts: list[Any] = []  # each row's sort key, in order (for `apply`)
        self._sort_of: dict[Key, Any] = {}

    def forget(self) -> None:
        """The widget was cleared: nothing is shown."""
        self.order, self.items, self._shown, self._sorts, self._sort_of = [], {}, {}, [], {}

    def sync(self, wanted: Sequence[tuple[Key, Any, tuple[str, ...]]]) -> None:
        """Show `wanted` (key, sort key, texts), sorted by its sort keys, in its order."""
        keys = {key for key, _, _ in wanted}
        for key in [key for key in self.order if key not in keys]:
            self._remove(self.items.pop(key))
            del self._shown[key]
        order = [key for key in self.order if key in keys]
        for row, (key, _, texts) in enumerate(wanted):
            # order[:row] is already the wanted keys up to row
            if row < len(order) and order[row] == key:
                if self._shown[key] != texts:
                    self._update(self.items[key], texts)
                    self._shown[key] = texts
                continue
            if key in self.items:  # moved (a resized or relabelled span sorts elsewhere)
                self._remove(self.items.pop(key))
                order.remove(key)
            self.items[key] = self._insert(row, key, texts)
            self._shown[key] = texts
            order.insert(row, key)
        self.order = order
        self._sorts = [sort for _, sort, _ in wanted]
        self._sort_of = {key: sort for key, sort, _ in wanted}

    def apply(self, gone: Iterable[Key], put: Sequence[tuple[Key, Any, tuple[str, ...]]]) -> None:
        """Only these rows changed: `gone` are no more, `put` are new or changed. A walk of
        a few rows, found by their sort keys, whatever the list's length."""
        for key in {*gone, *(key for key, _, _ in put)}:
            if key not in self.items:
                continue
            sort = self._sort_of.pop(key)
            row = bisect_left(self._sorts, sort)
            while self.order[row] != key:  # rows sorting alike: the one with this key
                row += 1
            self._remove(self.items.pop(key))
            del self.order[row], self._sorts[row], self._shown[key]
        for key, sort, texts in put:
            row = bisect_right(self._sorts, sort)
            self.items[key] = self._insert(row, key, texts)
            self.order.insert(row, key)
            self._sorts.insert(row, sort)
            self._sort_of[key] = sort
            self._shown[key] = texts


def same_objects(these: tuple[object, ...], those: tuple[object, ...]) -> bool:
    """Whether the rows were made for these very objects (the same layer, text and
    vocabulary: an edit of the layer), not merely equal ones."""
    return len(these) == len(those) and all(a is b for a, b in zip(these, those, strict=False))


def sync_rows(
    rows: KeyedRows[Any],
    synced: int | None,
    layer: AnnotationLayer,
    changed: Collection[uuid.UUID] | None,
    texts: Callable[[SpanValue], tuple[str, ...]],
) -> None:
    """Bring span `rows` that show `layer` as of version `synced` up to date: nothing to do
    when it is that version still; only the `changed` spans when an edit says which; else
    every row compared."""
    if synced == layer.version:
        return
    if changed is not None and synced is not None:
        spans = layer.spans
        put = [(key, span_order(span), texts(span)) for key in changed if (span := spans.get(key))]
        rows.apply([key for key in changed if key not in spans], put)
        if len(rows.order) == len(spans):
            return
    rows.sync([(span.id, span_order(span), texts(span)) for span in layer.sorted_spans()])
