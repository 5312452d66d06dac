"""The one undo history: each step in one transaction, the lists changed only after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from annotator.core.commands import History


class Store:
    """A target with transactions: changes inside a failed one are thrown away."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.commits = 0

    @contextmanager
    def begin(self) -> Iterator[list[str]]:
        working = list(self.items)
        yield working  # an exception here leaves `items` as they were
        self.items = working
        self.commits += 1


@dataclass
class Add:
    item: str
    fail_on_undo: bool = False

    @property
    def text(self) -> str:
        return f"add {self.item}"

    def do(self, items: list[str]) -> str:
        if self.item == "bad":
            items.append("half")
            raise ValueError("refused")
        items.append(self.item)
        return self.item

    def undo(self, items: list[str]) -> str:
        if self.fail_on_undo:
            raise ValueError("cannot undo")
        items.remove(self.item)
        return self.item


def test_a_failed_step_stores_nothing_and_leaves_the_history_as_it_was() -> None:
    store = Store()
    history: History[list[str], str] = History(store.begin)
    assert history.push(Add("a")) == "a"
    with pytest.raises(ValueError, match="refused"):
        history.push(Add("bad"))
    assert store.items == ["a"] and history.undo_text() == "add a"
    assert history.undo() == "a" and store.items == [] and history.redo_text() == "add a"
    assert history.redo() == "a" and store.items == ["a"]
    assert history.undo() == "a" and history.undo() is None


def test_a_failed_undo_stays_undoable() -> None:
    store = Store()
    history: History[list[str], str] = History(store.begin)
    step = Add("a", fail_on_undo=True)
    history.push(step)
    with pytest.raises(ValueError, match="cannot undo"):
        history.undo()
    assert store.items == ["a"] and history.undo_text() == "add a" and history.redo_text() is None
    step.fail_on_undo = False
    assert history.undo() == "a" and store.items == []


def test_a_plan_is_made_and_done_in_one_transaction_and_none_means_already_so() -> None:
    store = Store()
    history: History[list[str], str] = History(store.begin)
    assert history.plan(lambda items: Add("a") if "a" not in items else None) == "a"
    commits = store.commits
    assert history.plan(lambda items: Add("a") if "a" not in items else None) is None
    assert history.undo_text() == "add a" and store.items == ["a"]
    assert store.commits == commits + 1  # the look was one transaction, with nothing in it
