"""Parsing the command line: the same results as the whole parser, without building all of it
for `annotator gui` (the export, bundle and agreement commands live in modules of their own)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotator.cli import UsageError, build_parser, parse_arguments

ACCEPTED = [
    [],
    ["--verbose"],
    ["--db", "p.sqlite"],
    ["gui", "--db", "p.sqlite", "--screenshot", "w.png", "--document", "a", "--compare", "b"],
    ["--db", "p.sqlite", "gui"],
    ["docs", "--json", "--annotator", "ana"],
    ["import", "a.txt", "b", "--format", "csv", "--no-clean", "--skip-bad"],
    ["schema", "check", "s.toml"],
    ["export", "--out", "x.jsonl", "--format", "conll", "--split", "80/10/10", "--gold"],
    ["bundle", "export", "--annotator", "ana", "--out", "ana.zip"],
    ["bundle", "import", "a.zip", "b.zip", "--db", "p.sqlite"],
    ["agreement", "--json", "--annotator", "ana", "--annotator", "ben"],
]
REJECTED = [
    ["frobnicate"],
    ["gui", "--bogus"],
    ["docs", "--bogus"],
    ["export"],
    ["export", "--out", "x", "--format", "pdf"],
    ["bundle"],
    ["agreement", "--bogus"],
    ["--ver"],
    ["--db"],
]


@pytest.mark.parametrize("argv", ACCEPTED, ids=" ".join)
def test_arguments_parse_as_the_whole_parser_parses_them(argv: list[str]) -> None:
    assert parse_arguments(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", REJECTED, ids=" ".join)
def test_errors_are_the_whole_parsers_errors(argv: list[str]) -> None:
    with pytest.raises(UsageError) as whole:
        build_parser().parse_args(argv)
    with pytest.raises(UsageError) as ours:
        parse_arguments(argv)
    assert str(ours.value) == str(whole.value)


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for asking in (["--help"], ["-h"], ["--he"]):
        with pytest.raises(SystemExit) as done:
            parse_arguments(asking)
        assert done.value.code == 0
        out = capsys.readouterr().out
        for command in ("gui", "demo", "docs", "import", "export", "bundle", "agreement", "schema"):
            assert f"\n    {command} " in out, (asking, command)
    with pytest.raises(SystemExit):
        parse_arguments(["export", "--help"])
    assert "--split TRAIN/DEV/TEST" in capsys.readouterr().out


def test_parsing_the_gui_command_imports_no_other_commands_modules() -> None:
    probe = (
        "import sys; from annotator.cli import parse_arguments; "
        "args = parse_arguments(['gui', '--db', 'p.sqlite']); "
        "assert args.run.__module__ == 'annotator.cli.gui', args; "
        "print(sorted(m for m in sys.modules if m.startswith(('annotator.io', "
        "'annotator.review', 'PySide6', 'sqlalchemy'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
