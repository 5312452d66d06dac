"""Bad options, unwritable paths, cancels and failures: one-line errors, nothing left behind;
and the `export` command line."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import Parser, UsageError
from annotator.cli import export as export_command
from annotator.io.export import ExportCancelled, ExportError, ExportOptions, export, reading
from annotator.io.export.jsonl import JsonlWriter
from annotator.io.export.split import parse_split
from annotator.store.database import Database
from tests.io.test_export_support import build_project, read_jsonl


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Database]:
    database = build_project(str(tmp_path / "db" / "project.sqlite"), _folder(tmp_path / "db"))
    yield database
    database.close()


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def listing(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def fails(database: Database, options: ExportOptions, out: Path, **kwargs: object) -> str:
    """The one-line message of a failing export; checks nothing new is in out's folder."""
    folder = out.parent if out.parent.is_dir() else None
    before = listing(folder) if folder else set()
    with pytest.raises(ExportError) as raised:
        export(database, options=options, out=out, **kwargs)  # type: ignore[arg-type]
    message = str(raised.value)
    assert "\n" not in message
    if folder is not None:
        assert listing(folder) == before
    return message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ExportOptions(format="xml"),
            "unknown export format 'xml'; choose one of jsonl, doccano, labelstudio, brat, "
            "conll, stances, network, xmi, webanno-tsv",
        ),
        (
            ExportOptions(annotator="alice", gold=True),
            "choose only one of --annotator, --gold and --all",
        ),
        (ExportOptions(split=(80, 10, 5)), "--split 80/10/5 adds up to 95, not 100"),
        (
            ExportOptions(format="network", split=(80, 10, 10)),
            "--split does not apply to the network export",
        ),
        (
            ExportOptions(status="finished"),
            "unknown status 'finished'; choose one of todo, in_progress, done, skipped",
        ),
    ],
)
def test_bad_options(
    project: Database, tmp_path: Path, options: ExportOptions, message: str
) -> None:
    out = _folder(tmp_path / "out") / "data.jsonl"
    assert fails(project, options, out) == message
    assert listing(out.parent) == set()


def test_an_annotator_who_does_not_exist(project: Database, tmp_path: Path) -> None:
    out = _folder(tmp_path / "out") / "data.jsonl"
    message = fails(project, ExportOptions(annotator="zoe"), out)
    assert message == f"no annotator named 'zoe' in {project.display_name}"
    assert listing(out.parent) == set()


