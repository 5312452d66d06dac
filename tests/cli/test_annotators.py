"""`annotator annotators`: list, add with a role, set a role; mistakes are one line, status 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.store.annotators import role_of
from annotator.store.database import open_database
from tests.cli.test_cli import run


def test_a_lead_is_added_as_reviewer_and_an_annotator_promoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.sqlite")
    assert run(capsys, "demo", "--db", db)[0] == 0
    assert run(capsys, "annotators", "list", "--db", db)[1].startswith("no annotators yet")
    status, out, _ = run(capsys, "annotators", "add", "Lea Lead", "--role", "reviewer", "--db", db)
    assert status == 0 and "added Lea Lead as reviewer" in out
    assert run(capsys, "annotators", "add", "ana", "--db", db)[0] == 0
    status, out, _ = run(capsys, "annotators", "set-role", "ana", "reviewer", "--db", db)
    assert status == 0 and out.startswith("ana is now reviewer")
    status, out, _ = run(capsys, "annotators", "set-role", "ana", "reviewer", "--db", db)
    assert out.startswith("ana was already reviewer")
    status, out, _ = run(capsys, "annotators", "list", "--json", "--db", db)
    assert json.loads(out) == [
        {"name": "Lea Lead", "role": "reviewer", "spans": 0},
        {"name": "ana", "role": "reviewer", "spans": 0},
    ]
    database = open_database(db)
    with database.sessions() as session:
        assert role_of(session, "ana") == "reviewer"
    database.close()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("set-role", "nobody", "reviewer"), "no annotator named 'nobody' (annotators: ana)"),
        (("set-role", "ana", "boss"), "invalid choice: 'boss'"),
        (("add", "ana"), "there is an annotator named 'ana' already"),
        (("add", "  "), "an annotator needs a name"),
        ((), "the following arguments are required: ACTION"),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    db = str(tmp_path / "p.sqlite")
    assert run(capsys, "annotators", "add", "ana", "--db", db)[0] == 0
    status, _out, err = run(capsys, "annotators", *argv, "--db", db)
    assert status == 1 and message in err and len(err.strip().splitlines()) == 1
    assert json.loads(run(capsys, "annotators", "list", "--json", "--db", db)[1]) == [
        {"name": "ana", "role": "annotator", "spans": 0}
    ]


def test_listing_a_missing_project_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "annotators", "list", "--db", str(tmp_path / "none.sqlite"))
    assert status == 1 and "no such database" in err
    assert not (tmp_path / "none.sqlite").exists()
