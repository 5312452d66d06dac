"""Undoable edits. Every change a person makes is a command with `do` and `undo`.

The UI maps keys and clicks to these commands and pushes them on an `UndoStack`; nothing in
here knows about Qt. A command applies itself to an `AnnotationLayer`, which stores each
step at once, and returns the `Change` so views can repaint only what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

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

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"add {self.span.label}"

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


@dataclass
class _RemoveSpan(Command):
    span: SpanValue

    def do(self, layer: AnnotationLayer) -> Change:
        return layer.remove_span(self.span.id)

    def undo(self, layer: AnnotationLayer) -> Change:
        return layer.put_span(self.span)


def delete_spans(layer: AnnotationLayer, spans: Sequence[SpanValue]) -> Command:
    """Delete spans; stances citing them lose that evidence (and come back on undo)."""
    ids = {span.id for span in spans}
    steps: list[Command] = []
    for stance in layer.stances.values():
        if ids & set(stance.evidence):
            kept = tuple(e for e in stance.evidence if e not in ids)
            steps.append(ChangeStance(stance, replace(stance, evidence=kept)))
    steps.extend(_RemoveSpan(span) for span in spans)
    label = spans[0].label if len(spans) == 1 else f"{len(spans)} spans"
    return Group(steps, text=f"delete {label}")


class UndoStack:
    """Commands done on one layer, with undo and redo. Listeners hear every change."""

    def __init__(self, layer: AnnotationLayer) -> None:
        self.layer = layer
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._listeners: list[Callable[[Change], None]] = []

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def push(self, command: Command) -> Change:
        """Do `command` (stored at once, in one transaction) and remember it for undo. If it
        fails, nothing of it is stored, the layer and this history are as they were, and the
        error is raised."""
        with self.layer.step():
            change = command.do(self.layer)
        self._done.append(command)
        self._undone.clear()
        self._notify(change)
        return change

    def undo(self) -> Change | None:
        if not self._done:
            return None
        command = self._done[-1]
        with self.layer.step():
            change = command.undo(self.layer)
        self._undone.append(self._done.pop())
        self._notify(change)
        return change

    def redo(self) -> Change | None:
        if not self._undone:
            return None
        command = self._undone[-1]
        with self.layer.step():
            change = command.do(self.layer)
        self._done.append(self._undone.pop())
        self._notify(change)
        return change

    def undo_text(self) -> str | None:
        return self._done[-1].text if self._done else None

    def redo_text(self) -> str | None:
        return self._undone[-1].text if self._undone else None

    def _notify(self, change: Change) -> None:
        for listener in self._listeners:
            listener(change)
