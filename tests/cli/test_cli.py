"""The command line: demo, docs, schema, and one-line errors with exit status 1."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import __version__
from annotator.cli import main
from annotator.core.resources import resource
from annotator.store.database import head_revision


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_demo_then_docs_json_lists_the_demo_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.sqlite")
    status, out, _ = run(capsys, "demo", "--db", db)
    assert status == 0 and "8 documents added" in out
    status, out, _ = run(capsys, "docs", "--db", db, "--json")
    assert status == 0
    docs = json.loads(out)
    assert len(docs) == 8
    assert {doc["status"] for doc in docs} == {"todo"}
    stories: dict[str, set[str]] = {}
    for doc in docs:
        assert set(doc) == {
            "id",
            "external_id",
            "title",
            "source",
            "published",
            "story",
            "length",
            "status",
        }
        stories.setdefault(doc["story"], set()).add(doc["source"])
    assert len(stories) == 3
    assert all(len(sources) >= 2 for sources in stories.values())  # side-by-side pairs exist
    raw = sqlite3.connect(tmp_path / "x.sqlite")
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    raw.close()


def test_docs_text_includes_the_stored_text_and_demo_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.sqlite")
    run(capsys, "demo", "--db", db)
    status, out, _ = run(capsys, "demo", "--db", db)
    assert status == 0 and "0 documents added, 8 already there" in out
    _, out, _ = run(capsys, "--db", db, "docs", "--json", "--text")  # --db before the command
    docs = json.loads(out)
    assert all(doc["length"] == len(doc["text"]) > 500 for doc in docs)
    _, plain, _ = run(capsys, "docs", "--db", db)
    assert len(plain.splitlines()) == 8 and docs[0]["title"] in plain


def test_the_environment_variable_selects_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.sqlite"))
    assert run(capsys, "demo")[0] == 0
    assert (tmp_path / "env.sqlite").exists()


def one_line_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status, out, err = run(capsys, *argv)
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_bad_input_gives_one_line_and_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "schema.toml"
    schema.write_text('format = 1\nname = "x"\nversion = "1"\nactor_type = ["person"]\n')
    message = one_line_error(
        capsys, "demo", "--db", str(tmp_path / "x.sqlite"), "--schema", str(schema)
    )
    assert message == (
        f"annotator: {schema}:4: actor_type: unknown key 'actor_type' "
        "(did you mean 'actor_types'?); known keys: format, name, version, "
        "labels, actor_types, polarities, issues, document_labels"
    )
    assert not (tmp_path / "x.sqlite").exists()  # the schema is checked before the database

    missing = tmp_path / "missing" / "x.sqlite"
    assert "folder" in one_line_error(capsys, "demo", "--db", str(missing))
    assert not missing.parent.exists()

    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"\x00garbage" * 100)
    assert "not an Annotator database" in one_line_error(capsys, "docs", "--db", str(corrupt))
    assert corrupt.read_bytes() == b"\x00garbage" * 100

    read_only = tmp_path / "ro.sqlite"
    assert run(capsys, "demo", "--db", str(read_only))[0] == 0
    before = read_only.read_bytes()
    read_only.chmod(0o444)
    assert "read-only" in one_line_error(capsys, "demo", "--db", str(read_only))
    read_only.chmod(0o644)
    assert read_only.read_bytes() == before

    assert "unrecognized arguments: --bogus" in one_line_error(capsys, "docs", "--bogus")
    assert "invalid choice" in one_line_error(capsys, "frobnicate")
    assert "no such database" in one_line_error(
        capsys, "docs", "--db", str(tmp_path / "none.sqlite")
    )


def test_docs_for_an_unknown_annotator_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.sqlite")
    run(capsys, "demo", "--db", db)
    assert "no annotator named 'zoe'" in one_line_error(
        capsys, "docs", "--db", db, "--annotator", "zoe"
    )


def test_schema_check_and_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = resource("schema.toml")
    changed = tmp_path / "mine.toml"
    changed.write_text(source.read_text("utf-8").replace('version = "1.0"', 'version = "1.1"'))
    status, out, _ = run(capsys, "schema", "check", str(changed))
    assert status == 0 and "4 labels, 13 issues" in out
    db = str(tmp_path / "x.sqlite")
    run(capsys, "demo", "--db", db)
    status, out, _ = run(capsys, "schema", "load", str(changed), "--db", db)
    assert status == 0 and "'News stances' 1.1" in out
    raw = sqlite3.connect(tmp_path / "x.sqlite")
    versions = raw.execute("SELECT version FROM label_schemas ORDER BY loaded_at").fetchall()
    assert versions == [("1.0",), ("1.1",)]
    raw.close()


def test_the_real_process_prints_no_traceback_and_never_imports_qt(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    probe = (
        "import sys; from annotator.cli import main; status = main(sys.argv[1:]); "
        "assert 'PySide6' not in sys.modules, 'the CLI imported Qt'; sys.exit(status)"
    )
    ok = subprocess.run(
        [sys.executable, "-c", probe, "demo", "--db", db],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    version = subprocess.run(
        [sys.executable, "-m", "annotator", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert version.stdout.strip() == f"annotator {__version__}"
    (tmp_path / "bad.sqlite").write_text("not a database")
    bad = subprocess.run(
        [sys.executable, "-m", "annotator", "docs", "--db", str(tmp_path / "bad.sqlite")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_bundle_commands_round_trip_and_refuse_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, lead = str(tmp_path / "laptop.sqlite"), str(tmp_path / "lead.sqlite")
    run(capsys, "demo", "--db", laptop)
    from annotator.store.database import open_database
    from annotator.store.project import annotator_named

    database = open_database(laptop)
    with database.sessions.begin() as session:
        annotator_named(session, "ana")
    database.close()
    bundle = tmp_path / "ana.zip"
    status, out, _ = run(
        capsys, "bundle", "export", "--annotator", "ana", "--out", str(bundle), "--db", laptop
    )
    assert status == 0 and bundle.exists()
    assert run(capsys, "bundle", "import", str(bundle), "--db", lead)[0] == 0
    status, out, _ = run(capsys, "bundle", "import", str(bundle), "--db", lead)
    assert status == 0 and "nothing changed" in out
    assert "nope.zip" in one_line_error(
        capsys, "bundle", "import", str(tmp_path / "nope.zip"), "--db", lead
    )
