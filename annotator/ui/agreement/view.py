"""Review › Agreement: the agreement report on screen, and its HTML export.

`AgreementView` shows an `AgreementReport`: the headline numbers, a per-label alpha bar chart
(`ui.agreement.alpha_chart`), annotator pairs, and the label confusion matrix as a
heat-coloured table.
`AgreementDialog` adds label and story filters and Refresh. Colours are mixed from the widget's
palette, so light and dark themes both read well. The report itself comes from
`annotator.review.agreement.report`, the same service as `annotator agreement`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement.bootstrap import Interval
from annotator.core.changes import ProjectChange
from annotator.core.errors import AnnotatorError
from annotator.review.agreement.disagreements import disagreements
from annotator.review.agreement.html import number, write_html_report
from annotator.review.agreement.report import AgreementReport, agreement_choices, agreement_report
from annotator.store.database import Database
from annotator.ui.agreement.alpha_chart import AlphaBarChart
from annotator.ui.agreement.disagreements import DisagreementsDialog, OpenAt
from annotator.ui.changes import ChangeHub
from annotator.ui.dialogs.progress import ProgressWindow
from annotator.ui.screen import fit_to_screen

AGREED, CONFUSED = QColor("#2f6fbf"), QColor("#d66821")  # heat hues of the confusion table
ALL_LABELS, ALL_STORIES = "All labels", "All stories"
LEAST_AGREEMENT = 10  # documents listed, lowest αU first

Chooser = Callable[[QWidget], Path | None]
SPANS: dict[str, Any] = {"about": "spans"}
# The headline numbers: key (of AgreementView.values), title, where the report has it, and
# what it is made of (the filters of review.agreement.disagreements for what lies behind it).
HEADLINES: tuple[
    tuple[str, str, Callable[[AgreementReport], float | None], dict[str, Any]], ...
] = (
    ("overlap_f1", "Overlap F1", lambda r: r.span_f1.overlap, {"about": "spans", "exact": False}),
    ("exact_f1", "Exact F1", lambda r: r.span_f1.exact, SPANS),
    ("unitized_alpha", "αU pooled", lambda r: r.unitized.pooled, SPANS),
    (
        "unitized_alpha_2016",
        "uα (2016) pooled",
        lambda r: r.unitized_2016.pooled,
        {"about": "spans"},
    ),
    ("stance_alpha", "Stance α", lambda r: r.stances.alpha, {"about": "stances"}),
    ("cohen_kappa", "Cohen's κ", lambda r: r.document_labels.mean, {"about": "labels"}),
    ("fleiss_kappa", "Fleiss' κ", lambda r: r.document_labels.fleiss, {"about": "labels"}),
)
# The bootstrap 95% interval, shown under the numbers that have one.
INTERVALS: dict[str, Callable[[AgreementReport], Interval | None]] = {
    "unitized_alpha": lambda report: report.unitized.interval,
    "unitized_alpha_2016": lambda report: report.unitized_2016.interval,
    "stance_alpha": lambda report: report.stances.interval,
}


def mix(base: QColor, tint: QColor, share: float) -> QColor:
    """`tint` laid over `base` with opacity `share`: heat that fits the palette."""
    return QColor.fromRgbF(
        base.redF() + (tint.redF() - base.redF()) * share,
        base.greenF() + (tint.greenF() - base.greenF()) * share,
        base.blueF() + (tint.blueF() - base.blueF()) * share,
    )


def readable_text(background: QColor) -> QColor:
    """Black or white, whichever reads better on `background`."""
    luminance = 0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF()
    return QColor("#000000") if luminance > 0.55 else QColor("#ffffff")


def choose_html_path(parent: QWidget) -> Path | None:
    """Ask where to save the HTML report."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Export agreement report", "agreement.html", "HTML (*.html)"
    )
    return Path(chosen) if chosen else None


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


def _fill(
    table: QTableWidget, headers: list[str], rows: list[list[str]], numbers_from: int
) -> None:
    """Replace the table's contents; columns from `numbers_from` on are right-aligned."""
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    table.verticalHeader().setVisible(False)
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column >= numbers_from:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