def test_paths_that_cannot_be_written(project: Database, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "data.jsonl"
    assert fails(project, ExportOptions(), missing) == (
        f"{missing}: cannot write there, folder {missing.parent} does not exist"
    )
    assert not missing.parent.exists()
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    under_file = a_file / "data.jsonl"
    assert fails(project, ExportOptions(), under_file) == (
        f"{under_file}: cannot write there, {a_file} is not a folder"
    )
    folder = _folder(tmp_path / "existing")
    assert fails(project, ExportOptions(), folder).startswith(f"{folder}: is a folder")
    assert fails(project, ExportOptions(format="brat"), a_file) == (
        f"{a_file}: is a file; this export writes a folder"
    )
    assert fails(project, ExportOptions(format="stances"), tmp_path / "s.txt") == (
        f"{tmp_path / 's.txt'}: the stances export needs a name ending in .csv or .jsonl"
    )
    assert project.path is not None
    assert fails(project, ExportOptions(), project.path) == (
        f"{project.path}: is the project database; choose another name"
    )


def test_bad_split_text() -> None:
    assert parse_split("70/15/15") == (70, 15, 15)
    for text, message in (
        ("80/10", "--split 80/10: give three whole percentages, e.g. 80/10/10"),
        ("a/b/c", "--split a/b/c: give three whole percentages, e.g. 80/10/10"),
        ("90/20/-10", "--split 90/20/-10: give three whole percentages, e.g. 80/10/10"),
        ("50/30/30", "--split 50/30/30 adds up to 110, not 100"),
    ):
        with pytest.raises(ExportError) as raised:
            parse_split(text)
        assert str(raised.value) == message


@pytest.mark.parametrize(
    ("options", "name"),
    [
        (ExportOptions(), "data.jsonl"),
        (ExportOptions(split=(50, 25, 25)), "data.jsonl"),
        (ExportOptions(format="brat"), "corpus"),
        (ExportOptions(format="network"), "net.csv"),
    ],
)
def test_a_cancelled_export_leaves_nothing(
    project: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: ExportOptions,
    name: str,
) -> None:
    monkeypatch.setattr(reading, "DOCUMENT_PAGE", 3)  # cancel after a few pages were written
    folder = _folder(tmp_path / "out")
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 2

    with pytest.raises(ExportCancelled) as raised:
        export(project, options=options, out=folder / name, cancelled=cancelled)
    assert str(raised.value) == "export cancelled; nothing was written"
    assert asked == 3
    assert listing(folder) == set()


def test_a_failed_write_keeps_the_previous_export(
    project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _folder(tmp_path / "out") / "data.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")
    written = JsonlWriter.write

    def full_disk(self: JsonlWriter, record: object) -> None:
        if self.counts.records == 5:
            raise OSError(28, "No space left on device")
        written(self, record)  # type: ignore[arg-type]

    monkeypatch.setattr(JsonlWriter, "write", full_disk)
    message = fails(project, ExportOptions(), out)
    assert message == f"{out}: the disk is full; nothing was written (free some space)"
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert listing(out.parent) == {"data.jsonl"}
    monkeypatch.setattr(JsonlWriter, "write", written)
    export(project, options=ExportOptions(), out=out)  # a good export replaces it
    assert read_jsonl(out)[0]["spans"] is not None


def test_brat_replaces_a_folder_already_there(project: Database, tmp_path: Path) -> None:
    corpus = _folder(tmp_path / "corpus")  # an earlier export: pairs and annotation.conf
    (corpus / "stale.ann").write_text("T1\tOLD 0 1\tx\n")
    (corpus / "stale.txt").write_text("x")
    (corpus / "annotation.conf").write_text("[entities]\nOLD\n")
    export(project, options=ExportOptions(format="brat", annotator="bob"), out=corpus)
    assert "stale.ann" not in listing(corpus) and "annotation.conf" in listing(corpus)
    assert listing(tmp_path) >= {"corpus", "corpus.card.json", "corpus.card.md"}
    assert not [name for name in listing(tmp_path) if name.startswith(".corpus")]


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({"notes.txt": "mine"}, "notes.txt"),  # someone's notes: a .txt without its .ann
        ({"a.ann": "T1\tX 0 1\tx\n", "annotation.conf": ""}, "a.ann"),
        ({"a.txt": "x", "a.ann": "", "b.pdf": "%PDF"}, "b.pdf"),
        ({"a.txt": "x", "a.ann": ""}, "a.ann"),  # pairs, but no annotation.conf: not ours
    ],
)
def test_brat_never_replaces_a_folder_with_files_it_did_not_write(
    project: Database, tmp_path: Path, files: dict[str, str], named: str
) -> None:
    corpus = _folder(tmp_path / "corpus")
    for name, text in files.items():
        (corpus / name).write_text(text)
    message = fails(project, ExportOptions(format="brat", annotator="bob"), corpus)
    assert message.startswith(f"{corpus}: the folder holds other files (such as {named})")
    assert {p.name: p.read_text() for p in corpus.iterdir()} == files


def command_line() -> argparse.ArgumentParser:
    """A parser built like annotator.cli builds its own, with the export command added."""
    database = Parser(add_help=False)
    database.add_argument("--db", default=argparse.SUPPRESS)
    parser = Parser(prog="annotator", parents=[database])
    commands = parser.add_subparsers(dest="command", parser_class=Parser)
    export_command.add_command(commands, database)
    return parser


def test_command_line_exports_and_prints_one_line_per_file(
    project: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _folder(tmp_path / "out") / "bob.jsonl"
    argv = ["export", "--db", str(project.path), "--format", "doccano", "--out", str(out)]
    args = command_line().parse_args([*argv, "--annotator", "bob", "--split", "100/0/0"])
    assert args.run(args) == 0
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert lines[0].startswith(f"wrote {out.with_name('bob.train.jsonl')}: 5 lines: 5 documents")
    assert lines[1].startswith(f"wrote {out.with_name('bob.jsonl.card.json')}: dataset card")
    assert printed.err == ""  # no progress bar when stderr is not a terminal
    assert listing(out.parent) == {"bob.train.jsonl", "bob.jsonl.card.json", "bob.jsonl.card.md"}
    card = json.loads(out.with_name("bob.jsonl.card.json").read_text(encoding="utf-8"))
    assert card["options"]["split"] == [100, 0, 0] and card["options"]["format"] == "doccano"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["--gold", "--all"], "argument --all: not allowed with argument --gold"),
        (["--status", "finished"], "argument --status: invalid choice: 'finished'"),
        (["--seed", "x"], "argument --seed: invalid int value: 'x'"),
    ],
)
def test_command_line_rejects_bad_arguments(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match="^" + message.replace("(", r"\(")):
        command_line().parse_args(["export", "--out", "x.jsonl", *argv])


def test_command_line_reports_a_missing_annotator(project: Database, tmp_path: Path) -> None:
    args = command_line().parse_args(
        [
            "export",
            "--db",
            str(project.path),
            "--out",
            str(tmp_path / "x.jsonl"),
            "--annotator",
            "zoe",
        ]
    )
    with pytest.raises(ExportError, match=f"^no annotator named 'zoe' in {project.path}$"):
        args.run(args)
    assert not (tmp_path / "x.jsonl").exists()
