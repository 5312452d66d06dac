"""Who is annotating on this laptop: asked at first start, switchable, kept in settings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QWidget

from annotator.settings import Settings

# The store (and SQLAlchemy) load after the first window is painted: see store.first_look.
if TYPE_CHECKING:
    from annotator.store.database import Database

Ask = Callable[[list[str], str], str | None]  # known names, suggestion -> chosen name


def ask_name(parent: QWidget | None) -> Ask:
    def ask(known: list[str], suggestion: str) -> str | None:
        name, ok = QInputDialog.getItem(
            parent,
            "Who is annotating?",
            "Your name as an annotator (your work is kept apart from other annotators'):",
            known or [suggestion],
            max(known.index(suggestion), 0) if suggestion in known else 0,
            True,
        )
        return name.strip() if ok and name.strip() else None

    return ask


def choose_annotator(
    database: Database,
    ask: Ask,
    *,
    switch: bool = False,
    settings: Settings | None = None,
    remember: bool = True,
) -> tuple[uuid.UUID, str] | None:
    """The annotator to work as: from settings, or asked (and then remembered, unless
    `remember` is False: a stand-in name for one session, asked for again next time)."""
    from annotator.store.project import annotator_choices, annotator_named

    settings = settings or Settings.load()
    with database.sessions() as session:
        known = [name for _, name in annotator_choices(session)]
    name = settings.annotator
    if switch or not name:
        name = ask(known, name or (known[0] if known else ""))
        if name is None:
            return None
        if remember:
            settings.annotator = name
            settings.save()
    with database.sessions.begin() as session:
        annotator = annotator_named(session, name)
        return annotator.id, annotator.name