class AgreementView(QWidget):
    # (title, filters for review.agreement.disagreements): a figure was opened.
    wants_disagreements = Signal(str, dict)

    """The agreement report: numbers, alpha bars, pairs, confusion matrix, HTML export."""

    def __init__(self, parent: QWidget | None = None, chooser: Chooser | None = None) -> None:
        super().__init__(parent)
        self.report: AgreementReport | None = None
        self.chooser: Chooser = chooser or choose_html_path  # tests pass their own
        self.project: Path | None = None  # the project file, which no report may overwrite
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.values: dict[str, QPushButton] = {}
        self.intervals: dict[str, QLabel] = {key: QLabel("") for key in INTERVALS}
        numbers = QGridLayout()
        for column, (key, title, _, behind) in enumerate(HEADLINES):
            # A number is a button: clicked (or Space/Enter), it lists what lies behind it.
            value = QPushButton("–")
            value.setFlat(True)
            value.setToolTip(f"{title}: list the disagreements behind it")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.5)
            font.setBold(True)
            value.setFont(font)
            value.clicked.connect(
                lambda _=False, title=title, behind=behind: self.wants_disagreements.emit(
                    title, dict(behind)
                )
            )
            self.values[key] = value
            numbers.addWidget(QLabel(title), 0, column)
            numbers.addWidget(value, 1, column)
            if key in self.intervals:
                numbers.addWidget(self.intervals[key], 2, column)

        self.chart = AlphaBarChart()
        self.pairs = self._table(rows=12, shrinks=False)
        self.confusion = self._table(rows=12, shrinks=False)
        self.documents = self._table(rows=6, shrinks=True)
        self.pairs.cellDoubleClicked.connect(self._pair_opened)
        self.confusion.cellDoubleClicked.connect(self._cell_opened)
        self.documents.cellDoubleClicked.connect(self._document_opened)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton("Export HTML…")
        self.export_button.clicked.connect(self.export_html)
        self.status = QLabel()
        self.status.setWordWrap(True)

        tables = QHBoxLayout()
        top = Qt.AlignmentFlag.AlignTop
        tables.addWidget(_boxed("Annotator pairs", self.pairs), 1, top)
        confusion_title = "Label confusion (symmetric: one annotator's label against the other's)"
        tables.addWidget(_boxed(confusion_title, self.confusion), 1, top)
        export_row = QHBoxLayout()
        export_row.addWidget(self.status, 1)
        export_row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(numbers)
        chart_title = "Unitized alpha per label (dashed: .667 tentative, .800 reliable)"
        layout.addWidget(_boxed(chart_title, self.chart))
        layout.addLayout(tables)
        documents_title = "Documents with the least agreement (lowest αU first)"
        layout.addWidget(_boxed(documents_title, self.documents))
        layout.addWidget(self.notes)
        layout.addStretch(1)
        layout.addLayout(export_row)
        self.set_report(None)

    @staticmethod
    def _table(rows: int, *, shrinks: bool) -> QTableWidget:
        """A read-only table as tall as its rows, up to `rows` rows (then it scrolls).

        Small reports leave no empty boxes; the pairs and the confusion matrix never shrink
        below their rows (they are the point), the document list gives way first.
        """
        table = QTableWidget()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().setDefaultSectionSize(24)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        table.setMaximumHeight(24 * (rows + 1) + 6)
        vertical = QSizePolicy.Policy.Preferred if shrinks else QSizePolicy.Policy.Minimum
        table.setSizePolicy(QSizePolicy.Policy.Expanding, vertical)
        return table

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        # Heat colours are mixed from the palette: a theme change must re-mix them.
        if event.type() == QEvent.Type.PaletteChange and self.report is not None:
            self._show_confusion(self.report)
        super().changeEvent(event)

    def set_report(self, report: AgreementReport | None) -> None:
        """Show `report` (None: an empty view)."""
        self.report = report
        self.export_button.setEnabled(report is not None)
        if report is None:
            self.summary.setText("No report yet.")
            for label in self.values.values():
                label.setText("–")
            self.chart.set_bars([])
            self.pairs.setRowCount(0)
            self.confusion.setRowCount(0)
            self.documents.setRowCount(0)
            self.notes.setText("")
            return
        names = ", ".join(report.annotators) or "none"
        self.summary.setText(
            f"{len(report.annotators)} annotators ({names}); {report.documents_paired} of "
            f"{report.documents_considered} documents compared, "
            f"{report.documents_all_annotators} with every annotator. Click a number (or "
            "double-click a pair, a confusion cell, a document) for the disagreements behind it."
        )
        for key, _, value, _ in HEADLINES:
            self.values[key].setText(number(value(report)))
        for key, interval_of in INTERVALS.items():
            interval = interval_of(report)
            self.intervals[key].setText(interval.text() if interval else "")
            self.intervals[key].setToolTip(
                f"bootstrap, {interval.resamples} resamples of {interval.clusters} "
                "documents, blocks of documents or units"
                if interval
                else ""
            )
        unitized = report.unitized
        self.chart.set_bars(
            [("all labels", unitized.pooled)]
            + [(label, unitized.pooled_per_label.get(label)) for label in report.labels]
        )
        self._show_pairs(report)
        self._show_confusion(report)
        self._show_documents(report)
        self.notes.setText("\n".join(f"• {note}" for note in report.notes))

    def _pair_opened(self, row: int, _column: int) -> None:
        if self.report is not None and 0 <= row < len(self.report.span_f1.pairs):
            pair = self.report.span_f1.pairs[row]
            self.wants_disagreements.emit(
                f"{pair.a} / {pair.b}", {"about": "spans", "pair": (pair.a, pair.b)}
            )

    def _cell_opened(self, row: int, column: int) -> None:
        if self.report is None:
            return
        keys: list[str | None] = [*self.report.confusion.labels, None]
        if 0 <= row < len(keys) and 0 <= column < len(keys):
            labels = (keys[row], keys[column])
            title = " / ".join(label or "none" for label in labels)
            self.wants_disagreements.emit(title, {"about": "spans", "labels": labels})

    def _document_opened(self, row: int, _column: int) -> None:
        if self.report is None:
            return
        documents = self.report.unitized.least_agreement(LEAST_AGREEMENT)
        if 0 <= row < len(documents):
            document = documents[row]
            self.wants_disagreements.emit(
                document.title or document.id, {"about": "spans", "document_id": document.id}
            )

    def _show_pairs(self, report: AgreementReport) -> None:
        kappas = {(pair.a, pair.b): pair.kappa for pair in report.document_labels.pairs}
        rows = [
            [
                f"{pair.a} / {pair.b}",
                str(pair.documents),
                f"{pair.spans_a} / {pair.spans_b}",
                number(pair.exact),
                number(pair.overlap),
                number(kappas.get((pair.a, pair.b))),
            ]
            for pair in report.span_f1.pairs
        ]
        headers = ["Pair", "Documents", "Spans", "Exact F1", "Overlap F1", "Label κ"]
        _fill(self.pairs, headers, rows, numbers_from=1)

    def _show_documents(self, report: AgreementReport) -> None:
        rows = [
            [
                document.external_id or document.id,
                document.title,
                ", ".join(document.annotators),
                str(document.spans),
                number(document.overall),
            ]
            for document in report.unitized.least_agreement(LEAST_AGREEMENT)
        ]
        headers = ["Document", "Title", "Annotators", "Spans", "αU"]
        _fill(self.documents, headers, rows, numbers_from=3)

    def _show_confusion(self, report: AgreementReport) -> None:
        confusion = report.confusion
        keys = [*confusion.labels, "none"]
        self.confusion.clear()
        self.confusion.setRowCount(len(keys) if confusion.labels else 0)
        self.confusion.setColumnCount(len(keys) if confusion.labels else 0)
        if not confusion.labels:
            return
        self.confusion.setHorizontalHeaderLabels(keys)
        self.confusion.setVerticalHeaderLabels(keys)
        size = len(keys)
        # Agreement (the diagonal) and confusion each scaled to their own largest count.
        largest = {
            True: max((confusion.matrix[i][i] for i in range(size)), default=0),
            False: max(
                (confusion.matrix[i][j] for i in range(size) for j in range(size) if i != j),
                default=0,
            ),
        }
        base = self.palette().color(QPalette.ColorRole.Base)
        for i, row in enumerate(confusion.matrix):
            for j, count in enumerate(row):
                item = QTableWidgetItem(str(count))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                diagonal = i == j
                if count and largest[diagonal]:
                    share = 0.15 + 0.85 * count / largest[diagonal]
                    background = mix(base, AGREED if diagonal else CONFUSED, share)
                    item.setBackground(background)
                    item.setForeground(readable_text(background))
                item.setToolTip(f"{keys[i]} / {keys[j]}: {count}")
                self.confusion.setItem(i, j, item)

    def export_html(self) -> Path | None:
        """Ask for a path (through `chooser`) and write the HTML report there."""
        if self.report is None:
            return None
        path = self.chooser(self)
        if path is None:
            return None
        try:
            write_html_report(self.report, path, project=self.project)
        except AnnotatorError as error:
            self.status.setText(str(error))
            return None
        self.status.setText(f"Wrote {path}")
        return path


