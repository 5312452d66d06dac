"""Every menu command and key of the main window, declared once and keyed by an enum.

The window builds `QAction`s from this table and connects them by id; menus and help read
the same table, so a key is never defined in two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


class ActionId(Enum):
    IMPORT_FILES = auto()
    IMPORT_FOLDER = auto()
    EXPORT = auto()
    IMPORT_BUNDLES = auto()
    EXPORT_BUNDLE = auto()
    LOAD_DEMO = auto()
    SWITCH_ANNOTATOR = auto()
    ANNOTATORS = auto()
    QUIT = auto()
    UNDO = auto()
    REDO = auto()
    DELETE_SPAN = auto()
    NEW_STANCE = auto()
    LINK_ACTOR = auto()
    SUGGEST_ACTORS = auto()
    ACCEPT_SUGGESTION = auto()
    REJECT_SUGGESTION = auto()
    ACCEPT_ALL_SUGGESTIONS = auto()
    REJECT_ALL_SUGGESTIONS = auto()
    ACTOR_REGISTRY = auto()
    NEXT_DOCUMENT = auto()
    PREVIOUS_DOCUMENT = auto()
    NEXT_PARTNER = auto()
    CLOSE_PARTNER = auto()
    OTHER_PANE = auto()
    MARK_DONE = auto()
    MARK_SKIPPED = auto()
    MARK_IN_PROGRESS = auto()
    SHOW_DOCUMENT_LIST = auto()
    SHOW_SIDE_PANEL = auto()
    LABELS_ON_TEXT = auto()
    THEME_SYSTEM = auto()
    THEME_LIGHT = auto()
    THEME_DARK = auto()
    REVIEW = auto()
    AGREEMENT = auto()
    SHOW_GUIDELINES = auto()
    OPEN_LOG_FOLDER = auto()
    ABOUT = auto()


@dataclass(frozen=True)
class ActionSpec:
    menu: str
    text: str
    keys: tuple[str, ...] = ()
    tip: str = ""
    checkable: bool = False


SPECS: dict[ActionId, ActionSpec] = {
    ActionId.IMPORT_FILES: ActionSpec("&File", "&Import files…", ("Ctrl+I",)),
    ActionId.IMPORT_FOLDER: ActionSpec("&File", "Import a &folder…"),
    ActionId.EXPORT: ActionSpec("&File", "&Export dataset…", ("Ctrl+E",)),
    ActionId.IMPORT_BUNDLES: ActionSpec("&File", "Import annotators' &bundles…"),
    ActionId.EXPORT_BUNDLE: ActionSpec("&File", "Export my work as a b&undle…"),
    ActionId.LOAD_DEMO: ActionSpec("&File", "Load the &demo project"),
    ActionId.SWITCH_ANNOTATOR: ActionSpec("&File", "&Switch annotator…"),
    ActionId.ANNOTATORS: ActionSpec("&File", "A&nnotators and reviewers…"),
    ActionId.QUIT: ActionSpec("&File", "&Quit", ("Ctrl+Q",)),
    ActionId.UNDO: ActionSpec("&Edit", "&Undo", ("Ctrl+Z",)),
    ActionId.REDO: ActionSpec("&Edit", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionId.DELETE_SPAN: ActionSpec("&Edit", "&Delete span", (), "Del in the document"),
    ActionId.NEW_STANCE: ActionSpec("&Edit", "New &stance…", ("Ctrl+T",)),
    ActionId.LINK_ACTOR: ActionSpec("&Edit", "&Link the span to an actor…", ("Ctrl+L",)),
    ActionId.SUGGEST_ACTORS: ActionSpec("&Edit", "Suggest &actor mentions", ("Ctrl+G",)),
    ActionId.ACCEPT_SUGGESTION: ActionSpec("&Edit", "Accept suggestion", ("Ctrl+Shift+A",)),
    ActionId.REJECT_SUGGESTION: ActionSpec("&Edit", "Reject suggestion", ("Ctrl+Shift+R",)),
    ActionId.ACCEPT_ALL_SUGGESTIONS: ActionSpec("&Edit", "Accept all suggestions"),
    ActionId.REJECT_ALL_SUGGESTIONS: ActionSpec("&Edit", "Reject all suggestions"),
    ActionId.ACTOR_REGISTRY: ActionSpec("&Edit", "Actor &registry…", ("Ctrl+R",)),
    ActionId.NEXT_DOCUMENT: ActionSpec("&Document", "&Next document", ("Alt+Right",)),
    ActionId.PREVIOUS_DOCUMENT: ActionSpec("&Document", "&Previous document", ("Alt+Left",)),
    # As the next tab in a browser: Ctrl+Shift+arrows select words in the text, and window
    # managers take Alt+Shift+arrows (openbox sends the window to another desktop).
    ActionId.NEXT_PARTNER: ActionSpec(
        "&Document", "Show the next article of this &story", ("Ctrl+PgDown",)
    ),
    ActionId.CLOSE_PARTNER: ActionSpec("&Document", "Show &one document", ("Ctrl+PgUp",)),
    ActionId.OTHER_PANE: ActionSpec("&Document", "Work in the other &pane", ("F6",)),
    ActionId.MARK_DONE: ActionSpec("&Document", "Mark &done", ("Ctrl+D",)),
    ActionId.MARK_SKIPPED: ActionSpec("&Document", "Mark s&kipped", ("Ctrl+K",)),
    ActionId.MARK_IN_PROGRESS: ActionSpec("&Document", "Mark &in progress"),
    ActionId.SHOW_DOCUMENT_LIST: ActionSpec("&View", "Document &list", ("F9",), checkable=True),
    ActionId.SHOW_SIDE_PANEL: ActionSpec("&View", "&Side panel", ("Shift+F9",), checkable=True),
    ActionId.LABELS_ON_TEXT: ActionSpec(
        "&View", "Label &names on the text", ("Ctrl+Shift+N",), checkable=True
    ),
    ActionId.THEME_SYSTEM: ActionSpec("&View", "Theme: s&ystem", checkable=True),
    ActionId.THEME_LIGHT: ActionSpec("&View", "Theme: l&ight", checkable=True),
    ActionId.THEME_DARK: ActionSpec("&View", "Theme: &dark", checkable=True),
    ActionId.REVIEW: ActionSpec("&Review", "&Review and adjudicate…", ("F7",)),
    ActionId.AGREEMENT: ActionSpec("&Review", "&Agreement report…", ("F8",)),
    ActionId.SHOW_GUIDELINES: ActionSpec("&Help", "Annotation &guidelines", ("F1",)),
    ActionId.OPEN_LOG_FOLDER: ActionSpec("&Help", "Open &log folder"),
    ActionId.ABOUT: ActionSpec("&Help", "&About Annotator"),
}


def build_actions(parent: QWidget) -> dict[ActionId, QAction]:
    actions: dict[ActionId, QAction] = {}
    for action_id, spec in SPECS.items():
        action = QAction(spec.text, parent)
        action.setCheckable(spec.checkable)
        if spec.keys:
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
        tip = spec.tip or ", ".join(spec.keys)
        if tip:
            action.setToolTip(f"{spec.text.replace('&', '').rstrip('…')} ({tip})")
        actions[action_id] = action
    return actions
