"""Long work (import, export, agreement, bundle merge) on a worker thread, with a progress
dialog that can cancel.

The work runs on a thread of its own, so its transaction is never held open by a window
pumping events: the window stays painted and the Cancel button answers while the event
loop here waits for the thread. The service's `progress` callback (called on the worker)
is carried to the dialog by a queued signal; `cancelled` reads a flag the Cancel button
sets. The dialog is window-modal, so no edit starts in the window meanwhile. Whatever the
work returns, or raises, comes back to the caller on the window's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class _Bridge(QObject):
    """Lives on the window's thread; signals emitted from the worker arrive queued."""

    progressed = Signal(int, int, str)
    finished = Signal()


class ProgressWindow:
    """Appears only when the work takes a while; `update` and `cancelled` plug into services
    and may be called from the worker thread."""

    def __init__(self, parent: QWidget, title: str = "Working…", *, can_cancel: bool = True):
        self.dialog = QProgressDialog(title, "Cancel" if can_cancel else "", 0, 100, parent)
        if not can_cancel:
            self.dialog.setCancelButton(None)  # work that cannot stop half-way says so
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoClose(False)
        self.dialog.setValue(0)
        self._cancel = threading.Event()
        self.dialog.canceled.connect(self._cancel.set)
        self._bridge = _Bridge()
        self._bridge.progressed.connect(self.show_progress)

    def run(self, work: Callable[[], T]) -> T:
        """Run `work` on a worker thread and wait for it, the window kept alive meanwhile;
        return what it returned, or raise what it raised."""
        outcome: list[T] = []
        failure: list[BaseException] = []

        def worker() -> None:
            try:
                outcome.append(work())
            except BaseException as error:  # carried to the window's thread, raised there
                failure.append(error)
            finally:
                self._bridge.finished.emit()

        loop = QEventLoop()
        self._bridge.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        thread = threading.Thread(target=worker, name="annotator-work", daemon=True)
        thread.start()
        loop.exec()
        thread.join()
        if failure:
            raise failure[0]
        return outcome[0]

    def update(self, done: int, total: int, what: str) -> None:
        """The service's progress callback: safe from any thread."""
        self._bridge.progressed.emit(done, total, what)

    def show_progress(self, done: int, total: int, what: str) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        self.dialog.setLabelText(what)

    def cancel(self) -> None:
        """What the Cancel button does: the work stops at its next check."""
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def close(self) -> None:
        self.dialog.reset()
        self.dialog.close()
