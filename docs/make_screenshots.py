"""Render the README's screenshots from the demo project with a few annotations.

Run: python docs/make_screenshots.py  (writes docs/screenshots/*.png; needs no screen)
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import select

from annotator.cli import main
from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.commands import AddSpan, AddStance, UndoStack
from annotator.io.demo import load_demo
from annotator.settings import Settings
from annotator.store.annotations import LayerStore
from annotator.store.database import open_database
from annotator.store.models import Actor, Document, Issue
from annotator.store.project import annotator_named

OUT = Path(__file__).parent / "screenshots"


def annotate(path: str) -> None:
    database = open_database(path)
    load_demo(database)
    with database.sessions.begin() as session:
        annotator = annotator_named(session, "ana")
        document = session.scalars(
            select(Document).where(Document.external_id == "troops-meridian")
        ).one()
        actors = {a.name: a.id for a in session.scalars(select(Actor))}
        issues = {i.key: i.id for i in session.scalars(select(Issue))}
    stack = UndoStack(LayerStore(database.sessions, document.id, annotator.id).load())
    text = document.text

    def span(
        words: str, label: str, actor: str | None = None, issue: str | None = None, nth: int = 0
    ) -> SpanValue:
        start = -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        value = SpanValue(
            uuid.uuid4(),
            start,
            start + len(words),
            label,
            actors.get(actor) if actor else None,
            issues.get(issue) if issue else None,
        )
        stack.push(AddSpan(value))
        return value

    span("Kremlin", "ACTOR", "Kremlin")
    claim = span(
        "opposition to any arrangement that would put European soldiers in Ukraine",
        "CLAIM",
        issue="foreign-troops",
    )
    span("European soldiers", "ISSUE", issue="foreign-troops")
    span("Dmitry Peskov", "ACTOR", "Dmitry Peskov")
    span("Dmitry Peskov told reporters", "ATTRIBUTION")
    span("Donald Trump", "ACTOR", "Donald Trump")
    span("security guarantees", "ISSUE", issue="security-guarantees")
    stack.push(
        AddStance(
            StanceValue(
                uuid.uuid4(), actors["Kremlin"], issues["foreign-troops"], "oppose", (claim.id,)
            )
        )
    )
    database.close()


def run() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CONFIG_HOME"] = folder  # the screenshot's annotator, not yours
        Settings(annotator="ana").save()
        path = str(Path(folder) / "demo.sqlite")
        annotate(path)
        main(
            [
                "gui",
                "--db",
                path,
                "--screenshot",
                str(OUT / "main-window.png"),
                "--document",
                "troops-meridian",
                "--compare",
                "troops-ledger",
            ]
        )


if __name__ == "__main__":
    sys.exit(run())
