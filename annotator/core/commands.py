"""Undoable edits. Every change a person makes is a command with `do` and `undo`.

The UI maps keys and clicks to these commands and pushes them on an `UndoStack`; nothing in
here knows about Qt. A command applies itself to an `AnnotationLayer`, which stores each
step at once, and returns the `Change` so views can repaint only what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Generic, Protocol, TypeVar

from annotator.core.annotations import AnnotationLayer, Change, SpanValue, StanceValue


class Command:
    """An edit that can be done and undone; `text` names it in Edit › Undo."""

    text = "edit"

    def do(self, layer: AnnotationLayer) -> Change:
        raise NotImplementedError

    def undo(self, layer: AnnotationLayer) -> Change:
        raise NotImplementedError


@dataclass
class AddSpan(Command):
    span: SpanValue
    quote: str = ""  # the text marked, so Edit › Undo says which span it takes back

    @property
    def text(self) -> str:  # type: ignore[override]
        return (
            f"add {self.span.label} {quoted(self.quote)}"
            if self.quote
            else f"add {self.span.label}"
        )

    def do(self, layer: AnnotationLayer) -> Change:
        return layer.put_span(self.span)

    def undo(self, layer: AnnotationLayer) -> Change:
        return layer.remove_span(self.span.id)


@dataclass
class ChangeSpan(Command):
    """Relabel, resize, link an actor or issue, or edit the note of a span."""

    old: SpanValue
    new: SpanValue
    text: str = "change span"

    def do(self, layer: AnnotationLayer) -> Change:
        return layer.put_span(self.new)

    def undo(self, layer: AnnotationLayer) -> Change:
        return layer.put_span(self.old)


@dataclass
class AddStance(Command):
    stance: StanceValue
    text: str = "add stance"

    def do(self, layer: AnnotationLayer) -> Change:
        return layer.put_stance(self.stance)

    def undo(self, layer: AnnotationLayer) -> Change:
        return layer.remove_stance(self.stance.id)


@dataclass
class ChangeStance(Command):
    old: StanceValue
    new: StanceValue
    text: str = "change stance"

    def do(self, layer: AnnotationLayer) -> Change:
        return layer.put_stance(self.new)

    def undo(self, layer: AnnotationLayer) -> Change:
        return layer.put_stance(self.old)


@dataclass
class DeleteStance(Command):
    stance: StanceValue
    text: str = "delete stance"

    def do(self, layer: AnnotationLayer) -> Change:
        return layer.remove_stance(self.stance.id)

    def undo(self, layer: AnnotationLayer) -> Change:
        return layer.put_stance(self.stance)


@dataclass
class SetDocumentLabel(Command):
    """Tag or untag the whole document (a genre label, or "issue:<key>")."""

    label: str
    present: bool

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"{'tag' if self.present else 'untag'} {self.label}"

    def do(self, layer: AnnotationLayer) -> Change:
        return layer.set_document_label(self.label, self.present)

    def undo(self, layer: AnnotationLayer) -> Change:
        return layer.set_document_label(self.label, not self.present)


@dataclass
class Group(Command):
    """Several commands that are done and undone as one step."""

    commands: Sequence[Command]
    text: str = "edit"

    def do(self, layer: AnnotationLayer) -> Change:
        change = Change()
        for command in self.commands:
            change = change.merge(command.do(layer))
        return change

    def undo(self, layer: AnnotationLayer) -> Change:
        change = Change()
        for command in reversed(self.commands):
            change = change.merge(command.undo(layer))
        return change


def quoted(text: str, longest: int = 30) -> str:
    """`text` in quotes for a menu entry: on one line, and cut short if long."""
    line = " ".join(text.split())
    return f"'{line if len(line) <= longest else line[: longest - 1] + '…'}'"


@dataclass
class _RemoveSpan(Command):
    span: SpanValue

    def do(self, layer: AnnotationLayer) -> Change:
        return layer.remove_span(self.span.id)

    def undo(self, layer: AnnotationLayer) -> Change:
        return layer.put_span(self.span)


def delete_spans(layer: AnnotationLayer, spans: Sequence[SpanValue], quote: str = "") -> Command:
    """Delete spans; stances citing them lose that evidence (and come back on undo).
    `quote`: the text of the one span, to name the step."""
    ids = {span.id for span in spans}
    steps: list[Command] = []
    for stance in layer.stances.values():
        if ids & set(stance.evidence):
            kept = tuple(e for e in stance.evidence if e not in ids)
            steps.append(ChangeStance(stance, replace(stance, evidence=kept)))
    steps.extend(_RemoveSpan(span) for span in spans)
    label = spans[0].label if len(spans) == 1 else f"{len(spans)} spans"
    return Group(steps, text=f"delete {label} {quoted(quote)}" if quote else f"delete {label}")


Target = TypeVar("Target")  # what a step works on: a layer, a database session
Result = TypeVar("Result")  # what doing or undoing it returns: the Change to repaint...
_On = TypeVar("_On", contravariant=True)
_Gives = TypeVar("_Gives", covariant=True)


class Undoable(Protocol[_On, _Gives]):
    """A step a history can do, undo and redo; `text` names it in Edit › Undo."""

    @property
    def text(self) -> str: ...
    def do(self, target: _On, /) -> _Gives: ...
    def undo(self, target: _On, /) -> _Gives: ...


class History(Generic[Target, Result]):
    """Steps done, with undo and redo, each step in one transaction.

    `begin()` opens the transaction and gives the target: every do, undo and redo runs
    inside one, and the lists change only once it has committed. A step that fails leaves
    the stored data as it was (rolled back) and this history as it was; the error is raised
    for the caller to show. The workspace's `UndoStack` (over a layer) and the review's
    `GoldReview` (over a database session) are both this one history.
    """

    def __init__(self, begin: Callable[[], AbstractContextManager[Target]]) -> None:
        self._begin = begin
        self._done: list[Undoable[Target, Result]] = []
        self._undone: list[Undoable[Target, Result]] = []

    def push(self, step: Undoable[Target, Result]) -> Result:
        """Do `step` and remember it for undo (redo is forgotten)."""
        with self._begin() as target:
            result = step.do(target)
        self._done.append(step)
        self._undone.clear()
        return result

    def plan(self, plan: Callable[[Target], Undoable[Target, Result] | None]) -> Result | None:
        """Decide the step from what is stored, and do it, in one transaction: nothing can
        change in between. `plan` returning None means already so: nothing is remembered."""
        with self._begin() as target:
            step = plan(target)
            if step is None:
                return None
            result = step.do(target)
        self._done.append(step)
        self._undone.clear()
        return result

    def undo(self) -> Result | None:
        """Undo the last step; None if there is none."""
        return self._replay(self._done, self._undone, undo=True)

    def redo(self) -> Result | None:
        return self._replay(self._undone, self._done, undo=False)

    def _replay(
        self,
        source: list[Undoable[Target, Result]],
        target: list[Undoable[Target, Result]],
        *,
        undo: bool,
    ) -> Result | None:
        if not source:
            return None
        step = source[-1]
        with self._begin() as on:
            result = step.undo(on) if undo else step.do(on)
        target.append(source.pop())  # only once committed: a failed undo stays undoable
        return result

    def undo_text(self) -> str | None:
        return self._done[-1].text if self._done else None

    def redo_text(self) -> str | None:
        return self._undone[-1].text if self._undone else None


class UndoStack:
    """Commands done on one layer, with undo and redo. Listeners hear every change."""

    def __init__(self, layer: AnnotationLayer) -> None:
        self.layer = layer
        self.history: History[AnnotationLayer, Change] = History(self._step)
        self._listeners: list[Callable[[Change], None]] = []

    @contextmanager
    def _step(self) -> Iterator[AnnotationLayer]:
        with self.layer.step():
            yield self.layer

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def push(self, command: Command) -> Change:
        """Do `command` (stored at once, in one transaction) and remember it for undo. If it
        fails, nothing of it is stored, the layer and this history are as they were, and the
        error is raised."""
        return self._notify(self.history.push(command))

    def undo(self) -> Change | None:
        change = self.history.undo()
        return self._notify(change) if change is not None else None

    def redo(self) -> Change | None:
        change = self.history.redo()
        return self._notify(change) if change is not None else None

    def undo_text(self) -> str | None:
        return self.history.undo_text()

    def redo_text(self) -> str | None:
        return self.history.redo_text()

    def _notify(self, change: Change) -> Change:
        for listener in self._listeners:
            listener(change)
        return change
