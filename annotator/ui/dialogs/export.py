"""File › Export: choose a format, the layers and documents, an optional split, and a path.

The dialog only gathers `ExportOptions` and calls the export service, the same one the
command line uses; the work runs with a progress dialog whose Cancel leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.io.export import (
    STATUS_CHOICES,
    ExportCancelled,
    ExportOptions,
    ExportSummary,
    export,
    export_choices,
)
from annotator.store.database import Database
from annotator.ui.dialogs.progress import ProgressWindow

FORMAT_CHOICES = (
    ("JSONL for training (spaCy, Prodigy; imports again)", "jsonl", ".jsonl"),
    ("doccano JSONL", "doccano", ".jsonl"),
    ("Label Studio JSON", "labelstudio", ".json"),
    ("brat standoff (a folder)", "brat", ""),
    ("CoNLL / BIO tokens", "conll", ".conll"),
    ("Stance table (CSV)", "stances", ".csv"),
    ("Actor–issue network (CSV + GraphML)", "network", ".csv"),
    ("UIMA CAS XMI for INCEpTION (a folder)", "xmi", ""),
    ("WebAnno TSV 3.3 for INCEpTION (a folder)", "webanno-tsv", ""),
)
ALL_STORIES = "All stories"


class ExportDialog(QDialog):
    """The export dialog: options, a path, Export, and the summary below."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export labelled data")
        self.database = database
        self.summary: ExportSummary | None = None
        # Tests replace this to press Cancel at a chosen moment.
        self.progress_window: Callable[[QWidget], ProgressWindow] = ProgressWindow
        annotators, stories = export_choices(database)

        self.format = QComboBox()
        for label, name, _ in FORMAT_CHOICES:
            self.format.addItem(label, name)
        self.layer = QComboBox()
        # Item data: "all", "gold" or "annotator:<name>".
        self.layer.addItem("Every annotator's layer", "all")
        self.layer.addItem("Gold (adjudicated)", "gold")
        for name in annotators:
            self.layer.addItem(f"Annotator: {name}", f"annotator:{name}")
        self.story = QComboBox()
        self.story.addItem(ALL_STORIES, None)
        for story in stories:
            self.story.addItem(story, story)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Any status", None)
        for status in STATUS_CHOICES:
            self.status_filter.addItem(status.replace("_", " ").capitalize(), status)

        self.split = QCheckBox("Split into train / dev / test")
        self.shares = [self._spin(0, 100, value) for value in (80, 10, 10)]
        self.seed = self._spin(0, 2_000_000_000, 0)
        split_row = QHBoxLayout()
        for title, spin in zip(("train", "dev", "test"), self.shares, strict=True):
            split_row.addWidget(QLabel(title))
            split_row.addWidget(spin)
        split_row.addWidget(QLabel("seed"))
        split_row.addWidget(self.seed)

        self.path = QLineEdit()
        self.path.setPlaceholderText("where to write the export")
        self.browse = QPushButton("Browse…")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)

        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Layers", self.layer)
        form.addRow("Story", self.story)
        form.addRow("Status", self.status_filter)
        form.addRow("", self.split)
        form.addRow("Shares (%)", split_row)
        form.addRow("Save to", path_row)

        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.ApplyRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)

        self.export_button.clicked.connect(self.run_export)
        self.buttons.rejected.connect(self.reject)
        self.browse.clicked.connect(self.choose_path)
        self.split.toggled.connect(self._update)
        self.format.currentIndexChanged.connect(self._update)
        self.path.textChanged.connect(self._update)
        self._update()

    @staticmethod
    def _spin(low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    def options(self) -> ExportOptions:
        """The options the dialog shows now."""
        layers, _, name = str(self.layer.currentData()).partition(":")  # names may hold ":"
        split = tuple(spin.value() for spin in self.shares) if self.split.isChecked() else None
        return ExportOptions(
            format=self.format.currentData(),
            annotator=name if layers == "annotator" else None,
            gold=layers == "gold",
            all_layers=layers == "all",
            story=self.story.currentData(),
            status=self.status_filter.currentData(),
            split=(split[0], split[1], split[2]) if split else None,
            seed=self.seed.value(),
        )

    def _update(self) -> None:
        network = self.format.currentData() == "network"
        self.split.setEnabled(not network)  # a network has no train/dev/test
        if network:
            self.split.setChecked(False)
        for spin in (*self.shares, self.seed):
            spin.setEnabled(self.split.isChecked())
        self.export_button.setEnabled(bool(self.path.text().strip()))

    def choose_path(self) -> None:
        """Ask for the output path (a folder for brat, XMI and WebAnno TSV)."""
        index = self.format.currentIndex()
        name, suffix = FORMAT_CHOICES[index][1], FORMAT_CHOICES[index][2]
        if not suffix:
            chosen = QFileDialog.getExistingDirectory(self, "Export into a new or empty folder")
        else:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export to", f"export{suffix}", f"{name} (*{suffix or '*'})"
            )
        if chosen:
            self.path.setText(chosen)

    def run_export(self) -> ExportSummary | None:
        """Export with the dialog's options; the summary (or the problem) shows below."""
        text = self.path.text().strip()
        if not text:
            return None
        progress = self.progress_window(self)
        try:
            options, out = self.options(), Path(text)
            self.summary = progress.run(
                lambda: export(
                    self.database,
                    options=options,
                    out=out,
                    progress=progress.update,
                    cancelled=progress.cancelled,
                )
            )
        except ExportCancelled as cancelled:
            self._show(str(cancelled).capitalize() + ".", problem=False)
            return None
        except AnnotatorError as error:
            self._show(str(error), problem=True)
            return None
        finally:
            progress.close()
        self._show("\n".join(self.summary.lines()), problem=False)
        return self.summary

    def _show(self, message: str, *, problem: bool) -> None:
        self.result_label.setStyleSheet("color: #c0392b;" if problem else "")
        self.result_label.setText(message)
