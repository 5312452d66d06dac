"""The one place views hear what changed in the project.

A mutation service returns a `ProjectChange` (see `core.changes`); whoever called it
publishes that here, and every view that shows the project subscribes and decides for itself
what to read again. The main window relays nothing by hand. Views of one project file share
one hub, so a second window on the same file hears an edit at once (a change made by another
program arrives as `ProjectChange.unknown()`, from the window's change watch).

`origin` is the object that made the change (an editor, the review window): it already shows
what it did and skips its own news.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from annotator.core.changes import ProjectChange


class ChangeHub(QObject):
    changed = Signal(object, object)  # ProjectChange, origin (or None)

    def publish(self, change: ProjectChange, origin: object = None) -> None:
        if change:
            self.changed.emit(change, origin)


_hubs: dict[str, ChangeHub] = {}


def hub_for(project: Path | str) -> ChangeHub:
    """The hub of the project at `project` (a file, or a server URL): one per process."""
    key = str(Path(project).resolve()) if isinstance(project, Path) else project
    hub = _hubs.get(key)
    if hub is None:
        hub = _hubs[key] = ChangeHub()
    return hub
