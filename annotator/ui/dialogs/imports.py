"""File › Import: choose options, preview what cleaning keeps and drops, import with progress.

The preview shows each article's text as plain text (never rendered as HTML) with the lines
cleaning will drop struck through in grey; the reason is shown when the pointer rests on one.
After an import the main window's status bar says what was added; what else the summary
says (repeats skipped, new ids, actor types not used, files skipped) opens in a window of
its own, since a status bar message is one line and gone in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.offsets import Utf16Index
from annotator.io.imports.importer import store_plan
from annotator.io.imports.planning import ImportCancelled, ImportOptions, ImportPlan, plan_import
from annotator.io.imports.records import plural
from annotator.io.imports.summary import ImportSummary
from annotator.store.database import Database
from annotator.ui.dialogs.progress import ProgressWindow

CLEANING_CHOICES = (
    ("Remove page chrome from text and Markdown files", None),
    ("Remove page chrome from every file", True),
    ("Keep the text as it is", False),
)
WIDTH = 760  # of the summary window: a note with a path fits on two lines


class ImportDialog(QDialog):
    def __init__(
        self, database: Database, paths: Sequence[Path], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import articles")
        self.resize(1100, 700)
        self.database = database
        self.paths = list(paths)
        self.plan: ImportPlan | None = None
        self.summary: ImportSummary | None = None
        # The summary shown after the import; it deletes itself when closed.
        self.summary_window: ImportSummaryDialog | None = None

        self.story = QLineEdit()
        self.story.setPlaceholderText("optional: pairs articles of one story side by side")
        self.source = QLineEdit()
        self.source.setPlaceholderText("optional: taken from each file when empty")
        self.cleaning = QComboBox()
        for label, _ in CLEANING_CHOICES:
            self.cleaning.addItem(label)
        self.skip_bad = QCheckBox("Import the good files and list the bad ones")
        self.utf16 = QCheckBox("Span offsets count UTF-16 units (spans made in doccano's web UI)")
        form = QFormLayout()
        form.addRow(
            "Files",
            QLabel(
                ", ".join(p.name for p in self.paths[:5]) + (" …" if len(self.paths) > 5 else "")
            ),
        )
        form.addRow("Story", self.story)
        form.addRow("Source", self.source)
        form.addRow("Cleaning", self.cleaning)
        form.addRow("", self.skip_bad)
        form.addRow("", self.utf16)

        self.articles = QListWidget()
        self.preview_note = QLabel()
        self.preview_note.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview_note)
        right_layout.addWidget(self.preview)
        splitter = QSplitter()
        splitter.addWidget(self.articles)
        splitter.addWidget(right)
        splitter.setSizes([380, 720])

        self.status = QLabel()
        # Reader notes name files with their paths: wrapped, so the window still fits a
        # laptop's screen however long they are (and selectable, to copy a path).
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.articles.currentRowChanged.connect(self._show_article)
        self.cleaning.currentIndexChanged.connect(self.refresh)
        self.skip_bad.toggled.connect(self._update_status)
        self.utf16.toggled.connect(self.refresh)
        self.source.editingFinished.connect(self.refresh)
        self.refresh()

    def options(self) -> ImportOptions:
        return ImportOptions(
            story=self.story.text().strip() or None,
            source=self.source.text().strip() or None,
            clean=CLEANING_CHOICES[self.cleaning.currentIndex()][1],
            skip_bad=self.skip_bad.isChecked(),
            offsets="utf16" if self.utf16.isChecked() else "codepoints",
        )

    def refresh(self) -> None:
        """Read the files again with the current options and show the result."""
        progress = self._progress("Reading files…")
        try:
            paths, options = self.paths, self.options()
            self.plan = progress.run(
                lambda: plan_import(paths, options, progress.update, progress.cancelled)
            )
        except ImportCancelled:
            self.plan = ImportPlan()
        finally:
            progress.close()
        self.articles.clear()
        for problem in self.plan.problems:
            item = QListWidgetItem(f"⚠ {problem}")
            item.setForeground(QColor("#c0392b"))
            item.setData(Qt.ItemDataRole.UserRole, None)
            self.articles.addItem(item)
        for index, article in enumerate(self.plan.articles):
            record = article.record
            lines = [record.title or "untitled"]
            if article.spans or record.stances or record.doc_labels:
                who = record.annotator or "no annotator named"
                counts = (
                    plural(len(article.spans), "span"),
                    plural(len(record.stances), "stance"),
                    plural(len(record.doc_labels), "label"),
                )
                lines.append(f"{who}: {', '.join(counts)}")
            dropped = f" · {len(article.dropped)} lines dropped" if article.dropped else ""
            lines.append(f"{record.format} · {Path(record.origin).name}{dropped}")
            item = QListWidgetItem("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.articles.addItem(item)
        if self.plan.articles:
            self.articles.setCurrentRow(len(self.plan.problems))
        self._update_status()

    def _update_status(self) -> None:
        plan = self.plan or ImportPlan()
        dropped = sum(len(a.dropped) for a in plan.articles)
        documents = len({article.sha256 for article in plan.articles})
        layers = sum(
            bool(a.spans or a.record.stances or a.record.doc_labels) for a in plan.articles
        )
        parts = [
            f"{plural(documents, 'article')} from {plural(plan.files, 'file')}"
            + (f" ({plural(layers, 'annotated layer')})" if layers else ""),
            f"{dropped} lines of page chrome to remove",
        ]
        if plan.repeated:
            parts.append(f"{plural(len(plan.repeated), 'repeat')} of the same text")
        if plan.problems:
            parts.append(f"{len(plan.problems)} problems")
        self.status.setText(" · ".join(parts) + "".join(f"\n{note}" for note in plan.notes))
        blocked = bool(plan.problems) and not self.skip_bad.isChecked()
        self.import_button.setEnabled(bool(plan.articles) and not blocked)
        self.import_button.setToolTip(
            "Fix the problems or tick 'Import the good files'" if blocked else ""
        )

    def _show_article(self, row: int) -> None:
        item = self.articles.item(row) if row >= 0 else None
        index = item.data(Qt.ItemDataRole.UserRole) if item else None
        if self.plan is None or index is None:
            self.preview.setPlainText(item.text() if item else "")
            self.preview_note.setText("")
            return
        article = self.plan.articles[index]
        self.preview.setPlainText(article.input_text)
        positions = Utf16Index(article.input_text)
        struck = QTextCharFormat()
        struck.setFontStrikeOut(True)
        struck.setForeground(QColor("#8a8a8a"))
        for line in article.dropped:
            cursor = self.preview.textCursor()
            cursor.setPosition(positions.to_utf16(line.start))
            cursor.setPosition(positions.to_utf16(line.end), QTextCursor.MoveMode.KeepAnchor)
            struck.setToolTip(f"Dropped: {line.reason}")
            cursor.mergeCharFormat(struck)
        record = article.record
        details = [
            record.source or "no source",
            record.published or "no date",
            f"{len(article.text)} characters kept",
        ]
        self.preview_note.setText(
            f"<b>{_escape(record.title or '')}</b><br>{_escape(' · '.join(details))}<br>"
            + (
                f"{len(article.dropped)} lines struck through will be dropped; "
                "the original is kept for audit."
                if article.dropped
                else "Nothing is dropped."
            )
        )

    def run_import(self) -> None:
        if self.plan is None:
            return
        progress = self._progress("Importing…")
        try:
            plan, options = self.plan, self.options()
            self.summary = progress.run(
                lambda: store_plan(
                    self.database,
                    plan=plan,
                    options=options,
                    progress=progress.update,
                    cancelled=progress.cancelled,
                )
            )
        except ImportCancelled:
            self.status.setText("Import cancelled; nothing was imported.")
            return
        except AnnotatorError as error:
            self.status.setText(str(error))
            return
        finally:
            progress.close()
        self.accept()  # the main window refreshes and shows the headline
        if self.summary.notes():
            # Over the main window: this dialog is closed by now.
            self.summary_window = ImportSummaryDialog(self.summary, self.parentWidget())
            self.summary_window.open()

    def _progress(self, title: str) -> ProgressWindow:
        return ProgressWindow(self, title)


class ImportSummaryDialog(QDialog):
    """The whole summary of an import with something to say beyond its counts.

    The notes are plain text in a read-only box, so they can be selected and copied (paths and
    line numbers included); Copy all copies the summary as `annotator import` prints it.
    Enter and Esc close it.
    """

    def __init__(self, summary: ImportSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per import
        self.summary = summary
        notes = summary.notes()

        headline = summary.headline()
        self.headline = QLabel(f"<b>{_escape(headline[:1].upper() + headline[1:])}.</b>")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        intro = QLabel(
            "Also worth knowing about this import:"
            if len(notes) == 1
            else f"{len(notes)} things worth knowing about this import:"
        )
        self.notes = QTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setTabChangesFocus(True)
        self.notes.document().setDocumentMargin(8)
        cursor = QTextCursor(self.notes.document())
        spaced = QTextBlockFormat()
        spaced.setBottomMargin(6)
        cursor.mergeBlockFormat(spaced)
        bullets = QTextListFormat()
        bullets.setStyle(QTextListFormat.Style.ListDisc)
        bullets.setIndent(1)
        cursor.createList(bullets)
        cursor.insertText("\n".join(notes))  # plain text: a path is never read as markup
        # As tall as the notes need, within reason: a long list scrolls.
        self.notes.document().setTextWidth(WIDTH - 60)
        wanted = int(self.notes.document().size().height()) + 120
        self.resize(WIDTH, max(240, min(wanted, 640)))
        self.notes.moveCursor(QTextCursor.MoveOperation.Start)  # the first note in view

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        self.copy_button = buttons.addButton("Copy all", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setAutoDefault(False)  # Enter closes, whichever button has focus
        self.copy_button.clicked.connect(self.copy_all)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(intro)
        layout.addWidget(self.notes, 1)
        layout.addWidget(buttons)
        self.close_button.setFocus()

    def text(self) -> str:
        """The summary as `annotator import` prints it, one line each."""
        return "\n".join(self.summary.lines())

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
