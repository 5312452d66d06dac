"""The window a journey starts with, and what is stored, read afresh from the project."""

from __future__ import annotations

import uuid

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.core.annotations import AnnotationLayer
from annotator.store.annotations import LayerStore
from annotator.store.database import Database
from annotator.store.models import Document
from annotator.store.project import annotator_named
from annotator.ui.dialogs.identity import ask_name
from annotator.ui.main_window import MainWindow


def start(qtbot: QtBot, database: Database, name: str = "ana") -> MainWindow:
    """The window as `annotator gui` opens it for `name` (the name question is real)."""
    with database.sessions.begin() as session:
        annotator = annotator_named(session, name)
        chosen = (annotator.id, annotator.name)
    window = MainWindow(database, chosen, ask=ask_name(None))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def document_id(database: Database, external_id: str) -> uuid.UUID:
    with database.sessions() as session:
        return session.scalars(select(Document.id).where(Document.external_id == external_id)).one()


def annotator_id(database: Database, name: str) -> uuid.UUID:
    with database.sessions.begin() as session:
        return annotator_named(session, name).id


def stored_layer(database: Database, external_id: str, name: str) -> AnnotationLayer:
    """The layer as stored now, read afresh (not what the window holds)."""
    return LayerStore(
        database.sessions, document_id(database, external_id), annotator_id(database, name)
    ).load()


def text_of(database: Database, external_id: str) -> str:
    with database.sessions() as session:
        return session.scalars(
            select(Document.text).where(Document.external_id == external_id)
        ).one()
