"""File › Annotators: who works on this project, and who is a reviewer (may decide gold).

The same services as `annotator annotators`; each change is one transaction, published to
the project's hub so the review window enables its decisions at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.store.annotators import ROLES, add_annotator, list_annotators, set_role
from annotator.store.database import Database
from annotator.ui.actors.picker import ERROR_STYLE
from annotator.ui.changes import ChangeHub


class AnnotatorsDialog(QDialog):
    def __init__(self, database: Database, hub: ChangeHub, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Annotators")
        self.database = database
        self.hub = hub
        intro = QLabel(
            "A reviewer adjudicates the annotators' layers into gold (Review › Review and "
            "adjudicate, F7). Every new name starts as an annotator."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Name", "Role", "Spans"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.name = QLineEdit()
        self.name.setPlaceholderText("a new annotator's name")
        self.role = QComboBox()
        self.role.addItems(list(ROLES))
        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(self.add)
        self.name.returnPressed.connect(self.add)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.role)
        row.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, 360)
        self.refresh()

    def refresh(self) -> None:
        with self.database.sessions() as session:
            rows = list_annotators(session)
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            name = QTableWidgetItem(row.name)
            self.table.setItem(index, 0, name)
            role = QComboBox()
            role.addItems(list(ROLES))
            role.setCurrentText(row.role)
            role.setToolTip(f"{row.name}'s role")
            role.activated.connect(
                lambda _i, who=row.name, box=role: self.change_role(who, box.currentText())
            )
            self.table.setCellWidget(index, 1, role)
            spans = QTableWidgetItem(str(row.spans))
            spans.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(index, 2, spans)
        self.table.resizeColumnsToContents()

    def role_of(self, name: str) -> str | None:
        """The role the table shows for `name` (for tests and the review window)."""
        for index in range(self.table.rowCount()):
            item = self.table.item(index, 0)
            box = self.table.cellWidget(index, 1)
            if item is not None and item.text() == name and isinstance(box, QComboBox):
                return box.currentText()
        return None

    def change_role(self, name: str, role: str) -> None:
        self._store(lambda session: set_role(session, name, role), f"{name} is now {role}.")

    def add(self) -> None:
        name, role = self.name.text().strip(), self.role.currentText()
        if self._store(lambda session: add_annotator(session, name, role), f"Added {name}."):
            self.name.clear()

    def _store(self, change: object, done: str) -> bool:
        try:
            with self.database.sessions.begin() as session:
                result = change(session)  # type: ignore[operator]
        except AnnotatorError as error:
            self._say(str(error), error=True)
            self.refresh()
            return False
        self.hub.publish(result, self)
        self._say(done, error=False)
        self.refresh()
        return True

    def _say(self, line: str, *, error: bool) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(line)
        self.message.show()
