"""The main window on a real database: the demo offer, identity, screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from annotator.cli import main
from annotator.settings import Settings
from annotator.store.database import open_database
from annotator.ui.dialogs.identity import choose_annotator
from annotator.ui.main_window import MainWindow


def test_an_empty_project_offers_the_demo_and_loads_it(qtbot: QtBot, tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    chosen = choose_annotator(database, lambda known, suggestion: "ana")
    assert chosen is not None
    window = MainWindow(database, chosen)
    qtbot.addWidget(window)
    assert window.browser.current_document() is None
    assert "no documents yet" in window.workspace.left.header.text()
    assert window.offer_demo(lambda: False) is False

    asked: list[bool] = []
    assert window.offer_demo(lambda: asked.append(True) or True) is True
    assert asked == [True]
    assert window.workspace.left.document_id is not None  # the first document is open
    assert "0 of 8 documents done" in window.progress_label.text()
    assert window.offer_demo(lambda: asked.append(True) or True) is False  # never again
    assert asked == [True]
    assert window.workspace.vocabulary.actors  # the demo's registry reached the workspace
    database.close()


def test_the_annotator_is_asked_once_then_remembered(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    questions: list[list[str]] = []

    def ask(known: list[str], suggestion: str) -> str:
        questions.append(known)
        return "zoe"

    first = choose_annotator(database, ask)
    again = choose_annotator(database, ask)
    assert first == again and first is not None and first[1] == "zoe"
    assert questions == [[]]
    assert Settings.load().annotator == "zoe"
    switched = choose_annotator(database, lambda known, s: "max", switch=True)
    assert switched is not None and switched[1] == "max" and Settings.load().annotator == "max"
    database.close()


def test_gui_screenshot_of_two_documents_side_by_side(tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    assert main(["demo", "--db", db]) == 0
    png = tmp_path / "window.png"
    assert (
        main(
            [
                "gui",
                "--db",
                db,
                "--screenshot",
                str(png),
                "--document",
                "troops-meridian",
                "--compare",
                "troops-ledger",
            ]
        )
        == 0
    )
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() >= 1200 and image.height() >= 700


def test_gui_with_an_unknown_document_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.sqlite")
    assert main(["demo", "--db", db]) == 0
    capsys.readouterr()
    assert (
        main(["gui", "--db", db, "--screenshot", str(tmp_path / "x.png"), "--document", "nope"])
        == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("annotator: --document nope: no such document") and err.count("\n") == 1


def test_bundles_from_the_file_menu_report_conflicting_actors(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uuid

    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy import select

    from annotator.core.annotations import SpanValue
    from annotator.core.commands import AddSpan, UndoStack
    from annotator.io.bundles import export_bundle
    from annotator.io.demo import load_demo
    from annotator.store.annotations import LayerStore
    from annotator.store.models import Actor, Document
    from annotator.store.project import annotator_named

    laptop = open_database(str(tmp_path / "laptop.sqlite"))
    load_demo(laptop)
    with laptop.sessions.begin() as session:
        ana = annotator_named(session, "ana")
        kremlin = session.scalars(select(Actor).where(Actor.name == "Kremlin")).one()
        kremlin.type = "person"  # the lead's registry says organisation: a conflict
        document = session.scalars(select(Document)).first()
        assert document is not None
        ids = (document.id, ana.id, kremlin.id)
    stack = UndoStack(LayerStore(laptop.sessions, ids[0], ids[1]).load())
    stack.push(AddSpan(SpanValue(uuid.uuid4(), 0, 5, "ACTOR", actor_id=ids[2])))
    bundle = tmp_path / "ana.zip"
    export_bundle(laptop, annotator="ana", out=bundle)
    laptop.close()

    lead = open_database(str(tmp_path / "lead.sqlite"))
    load_demo(lead)
    chosen = choose_annotator(lead, lambda known, suggestion: "lead")
    assert chosen is not None
    window = MainWindow(lead, chosen)
    qtbot.addWidget(window)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    lines = window.import_bundles([bundle])
    assert any(line.startswith("conflict:") and "Kremlin" in line for line in lines)
    assert shown and "merge them in Edit › Actor registry" in shown[0]
    lead.close()
