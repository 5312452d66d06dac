"""Every menu command and key of the review window, declared once and keyed by an enum.

Single letters are window shortcuts: a read-only pane or the unit list lets them through,
while the note field keeps them for typing.
"""

from __future__ import annotations

from enum import Enum, auto

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.ui.actions import ActionSpec


class ReviewAction(Enum):
    NEXT = auto()
    PREVIOUS = auto()
    ACCEPT = auto()
    REJECT = auto()
    EDIT = auto()
    REOPEN = auto()
    CANCEL_EDIT = auto()
    NOTE = auto()
    ACCEPT_AGREED = auto()
    VERSION_1 = auto()
    VERSION_2 = auto()
    VERSION_3 = auto()
    VERSION_4 = auto()
    UNDO = auto()
    REDO = auto()
    END_SHORTER = auto()
    END_LONGER = auto()
    START_EARLIER = auto()
    START_LATER = auto()
    END_WORD_SHORTER = auto()
    END_WORD_LONGER = auto()
    START_WORD_EARLIER = auto()
    START_WORD_LATER = auto()
    NEXT_DOCUMENT = auto()
    PREVIOUS_DOCUMENT = auto()
    FOCUS_LIST = auto()
    TOGGLE_GOLD = auto()
    REFRESH = auto()
    CLOSE = auto()


VERSIONS = (
    ReviewAction.VERSION_1,
    ReviewAction.VERSION_2,
    ReviewAction.VERSION_3,
    ReviewAction.VERSION_4,
)
# action -> (edge, direction, by word): the keys of the workspace's span resizing
RESIZE = {
    ReviewAction.END_SHORTER: ("end", -1, False),
    ReviewAction.END_LONGER: ("end", 1, False),
    ReviewAction.START_EARLIER: ("start", -1, False),
    ReviewAction.START_LATER: ("start", 1, False),
    ReviewAction.END_WORD_SHORTER: ("end", -1, True),
    ReviewAction.END_WORD_LONGER: ("end", 1, True),
    ReviewAction.START_WORD_EARLIER: ("start", -1, True),
    ReviewAction.START_WORD_LATER: ("start", 1, True),
}

_DECIDE, _EDIT, _GO, _VIEW = "&Decide", "&Edit", "&Go", "&View"
REVIEW_SPECS: dict[ReviewAction, ActionSpec] = {
    ReviewAction.ACCEPT: ActionSpec(_DECIDE, "&Accept into gold", ("A",)),
    ReviewAction.REJECT: ActionSpec(_DECIDE, "&Reject", ("R",)),
    ReviewAction.EDIT: ActionSpec(_DECIDE, "&Edit, then accept…", ("E",)),
    ReviewAction.CANCEL_EDIT: ActionSpec(_DECIDE, "&Cancel the edit", ("Esc",)),
    ReviewAction.REOPEN: ActionSpec(_DECIDE, "Re&open (out of gold)", ("Del", "U")),
    ReviewAction.NOTE: ActionSpec(_DECIDE, "Write a &note", ("M",)),
    ReviewAction.ACCEPT_AGREED: ActionSpec(
        _DECIDE, "Accept everything all &agree on", ("Ctrl+Shift+A",)
    ),
    ReviewAction.VERSION_1: ActionSpec(_DECIDE, "Pick version &1", ("1",)),
    ReviewAction.VERSION_2: ActionSpec(_DECIDE, "Pick version &2", ("2",)),
    ReviewAction.VERSION_3: ActionSpec(_DECIDE, "Pick version &3", ("3",)),
    ReviewAction.VERSION_4: ActionSpec(_DECIDE, "Pick version &4", ("4",)),
    ReviewAction.UNDO: ActionSpec(_EDIT, "&Undo", ("Ctrl+Z",)),
    ReviewAction.REDO: ActionSpec(_EDIT, "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ReviewAction.END_SHORTER: ActionSpec(_EDIT, "End one character earlier", ("[",)),
    ReviewAction.END_LONGER: ActionSpec(_EDIT, "End one character later", ("]",)),
    ReviewAction.START_EARLIER: ActionSpec(_EDIT, "Start one character earlier", ("{",)),
    ReviewAction.START_LATER: ActionSpec(_EDIT, "Start one character later", ("}",)),
    ReviewAction.END_WORD_SHORTER: ActionSpec(_EDIT, "End one word earlier", ("Ctrl+[",)),
    ReviewAction.END_WORD_LONGER: ActionSpec(_EDIT, "End one word later", ("Ctrl+]",)),
    ReviewAction.START_WORD_EARLIER: ActionSpec(_EDIT, "Start one word earlier", ("Ctrl+{",)),
    ReviewAction.START_WORD_LATER: ActionSpec(_EDIT, "Start one word later", ("Ctrl+}",)),
    ReviewAction.NEXT: ActionSpec(_GO, "&Next open disagreement", ("N", "J")),
    ReviewAction.PREVIOUS: ActionSpec(_GO, "&Previous open disagreement", ("Shift+N", "K")),
    ReviewAction.NEXT_DOCUMENT: ActionSpec(_GO, "Next &document", ("Alt+Right",)),
    ReviewAction.PREVIOUS_DOCUMENT: ActionSpec(_GO, "Previous d&ocument", ("Alt+Left",)),
    ReviewAction.FOCUS_LIST: ActionSpec(_GO, "The &list of units", ("L",)),
    ReviewAction.TOGGLE_GOLD: ActionSpec(_VIEW, "Show the &gold pane", ("G",)),
    ReviewAction.REFRESH: ActionSpec(_VIEW, "&Read the documents again", ("F5",)),
    ReviewAction.CLOSE: ActionSpec(_VIEW, "&Close the review", ("Ctrl+W",)),
}


def build_review_actions(parent: QWidget) -> dict[ReviewAction, QAction]:
    """One QAction per spec, with its keys and a tooltip that names them."""
    actions: dict[ReviewAction, QAction] = {}
    for action_id, spec in REVIEW_SPECS.items():
        action = QAction(spec.text, parent)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setToolTip(f"{spec.text.replace('&', '').rstrip('…')} ({', '.join(spec.keys)})")
        actions[action_id] = action
    actions[ReviewAction.TOGGLE_GOLD].setCheckable(True)
    actions[ReviewAction.TOGGLE_GOLD].setChecked(True)
    return actions
