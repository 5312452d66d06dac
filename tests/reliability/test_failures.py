"""Known failures are one line and exit 1, not an internal error: a busy, damaged or unknown
database, a file name that is not text. Nothing stored is changed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.cli import main
from tests.reliability.test_bad_inputs import digest


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(list(argv))
    return status, capsys.readouterr().err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    return path


def test_a_url_of_no_known_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run(capsys, "docs", "--db", "foo://")
    assert status == 1
    assert err == (
        "annotator: foo://: not a database Annotator can open (use a file path, or a "
        "sqlite:// or postgresql+psycopg:// URL)\n"
    )


def test_a_damaged_database_is_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(project.read_bytes())
    data[4096:12288] = b"\xa5" * 8192  # pages of the tables overwritten
    project.write_bytes(bytes(data))
    source = tmp_path / "a.txt"
    source.write_text("Kyiv and Moscow talked again.")
    status, err = run(capsys, "import", str(source), "--db", str(project))
    assert status == 1 and len(err.splitlines()) == 1, err
    assert "internal error" not in err and str(project) in err


def test_another_writer_holding_the_lock_is_named_after_a_bounded_wait(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(project)
    holding = (
        "import sqlite3, sys, time\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\n"  # another program in the middle of a write
        "print('holding', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", holding, str(project)], stdout=subprocess.PIPE, text=True
    )
    source = tmp_path / "a.txt"
    source.write_text("Kyiv and Moscow talked again.")
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        started = time.monotonic()
        status, err = run(capsys, "import", str(source), "--db", str(project))
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert status == 1 and "another program" in err and "is writing to this project" in err
    if sys.platform.startswith("linux"):  # /proc/locks names the holder
        assert f"process {holder.pid} ({sys.executable} -c import sqlite3" in err, err
    assert len(err.splitlines()) == 1 and 9 < waited < 30
    assert digest(project) == before


def test_a_file_name_in_a_foreign_encoding_is_named_and_imported(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # Latin-1 bytes on a UTF-8 system: a lone surrogate
    missing = str(tmp_path / name)
    status, err = run(capsys, "import", missing, "--db", str(project))
    assert status == 1 and "caf\\udce9.txt: no such file or folder" in err
    (tmp_path / name).write_text("Kyiv and Moscow talked again.")
    status, err = run(capsys, "import", missing, "--db", str(project))
    assert status == 0, err
    status, err = run(
        capsys,
        "export",
        "--format",
        "jsonl",
        "--all",
        "--out",
        str(tmp_path / "all.jsonl"),
        "--db",
        str(project),
    )
    assert status == 0, err


def test_concurrent_writers_queue_instead_of_failing(project: Path, tmp_path: Path) -> None:
    """Four `annotator import` at once on one project file: every one is stored."""
    import subprocess

    commands = []
    for n in range(4):
        source = tmp_path / f"article-{n}.txt"
        source.write_text(f"Report {n}: Kyiv and Moscow talked again about a ceasefire.")
        commands.append(
            [sys.executable, "-m", "annotator", "import", str(source), "--db", str(project)]
        )
    running = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands
    ]
    results = [(p.wait(120), p.stderr.read().decode()) for p in running]  # type: ignore[union-attr]
    assert all(status == 0 for status, _ in results), results
    connection = sqlite3.connect(project)
    try:
        assert connection.execute("SELECT count(*) FROM documents").fetchone() == (12,)
    finally:
        connection.close()


def test_one_id_for_two_texts_is_refused_in_a_file_and_against_the_project(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twice = tmp_path / "twice.jsonl"
    twice.write_text('{"id": "x1", "text": "one text"}\n{"id": "x1", "text": "another text"}\n')
    before = digest(project)
    status, err = run(capsys, "import", str(twice), "--db", str(project))
    assert status == 1
    assert err == (
        f"annotator: {twice}:2: 'id' 'x1' is used again for another text (first at "
        f"{twice}:1); nothing was imported\n"
    )
    assert digest(project) == before  # the digest taken above was meant for this
    first = tmp_path / "first.jsonl"
    first.write_text('{"id": "x2", "text": "the first text"}\n')
    assert run(capsys, "import", str(first), "--db", str(project))[0] == 0
    before = digest(project)
    again = tmp_path / "again.jsonl"
    again.write_text('{"id": "x2", "text": "a second, different text"}\n')
    status, err = run(capsys, "import", str(again), "--db", str(project))
    assert status == 1 and err.startswith(f"annotator: {again}:1: 'id' 'x2' is already the id")
    assert digest(project) == before
    # The same text with the same id again is no conflict: it is the document already there.
    assert run(capsys, "import", str(first), "--db", str(project))[0] == 0


def test_a_csv_error_names_the_line_of_the_faulty_row(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "rows.csv"
    source.write_text('text,title\n"a good row",t\n"a broken "row,t\nfine,t\n')
    status, err = run(capsys, "import", str(source), "--db", str(project))
    assert status == 1 and err.startswith(f"annotator: {source}:3: not valid CSV")


def test_the_html_extractor_says_nothing_on_the_terminal(project: Path, tmp_path: Path) -> None:
    import subprocess

    page = tmp_path / "page.html"
    page.write_text("<html><body>\x01\x02<div></div><p></p></body></html>")
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(page), "--db", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"annotator: {page}: no article text found in this HTML page; nothing was imported\n"
    )


def test_a_demo_onto_a_full_disk_leaves_no_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import annotator.io.demo

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(annotator.io.demo, "load_demo", full)
    project = tmp_path / "new.sqlite"
    status, err = run(capsys, "demo", "--db", str(project))
    assert status == 1 and "the disk is full" in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_failure_keeps_a_project_that_was_there(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    import annotator.io.demo

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = digest(project)
    monkeypatch.setattr(annotator.io.demo, "load_demo", full)
    assert run(capsys, "demo", "--db", str(project))[0] == 1
    assert digest(project) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("x = " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        ("x = " + "9" * 5_000 + "\n", "an integer of more than 4,300 digits"),
        ('name = "a\\u0000b"\n', "name: contains a NUL character"),
    ],
)
def test_a_hostile_toml_file_is_named_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, reason: str
) -> None:
    schema = tmp_path / "schema.toml"
    schema.write_text(content)
    status, err = run(capsys, "schema", "check", str(schema))
    assert status == 1 and err.startswith(f"annotator: {schema}: not valid TOML: {reason}")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX arguments are bytes")
def test_an_option_that_is_not_text_is_refused_before_anything_is_stored(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Kyiv and Moscow talked again.")
    before = digest(project)
    story = os.fsdecode(b"st\xff")
    status, err = run(capsys, "import", str(source), "--story", story, "--db", str(project))
    assert status == 1 and err.startswith("annotator: --story: contains a lone surrogate")
    assert digest(project) == before


def project_of_an_older_version(tmp_path: Path, meta: dict[str, object]) -> Path:
    """A project holding what an older version let in: a document with `meta` and a span
    of ana's (written through the store, past today's checks at the door)."""
    import uuid

    from annotator.core.annotations import SpanValue
    from annotator.core.text import normalise
    from annotator.store.annotations import LayerStore
    from annotator.store.database import open_database
    from annotator.store.documents import add_document
    from annotator.store.project import annotator_named

    project = tmp_path / "old.sqlite"
    database = open_database(str(project))
    with database.sessions.begin() as session:
        document, _ = add_document(session, normalise("Kyiv talked."), title="old", meta=meta)
        ids = (document.id, annotator_named(session, "ana").id)
    LayerStore(database.sessions, *ids).load().put_span(SpanValue(uuid.uuid4(), 0, 4, "ACTOR"))
    database.close()
    return project


def exports(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> object:
    """Export everything as JSONL and ana's bundle; returns the JSONL line's meta."""
    import json

    out = tmp_path / "all.jsonl"
    status, err = run(
        capsys, "export", "--format", "jsonl", "--all", "--out", str(out), "--db", str(project)
    )
    assert status == 0, err
    zipped = str(tmp_path / "ana.zip")
    status, err = run(
        capsys, "bundle", "export", "--annotator", "ana", "--out", zipped, "--db", str(project)
    )
    assert status == 0, err
    text = out.read_text(encoding="utf-8")
    return json.loads(text, parse_constant=lambda name: pytest.fail(name))["meta"]


def test_a_nan_stored_by_an_older_version_exports_as_null(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_of_an_older_version(tmp_path, {"score": float("nan")})
    assert exports(project, tmp_path, capsys)["score"] is None  # type: ignore[index]


def test_a_lone_surrogate_stored_by_an_older_version_exports_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_of_an_older_version(tmp_path, {"note": "half \ud83d"})
    assert exports(project, tmp_path, capsys)["note"] == "half \ud83d"  # type: ignore[index]


def test_a_refused_import_leaves_an_older_project_unupgraded_and_unbacked_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The id check needs the project, so it runs after the upgrade; the failure puts the
    file back as it was (same revision, same rows) and removes the backup it made."""
    import uuid

    from tests.store.test_database import migrate_to

    project = tmp_path / "old.sqlite"
    migrate_to(f"sqlite:///{project}", "0001")
    raw = sqlite3.connect(project)
    raw.execute(
        "INSERT INTO documents (id, external_id, title, text, raw_text, text_sha256, length, "
        "meta, created_at) VALUES (?, 'x1', 'Old', 'old text', 'old text', 'abc', 8, '{}', "
        "'2025-01-01 00:00:00')",
        (uuid.uuid4().hex,),
    )
    raw.commit()
    raw.close()
    before = digest(project)
    clash = tmp_path / "clash.jsonl"
    clash.write_text('{"id": "x1", "text": "another text altogether"}\n')
    status, err = run(capsys, "import", str(clash), "--db", str(project))
    assert status == 1 and err.startswith(f"annotator: {clash}:1: 'id' 'x1' is already the id")
    assert digest(project) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clash.jsonl", "old.sqlite"]
    version = sqlite3.connect(project).execute("SELECT version_num FROM alembic_version")
    assert version.fetchone() == ("0001",)
    # A good import afterwards upgrades it as usual, with its backup.
    fine = tmp_path / "fine.jsonl"
    fine.write_text('{"id": "x2", "text": "a new text"}\n')
    assert run(capsys, "import", str(fine), "--db", str(project))[0] == 0
    assert len(list(tmp_path.glob("old.backup-*-rev0001.sqlite"))) == 1


