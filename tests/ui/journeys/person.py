"""A person at the window: only the keys and clicks someone makes, on the widgets they touch.

Journeys read the window's state to know where to click (where a word is on screen, which
row holds a title), as eyes would, and never set a widget or call the window to act.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QListWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from annotator.ui.main_window import MainWindow
from annotator.ui.text.pane import DocumentPane

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


def point_of(pane: DocumentPane, offset: int, *, edge: bool = False) -> QPoint:
    """Where on screen (in the viewport) the character at code-point `offset` is drawn
    (`edge`: the boundary before it, where a drag ending at `offset` lets go)."""
    cursor = QTextCursor(pane.document())
    cursor.setPosition(pane.positions.to_utf16(offset))
    rect = pane.cursorRect(cursor)
    return QPoint(rect.left() + (0 if edge else 2), rect.center().y())


def click_text(qtbot: QtBot, pane: DocumentPane, offset: int) -> None:
    pane.ensurePolished()
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=point_of(pane, offset))


def drag(
    qtbot: QtBot,
    pane: DocumentPane,
    start: int,
    end: int,
    modifiers: Qt.KeyboardModifier = NONE,
) -> None:
    """Press at `start`, move with the button held, let go at `end`."""
    viewport = pane.viewport()
    first, last = point_of(pane, start, edge=True), point_of(pane, end, edge=True)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifiers, first)
    for share in (0.3, 0.7, 1.0):  # QTest's mouseMove carries no button: send the moves
        at = QPointF(first + (last - first) * share)
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            at,
            QPointF(viewport.mapToGlobal(at.toPoint())),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            modifiers,
        )
        QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifiers, last)


def keys(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifiers=NONE, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        qtbot.keyClick(widget, key, modifiers)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    qtbot.keyClicks(widget, text)


def word_to(qtbot: QtBot, pane: DocumentPane, offset: int) -> None:
    """Ctrl+Home, then Ctrl+Right until the cursor is at `offset` (a word's start)."""
    qtbot.keyClick(pane, Qt.Key.Key_Home, CTRL)
    for _ in range(2000):
        at = pane.positions.to_code_point(pane.textCursor().position())
        if at >= offset:
            assert at == offset, f"no word starts at {offset} (the cursor went to {at})"
            return
        qtbot.keyClick(pane, Qt.Key.Key_Right, CTRL)
    raise AssertionError("the cursor never got there")


def select_words(qtbot: QtBot, pane: DocumentPane, count: int) -> None:
    keys(qtbot, pane, Qt.Key.Key_Right, CTRL | SHIFT, count)


def click(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


def click_tab(qtbot: QtBot, tabs: QTabWidget, text: str) -> None:
    bar = tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i).replace("&", "") == text)
    click(qtbot, bar, bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def choose_in_combo(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Click the combo box open, then click the entry whose text (stripped) is `text`."""
    click(qtbot, combo)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = next(
        combo.model().index(row, 0)
        for row in range(combo.count())
        if combo.itemText(row).strip() == text
    )
    view.scrollTo(index)
    # A combo box takes a release that soon after opening as the end of a press-and-drag
    # on itself; a person's second click comes later.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    click(qtbot, view.viewport(), view.visualRect(index).center())
    qtbot.waitUntil(lambda: not view.isVisible())


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int, column: int = 0) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    click(qtbot, view.viewport(), view.visualRect(index).center())


def click_item(
    qtbot: QtBot, tree: QTreeWidget, item: QTreeWidgetItem, double: bool = False
) -> None:
    tree.scrollToItem(item)
    at = tree.visualItemRect(item).center()
    if double:  # as a window system sends it: a click, then the second press as a double
        click(qtbot, tree.viewport(), at)
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    else:
        click(qtbot, tree.viewport(), at)


def tick_in_list(qtbot: QtBot, items: QListWidget, starts_with: str) -> None:
    """Click the check box of the entry whose text starts with `starts_with`."""
    row = next(r for r in range(items.count()) if items.item(r).text().startswith(starts_with))
    rect = items.visualItemRect(items.item(row))
    click(qtbot, items.viewport(), QPoint(rect.left() + 10, rect.center().y()))


def open_document(qtbot: QtBot, window: MainWindow, title_start: str) -> None:
    """Click the document's row in the list on the left."""
    model = window.browser.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).title.startswith(title_start))
    click_row(qtbot, window.browser.view, row)
    qtbot.waitUntil(lambda: window.workspace.left.header.text().startswith(title_start))


def menu(qtbot: QtBot, window: MainWindow, menu_letter: Qt.Key, item_letter: Qt.Key) -> None:
    """Alt and a menu's letter, then an entry's letter."""
    qtbot.keyClick(window.menuBar(), menu_letter, ALT)
    popup = QApplication.activePopupWidget()
    assert popup is not None, "the menu opened"
    qtbot.keyClick(popup, item_letter)


def answer_next_dialog(qtbot: QtBot, answer: Callable[[QWidget], None]) -> None:
    """When the next modal dialog is up, `answer` it with keys (it blocks the test)."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        answer(dialog)

    QTimer.singleShot(0, look)


def focused_in(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))