REFRESH_DELAY_MS = 1000  # after a change, compute again once changes pause this long


class AgreementDialog(QDialog):
    """The agreement report of a project, with label and story filters and Refresh."""

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        chooser: Chooser | None = None,
        *,
        hub: ChangeHub | None = None,
        open_at: OpenAt | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inter-annotator agreement")
        self.database = database
        self.open_at = open_at  # opens the review window at a disagreement
        # A change to the layers (here or elsewhere) computes the report again once the
        # changes pause: figures on screen are never older than the project.
        self.hub = hub or ChangeHub(self)
        self.hub.changed.connect(self._project_changed)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_after_change)
        # Tests replace this to press Cancel at a chosen moment.
        self.progress_window: Callable[[QWidget], ProgressWindow] = ProgressWindow
        labels, stories = agreement_choices(database)
        self.label = QComboBox()
        self.label.addItem(ALL_LABELS, None)
        for label in labels:
            self.label.addItem(label, label)
        self.story = QComboBox()
        self.story.addItem(ALL_STORIES, None)
        for story in stories:
            self.story.addItem(story, story)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Label"))
        filters.addWidget(self.label)
        filters.addWidget(QLabel("Story"))
        filters.addWidget(self.story)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        self.view = AgreementView(chooser=chooser)
        self.view.project = database.path
        self.view.wants_disagreements.connect(self.show_disagreements)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # On a small screen (1280×720) the report scrolls; the buttons stay in sight.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.view)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 960, 780)
        self.refresh()

    def show_disagreements(self, title: str, filters: dict[str, Any]) -> DisagreementsDialog:
        """The list behind a figure, for the label and story chosen above."""
        label, story = self.label.currentData(), self.story.currentData()
        if filters.get("about") == "spans" and label is not None:
            filters = {**filters, "label": label}
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = disagreements(self.database, story=story, **filters)
        finally:
            QGuiApplication.restoreOverrideCursor()
        dialog = DisagreementsDialog(title, found, self.open_at, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # modeless: the review window it opens must take keys
        return dialog

    def _project_changed(self, change: ProjectChange, _origin: object) -> None:
        if change.review:
            self._refresh_timer.start()

    def _refresh_after_change(self) -> None:
        if self.refresh() is not None:
            self.view.status.setText("Computed again: the project changed.")

    def refresh(self) -> AgreementReport | None:
        """Compute the report for the chosen filters and show it."""
        # A large project takes seconds: a progress dialog (after 400 ms) that can cancel.
        window = self.progress_window(self)
        window.dialog.setLabelText("Comparing annotators…")
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            label, story = self.label.currentData(), self.story.currentData()
            report = window.run(
                lambda: agreement_report(
                    self.database,
                    label=label,
                    story=story,
                    progress=window.update,
                    cancelled=window.cancelled,
                    workers=None,  # a large project: one process per CPU
                )
            )
        except AnnotatorError as error:  # AgreementCancelled too: the message says so
            self.view.set_report(None)
            self.view.status.setText(str(error))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
            window.close()
        self.view.set_report(report)
        self.view.status.setText("")
        return report