def test_an_upgrade_is_kept_when_another_program_wrote_after_it(tmp_path: Path) -> None:
    """Putting the file back would lose what the other program wrote: it is not done."""
    from annotator.store.database import open_database, undo_upgrade
    from tests.store.test_database import migrate_to

    project = tmp_path / "old.sqlite"
    migrate_to(f"sqlite:///{project}", "0001")
    database = open_database(str(project))
    assert database.backup is not None
    other = sqlite3.connect(project)
    other.execute(
        "INSERT INTO annotators (id, name, role, created_at) VALUES "
        "('ab', 'zoe', 'annotator', '2026-01-01')"
    )
    other.commit()
    other.close()
    assert undo_upgrade(database) is False
    names = sqlite3.connect(project).execute("SELECT name FROM annotators").fetchall()
    assert ("zoe",) in names and database.backup.exists()


def test_control_characters_from_a_file_stay_escaped_in_the_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CSV header echoed back once split the message (\\x1e) or coloured the terminal."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(b"id,ti\x1etle,\x1b[31mbody\n1,a,b\n")
    status, err = run(capsys, "import", str(sheet), "--db", str(project))
    assert status == 1 and len(err.splitlines()) == 1
    assert "ti\\x1etle" in err and "\\x1b[31mbody" in err and "\x1b" not in err
