"""A progress dialog for long work (import, export, agreement) that can be cancelled."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


class ProgressWindow:
    """Appears only when the work takes a while; `update` and `cancelled` plug into services."""

    def __init__(self, parent: QWidget, title: str = "Working…") -> None:
        self.dialog = QProgressDialog(title, "Cancel", 0, 100, parent)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoClose(False)
        self.dialog.setValue(0)

    def update(self, done: int, total: int, what: str) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        self.dialog.setLabelText(what)
        QApplication.processEvents()

    def cancelled(self) -> bool:
        return self.dialog.wasCanceled()

    def close(self) -> None:
        self.dialog.reset()
        self.dialog.close()
