"""The main window: layout and wiring only. The annotation workspace will fill the right side."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QTableView,
)

from annotator import __version__
from annotator.io.demo import load_demo
from annotator.store.database import Database
from annotator.store.documents import count_documents, list_documents
from annotator.store.models import Document
from annotator.ui.document_list import DocumentListModel
from annotator.ui.import_dialog import ImportDialog


class MainWindow(QMainWindow):
    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.setWindowTitle(f"Annotator — {database.display_name}")
        self.resize(1280, 800)

        self.documents = DocumentListModel()
        self.document_view = QTableView()
        self.document_view.setModel(self.documents)
        self.document_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.document_view.verticalHeader().hide()
        self.document_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.document_view.selectionModel().currentRowChanged.connect(self._show_document)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.reader = QPlainTextEdit()  # read-only preview until the workspace replaces it
        self.reader.setReadOnly(True)
        self.reader.hide()

        splitter = QSplitter()
        splitter.addWidget(self.document_view)
        splitter.addWidget(self.placeholder)
        splitter.addWidget(self.reader)
        splitter.setSizes([560, 720])
        self.setCentralWidget(splitter)
        self._build_menus()
        self.refresh()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        import_files = QAction("&Import files…", self)
        import_files.setShortcut(QKeySequence("Ctrl+I"))
        import_files.triggered.connect(self._choose_files)
        file_menu.addAction(import_files)
        import_folder = QAction("Import &folder…", self)
        import_folder.triggered.connect(self._choose_folder)
        file_menu.addAction(import_folder)
        file_menu.addSeparator()
        self.load_demo_action = QAction("Load &demo project", self)
        self.load_demo_action.triggered.connect(self.load_demo)
        file_menu.addAction(self.load_demo_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Import articles",
            "",
            "Articles (*.txt *.md *.markdown *.html *.htm *.jsonl *.ndjson *.json *.csv *.tsv);;"
            "All files (*)",
        )
        if names:
            self.import_paths([Path(name) for name in names])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> ImportDialog:
        """Open the import dialog for `paths`; the list refreshes after an import."""
        dialog = ImportDialog(self.database, paths, self)
        dialog.accepted.connect(lambda: self._imported(dialog))
        dialog.open()
        return dialog

    def _imported(self, dialog: ImportDialog) -> None:
        self.refresh()
        if dialog.summary is not None:
            lines = dialog.summary.lines()
            self.statusBar().showMessage(f"{lines[0]} · saved", 8000)

    def refresh(self) -> None:
        with self.database.sessions() as session:
            rows = list_documents(session)
        self.documents.set_rows(rows)
        self.document_view.resizeColumnsToContents()
        self.document_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        if rows:
            stories = len({row.story for row in rows if row.story})
            self.placeholder.setText(f"{len(rows)} documents in {stories} stories.")
        else:
            self.placeholder.setText(
                "This project has no documents yet.\n"
                "File › Load demo project, or 'annotator import PATH'."
            )
        self.statusBar().showMessage(f"Annotator {__version__} · {len(rows)} documents · saved")

    def _show_document(self, current: QModelIndex) -> None:
        if not current.isValid():
            return
        with self.database.sessions() as session:
            document = session.get(Document, self.documents.row_at(current.row()).id)
            text = document.text if document else ""
        self.reader.setPlainText(text)
        self.placeholder.hide()
        self.reader.show()

    def offer_demo(self, ask: Callable[[], bool]) -> bool:
        """On an empty project, ask whether to load the demo; returns whether it was loaded."""
        with self.database.sessions() as session:
            if count_documents(session):
                return False
        if not ask():
            return False
        self.load_demo()
        return True

    def load_demo(self) -> None:
        summary = load_demo(self.database)
        self.refresh()
        self.statusBar().showMessage(
            f"Demo loaded: {summary.documents_added} documents added · saved", 5000
        )
