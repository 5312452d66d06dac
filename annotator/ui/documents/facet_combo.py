"""A combo box choosing one of the project's stories (or sources), read when first looked at."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QListView, QStyle


class FacetCombo(QComboBox):
    """A choice among the project's stories (or sources), read when someone first looks.

    A project can hold 25,000 stories: reading and listing them all while the window opens
    made start-up slower the larger the project. So the list is read when the combo is
    opened, focused, typed into or scrolled, and read again at the next such look after
    `invalidate()`. Typing shows the values containing what was typed (ignoring case); Return
    or a click chooses one. An entry that names no value goes back to the chosen one, and an
    empty entry chooses everything.

    `value_changed` is emitted whenever `value()` changes, by the user or by a list read
    again without the chosen value.
    """

    value_changed = Signal()

    def __init__(self, everything: str, read: Callable[[], list[str]], tooltip: str) -> None:
        super().__init__()
        self._read_values = read
        self._everything = everything
        self._values: list[str] = []  # the rows after the first, `everything`
        self._longest = everything  # the value with the most characters
        self._stale = True
        self._reported: str | None = None
        self._model = QStringListModel([everything], self)
        self.setModel(self._model)
        fit_for_many(self, tooltip)
        self._entry = QLineEdit()
        self.setLineEdit(self._entry)  # editable: typing narrows the list
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self._model, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(20)
        self._suggestions = QListView()  # what typing offers
        self._suggestions.setUniformItemSizes(True)
        completer.setPopup(self._suggestions)
        self.setCompleter(completer)
        # Connected after the combo's own handler, which chooses a value typed out in full.
        self._entry.editingFinished.connect(self._entry_finished)
        self.currentIndexChanged.connect(self._report)

    def value(self) -> str | None:
        """The chosen value; None for everything."""
        index = self.currentIndex()
        return self._values[index - 1] if 0 < index <= len(self._values) else None

    def values(self) -> list[str]:
        """Every value to choose from (reading them if need be), in list order."""
        self._read_if_stale()
        return list(self._values)

    def choose(self, value: str | None) -> None:
        """Choose `value` (None: everything); ValueError if the project has no such value."""
        self._read_if_stale()
        self.setCurrentIndex(0 if value is None else self._values.index(value) + 1)

    def invalidate(self) -> None:
        """The values may have changed: read them again before they are next shown."""
        self._stale = True

    def showPopup(self) -> None:  # noqa: N802 - Qt API
        self._read_if_stale()
        self._widen_lists()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        self._read_if_stale()
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        self._read_if_stale()
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        self._read_if_stale()
        super().wheelEvent(event)

    def _read_if_stale(self) -> None:
        if not self._stale:
            return
        self._stale = False
        values = self._read_values()
        if values == self._values:
            return
        chosen = self.value()
        typed = self._entry.text()
        editing = typed != self._chosen_text()
        self.blockSignals(True)  # a new list is no new choice, unless it lost the chosen value
        self._values = values
        self._longest = max(values, key=len, default=self._everything)
        self._model.setStringList([self._everything, *values])
        self.setCurrentIndex(values.index(chosen) + 1 if chosen in values else 0)
        self.blockSignals(False)
        if editing:  # resetting the list emptied the entry; give back what is being typed
            self._entry.setText(typed)
        self._widen_lists()
        self._report()

    def _widen_lists(self) -> None:
        """Make the drop-down and typing lists wide enough for the longest value.

        The combo is narrow and an editable one's lists are no wider by default, so story keys
        would be cut short. Measuring every one of 25,000 values costs more than reading them:
        the one with the most characters stands for the widest.
        """
        margins = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 24
        wanted = self.fontMetrics().horizontalAdvance(self._longest) + margins
        width = max(self.width(), min(wanted, self.window().width() // 2))
        self.view().setMinimumWidth(width)
        self._suggestions.setMinimumWidth(width)

    def _chosen_text(self) -> str:
        # Not currentText(): in an editable combo that is whatever the entry holds.
        return self.itemText(self.currentIndex())

    def _entry_finished(self) -> None:
        if not self._entry.text().strip():
            self.setCurrentIndex(0)
        if self._entry.text() != self._chosen_text():
            self._entry.setText(self._chosen_text())

    def _report(self) -> None:
        if self.value() != self._reported:
            self._reported = self.value()
            self.value_changed.emit()


def fit_for_many(combo: QComboBox, tooltip: str) -> None:
    combo.setToolTip(tooltip)
    # Thousands of stories: do not measure every item for the width, keep the popup cheap.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)  # three side by side still fit a narrow list
    combo.setMaxVisibleItems(20)
    popup = combo.view()
    if isinstance(popup, QListView):
        popup.setUniformItemSizes(True)
