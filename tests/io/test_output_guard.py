"""No output of any command can destroy the project: the findings of the fault campaign.

Each case runs the command line as a person would and checks exit status 1, a one-line
message naming the output, and the project file (and the folder around it) unchanged.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.io.demo import load_demo
from annotator.store.database import open_database
from tests.store.test_database import migrate_to


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "p.sqlite"
    database = open_database(str(path))
    load_demo(database)
    database.close()
    (folder / "notes.txt").write_text("the user's own notes\n", encoding="utf-8")
    return path


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith(("-wal", "-shm"))
    }


def annotator(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True, text=True, check=False, cwd=cwd, env=env,
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--out", "sub/../p.sqlite"],  # the path as typed differs
        ["export", "--out", "p.sqlite-wal"],
        ["export", "--out", "link.sqlite"],  # a symlink to the project
        ["export", "--out", "hard.sqlite"],  # a hard link to the project
        ["export", "--format", "brat", "--out", "."],  # the folder holding the project
        ["export", "--format", "brat", "--out", "../work"],
        ["bundle", "export", "--annotator", "imported", "--out", "p.sqlite"],
        ["agreement", "--html", "p.sqlite"],
        ["gui", "--screenshot", "p.sqlite"],
        ["export", "--out", "p.backup-20260101-000000-rev0006.sqlite"],
    ],
    ids=lambda command: " ".join(command),
)
def test_no_output_overwrites_the_project(project: Path, command: list[str]) -> None:
    folder = project.parent
    (folder / "sub").mkdir()
    (folder / "link.sqlite").symlink_to(project)
    os.link(project, folder / "hard.sqlite")
    (folder / "p.backup-20260101-000000-rev0006.sqlite").write_bytes(project.read_bytes())
    before = digest(folder)
    done = annotator(*command, "--db", str(project), cwd=folder)
    assert done.returncode == 1, (done.stdout, done.stderr)
    message = done.stderr.strip()
    assert message.startswith("annotator: ") and "\n" not in message, message
    assert "project database" in message and "internal error" not in message
    assert digest(folder) == before
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".") and "part" in p.name]


def test_brat_never_replaces_a_folder_of_other_files(project: Path) -> None:
    folder = project.parent / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"months of work")
    done = annotator(
        "export", "--format", "brat", "--out", str(folder), "--db", str(project), cwd=project.parent
    )
    assert done.returncode == 1
    assert "holds other files (such as thesis.docx)" in done.stderr
    assert (folder / "thesis.docx").read_bytes() == b"months of work"


def test_a_rejected_import_creates_upgrades_and_backs_up_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    new = tmp_path / "new.sqlite"
    done = annotator("import", str(bad), "--db", str(new), cwd=tmp_path)
    assert done.returncode == 1 and "bad.jsonl:2" in done.stderr
    assert not new.exists()  # no empty project was made for nothing
    old = tmp_path / "old.sqlite"
    migrate_to(f"sqlite:///{old}", "0006")
    before = sorted(p.name for p in tmp_path.iterdir())
    done = annotator("import", str(bad), "--db", str(old), cwd=tmp_path)
    assert done.returncode == 1 and "nothing was imported" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no backup either
    connection = sqlite3.connect(old)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0006",)
    connection.close()
