"""The HTML agreement report, and the `annotator agreement` command that prints or writes it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from annotator import __version__, cli
from annotator.cli import agreement as agreement_command
from annotator.io.demo import load_demo
from annotator.review.agreement.html import render_html, write_html_report
from annotator.review.agreement.report import AgreementError, agreement_report
from annotator.store.database import Database, open_database
from tests.review.test_report import D1, D2, build_three, layer, mark, tag

SCRIPT = "<script>alert(1)</script>"
Main = Callable[[list[str]], int]
ODD_LABEL = "A&B <i>"


class Page(HTMLParser):
    """Tags, attributes and text of a page, and the text inside each SVG and table."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.svgs: list[list[tuple[str, dict[str, str | None]]]] = []
        self.svg_text: list[list[str]] = []
        self.tables: list[list[list[tuple[str, dict[str, str | None]]]]] = []
        self._in_svg = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "svg":
            self._in_svg = True
            self.svgs.append([])
            self.svg_text.append([])
        elif self._in_svg:
            self.svgs[-1].append((tag, attributes))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.tables[-1][-1].append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_svg:
            self.svg_text[-1].append(data)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    build_three(database)
    # Names from the database are data, never markup.
    mark(layer(database, SCRIPT, D1), (0, 10, "ACTOR"), (20, 40, ODD_LABEL))
    mark(layer(database, SCRIPT, D2), (100, 110, "ACTOR"))
    tag(layer(database, SCRIPT, D2), "opinion")
    yield database
    database.close()


def test_page_has_bars_heat_map_numbers_and_escapes_every_name(project: Database) -> None:
    report = agreement_report(project)
    assert SCRIPT in report.annotators and ODD_LABEL in report.labels
    page = render_html(report)
    assert SCRIPT not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = Page(page)
    assert "script" not in {name for name, _ in parsed.tags}  # no script ran, none is needed
    for name, attributes in parsed.tags:  # self-contained: nothing fetched
        assert "src" not in attributes and "href" not in attributes, (name, attributes)
    text = "".join(parsed.text)
    assert SCRIPT in text and ODD_LABEL in text  # shown as text once unescaped

    alpha, pairs = parsed.svgs
    bars = [attributes for tag, attributes in alpha if tag == "rect"]
    # One bar for all labels and one per label that has a pooled value.
    assert len(bars) == 1 + len(report.labels)
    assert all(bar["class"] in ("good", "fair", "poor") for bar in bars)
    for label in ("all labels", *report.labels):
        assert label in parsed.svg_text[0]
    pair_bars = [attributes["class"] for tag, attributes in pairs if tag == "rect"]
    assert len(report.span_f1.pairs) == 6  # four annotators
    assert pair_bars == ["exact", "overlap"] * 7  # six pairs and the mean
    assert f"{SCRIPT} / ana" in "".join(parsed.svg_text[1])

    labels_table = parsed.tables[0]  # all labels, then one row per label
    assert len(labels_table) == 2 + len(report.labels)
    heat = parsed.tables[1]
    size = len(report.labels) + 1
    assert len(heat) == 1 + size and all(len(row) == 1 + size for row in heat)
    tinted = [cell for row in heat[1:] for cell in row[1:] if cell[1].get("style")]
    counted = sum(1 for row in report.confusion.matrix for count in row if count)
    assert len(tinted) == counted
    assert f"{report.stances.alpha:.3f}" in text
    assert f"{report.document_labels.fleiss:.3f}" in text
    assert f"Annotator {__version__}" in text
    assert report.generated_at.strftime("%Y-%m-%d") in text


def test_notes_and_empty_reports_render(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    try:
        report = agreement_report(database)
    finally:
        database.close()
    page = render_html(report)
    parsed = Page(page)
    assert "fewer than two annotators" in "".join(parsed.text)
    assert "No spans to compare." in page and "No two annotators" in page


def test_write_is_atomic_and_errors_name_the_path(project: Database, tmp_path: Path) -> None:
    report = agreement_report(project)
    out = tmp_path / "out" / "agreement.html"
    out.parent.mkdir()
    out.write_text("old", "utf-8")
    write_html_report(report, out)
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert sorted(path.name for path in out.parent.iterdir()) == ["agreement.html"]  # no temp
    with pytest.raises(AgreementError, match="does not exist"):
        write_html_report(report, tmp_path / "nowhere" / "a.html")
    with pytest.raises(AgreementError, match="is a folder"):
        write_html_report(report, out.parent)


# --------------------------------------------------------------------------------------------
# `annotator agreement`


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Main:
    """`annotator.cli.main` with the agreement command, whether or not cli.py adds it yet."""
    original = cli.build_parser

    def build() -> cli.Parser:
        parser = original()
        commands = next(
            action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
        )
        if "agreement" not in commands.choices:
            database = cli.Parser(add_help=False)
            database.add_argument("--db", default=argparse.SUPPRESS)
            agreement_command.add_command(commands, database)
        return parser

    monkeypatch.setattr(cli, "build_parser", build)
    return cli.main


def test_cli_prints_tables(
    run: Main, project: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["agreement", "--db", str(project.path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Agreement in ")
    assert "Annotator pairs" in out and "ana / ben" in out
    assert "Label confusion" in out and "Stances: α" in out
    assert "Least agreement" in out


def test_cli_json_and_html(
    run: Main, project: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    argv = ["agreement", "--db", str(project.path), "--json", "--label", "ACTOR"]
    assert run([*argv, "--annotator", "ana", "--annotator", "ben", "--html", str(out)]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)  # stdout is pure JSON; "wrote" went to stderr
    assert data["schema_version"] == 2 and data["labels"] == ["ACTOR"]
    assert data["annotators"] == ["ana", "ben"]
    assert data["span_f1"]["overall"]["exact"] == pytest.approx(4 / 5)
    assert captured.err.strip() == f"wrote {out}"
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--label", "NOPE"], "no span label 'NOPE'"),
        (["--story", "nope"], "no documents in story 'nope'"),
        (["--annotator", "zed"], "no annotator named 'zed'"),
        (["--html", "/nonexistent/folder/a.html"], "folder /nonexistent/folder does not exist"),
    ],
)
def test_cli_errors_are_one_line(
    run: Main,
    project: Database,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    assert run(["agreement", "--db", str(project.path), *extra]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("annotator: ") and message in captured.err
    assert captured.err.count("\n") == 1
