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
from annotator.core.roles import ROLES
from annotator.store.annotators import add_annotator, list_annotators, set_role
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
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.make_reviewer = QPushButton("Make &reviewer")
        self.make_annotator = QPushButton("Make a&nnotator")
        self.make_reviewer.clicked.connect(lambda: self._set_chosen("reviewer"))
        self.make_annotator.clicked.connect(lambda: self._set_chosen("annotator"))
        self.table.itemSelectionChanged.connect(self._enable)
        self.name = QLineEdit()
        self.name.setPlaceholderText("a new annotator's name")
        self.role = QComboBox()
        self.role.addItems(list(ROLES))
        self.add_button = QPushButton("A&dd")
        self.add_button.clicked.connect(self.add)
        self.name.returnPressed.connect(self.add)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        roles = QHBoxLayout()
        roles.addWidget(self.make_reviewer)
        roles.addWidget(self.make_annotator)
        roles.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.role)
        row.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(roles)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, 360)
        self.refresh()

    def refresh(self) -> None:
        chosen = self.chosen_name()
        with self.database.sessions() as session:
            rows = list_annotators(session)
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            spans = QTableWidgetItem(str(row.spans))
            spans.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate(
                (QTableWidgetItem(row.name), QTableWidgetItem(row.role), spans)
            ):
                self.table.setItem(index, column, item)
            if row.name == chosen:
                self.table.selectRow(index)
        self.table.resizeColumnsToContents()
        self._enable()

    def chosen_name(self) -> str | None:
        """The name on the selected row, if any."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        item = self.table.item(rows[0].row(), 0) if rows else None
        return item.text() if item is not None else None

    def _enable(self) -> None:
        name = self.chosen_name()
        role = self.role_of(name) if name else None
        self.make_reviewer.setEnabled(role == "annotator")
        self.make_annotator.setEnabled(role == "reviewer")

    def role_of(self, name: str) -> str | None:
        """The role the table shows for `name`."""
        for index in range(self.table.rowCount()):
            item, role = self.table.item(index, 0), self.table.item(index, 1)
            if item is not None and role is not None and item.text() == name:
                return role.text()
        return None

    def _set_chosen(self, role: str) -> None:
        name = self.chosen_name()
        if name is not None:
            self.change_role(name, role)

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
