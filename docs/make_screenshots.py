"""Render the README's screenshots from the demo project with a few annotations.

Run: python docs/make_screenshots.py  (writes docs/screenshots/*.png). It starts the real
window on virtual screens of 1280x720, 1920x1080 and 1024x768 (Xvfb with openbox, keys by
xdotool, pictures by ImageMagick's import), light and dark, and the review window.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from shutil import which

from sqlalchemy import select

from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.commands import AddSpan, AddStance, UndoStack
from annotator.io.demo import load_demo
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


def second_layer(path: str) -> None:
    """ben's layer of the same document and both marked done; rita reviews."""
    database = open_database(path)
    with database.sessions.begin() as session:
        ben = annotator_named(session, "ben")
        annotator_named(session, "rita", role="reviewer")
        ana = annotator_named(session, "ana")
        document = session.scalars(
            select(Document).where(Document.external_id == "troops-meridian")
        ).one()
        actors = {a.name: a.id for a in session.scalars(select(Actor))}
    store = LayerStore(database.sessions, document.id, ben.id)
    stack = UndoStack(store.load())
    for words, label, actor in (
        ("Kremlin", "ACTOR", "Kremlin"),
        ("European soldiers", "ISSUE", None),
        ("Peskov", "ACTOR", "Dmitry Peskov"),
    ):
        start = document.text.index(words)
        value = SpanValue(
            uuid.uuid4(), start, start + len(words), label, actors.get(actor) if actor else None
        )
        stack.push(AddSpan(value))
    store.set_status("done")
    LayerStore(database.sessions, document.id, ana.id).set_status("done")
    # ana's spans in the article beside, so both panes show labels.
    with database.sessions() as session:
        ledger = session.scalars(
            select(Document).where(Document.external_id == "troops-ledger")
        ).one()
    beside = UndoStack(LayerStore(database.sessions, ledger.id, ana.id).load())
    for words, label, actor in (
        ("Russia’s Foreign Ministry", "ACTOR", "Russian Foreign Ministry"),
        ("London", "ACTOR", "United Kingdom"),
        ("foreign troops", "ISSUE", None),
        ("Lithuania", "ACTOR", "Lithuania"),
    ):
        if words in ledger.text:
            start = ledger.text.index(words)
            linked = actors.get(actor) if actor else None
            beside.push(AddSpan(SpanValue(uuid.uuid4(), start, start + len(words), label, linked)))
    database.close()


# (file, screen size, theme, who, open the review window)
SHOTS = (
    ("workspace-1280x720-light.png", "1280x720", "light", "ana", False),
    ("workspace-1280x720-dark.png", "1280x720", "dark", "ana", False),
    ("workspace-1920x1080-light.png", "1920x1080", "light", "ana", False),
    ("workspace-1920x1080-dark.png", "1920x1080", "dark", "ana", False),
    ("workspace-1024x768-light.png", "1024x768", "light", "ana", False),
    ("review-1280x720.png", "1280x720", "light", "rita", True),
)


def shoot(
    path: str, folder: Path, name: str, size: str, theme: str, who: str, review: bool
) -> None:
    """The real window on a virtual screen of `size`, under a window manager, as a person
    sees it (F7 pressed with xdotool for the review window)."""
    display = ":77"
    config = folder / f"config-{name}"
    (config / "annotator").mkdir(parents=True)
    (config / "annotator" / "settings.toml").write_text(
        f'format = 1\nannotator = "{who}"\ntheme = "{theme}"\nlabels_on_text = true\n'
    )
    environment = {**os.environ, "DISPLAY": display, "XDG_CONFIG_HOME": str(config)}
    environment.pop("QT_QPA_PLATFORM", None)
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size}x24"])
    time.sleep(1)
    manager = subprocess.Popen(["openbox"], env=environment)
    time.sleep(1)
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "annotator",
            "gui",
            "--db",
            path,
            "--document",
            "troops-meridian",
            "--compare",
            "troops-ledger",
        ],
        env=environment,
    )
    try:
        time.sleep(5)
        if review:
            subprocess.run(["xdotool", "key", "F7"], env=environment, check=True)
            time.sleep(3)
        subprocess.run(["import", "-window", "root", str(OUT / name)], env=environment, check=True)
        print(f"wrote {OUT / name}")
    finally:
        for process in (app, manager, server):
            process.terminate()
            process.wait(10)


def run() -> int:
    missing = [tool for tool in ("Xvfb", "openbox", "xdotool", "import") if not which(tool)]
    if missing:
        print(
            f"make_screenshots: needs {', '.join(missing)} "
            "(apt install xvfb openbox xdotool imagemagick)"
        )
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = str(folder / "demo.sqlite")
        annotate(path)
        second_layer(path)
        for shot in SHOTS:
            shoot(path, folder, *shot)
    return 0


if __name__ == "__main__":
    sys.exit(run())
