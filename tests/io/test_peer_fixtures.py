"""Files the other tools wrote (tests/io/peer_files/README.md says which and how),
imported with the spans they hold asserted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.database import Database, open_database
from annotator.store.models import Document, Span

FIXTURES = Path(__file__).parent / "peer_files"


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'target.sqlite'}")
    yield database
    database.close()


def imported(database: Database, path: Path) -> tuple[list[str], set[tuple[str, int, int, str]]]:
    """(document texts, (span text, start, end, label)) after importing `path`."""
    import_paths(database, paths=[path], options=ImportOptions(annotator="ann"))
    with database.sessions() as session:
        texts = dict(session.execute(select(Document.id, Document.text)).all())
        spans = {
            (texts[s.document_id][s.start : s.end], s.start, s.end, s.label)
            for s in session.scalars(select(Span))
        }
    return sorted(texts.values()), spans


INCEPTION = FIXTURES / "inception"


@pytest.mark.parametrize(
    ("name", "text", "spans"),
    [
        ("sentence-with-emoji.tsv", "I like it 😊 .", {("😊", 10, 11, "Span")}),
        (
            "dependency-with-values.tsv",
            "This is a test .",
            {("This", 0, 4, "POS1"), ("is", 5, 7, "POS2")},
        ),
        ("multi-token-stacked-span.tsv", "This is a test .", {("This is a test .", 0, 16, "Span")}),
        (
            "underscore-feature-value.tsv",
            "This is a test .",
            {
                ("This", 0, 4, "_"),
                ("is", 5, 7, "_"),
                ("a", 8, 9, "_"),
                ("test", 10, 14, "_"),
                (".", 15, 16, "_"),
            },
        ),
        ("sentence-with-line-break.tsv", "This is\na test .", {("This", 0, 4, "Span")}),
        ("sentence-with-tab.tsv", "This is\ta test .", {("This", 0, 4, "Span")}),
        # INCEpTION writes the sentence from its first token; the gap comes back as a space
        ("leading-whitespace-at-start.tsv", " one two", {("one", 1, 4, "NamedEntity")}),
        (
            "cross-sentence-span.tsv",
            "He loves her .\nShe loves him not .",
            {("He loves her .\nShe loves him not .", 0, 34, "PERSON")},
        ),
        ("two-sentences-no-space.tsv", "onetwo", set()),
    ],
)
def test_inception_tsv_files_import_with_their_spans(
    target: Database, name: str, text: str, spans: set[tuple[str, int, int, str]]
) -> None:
    texts, found = imported(target, INCEPTION / name)
    assert texts == [text]
    assert found == spans


def test_inception_stacked_sub_token_spans(target: Database) -> None:
    texts, found = imported(target, INCEPTION / "stacked-sub-token-spans.tsv")
    assert texts == ["aaaaaa bbbbbb cccccc"]
    by_label = {label: text for text, _, _, label in found}
    assert by_label["2a"] == by_label["2b"] == "aaaaaa bbbbbb"  # [1], [2]: two whole tokens
    assert by_label["9a"] == "aaa bbbbbb ccc"  # [7]: sub-token to sub-token, three rows
    assert by_label["7a"] == "aaaaaa bbb"
    assert (by_label["5a"], by_label["3a"], by_label["1a"]) == ("bbbb", "b", "aaaaaa")
    assert not {"11a", "10a", "12a"} & set(by_label)  # zero-width: no span to store
    assert len(found) == 18


def test_an_inception_relation_is_kept_in_the_documents_meta(target: Database) -> None:
    summary = import_paths(
        target, paths=[INCEPTION / "dependency-with-values.tsv"], options=ImportOptions()
    )
    assert any("1 relation kept" in line for line in summary.lines())
    with target.sessions() as session:
        (meta,) = session.scalars(select(Document.meta)).all()
    (relation,) = meta["webanno_relations"]
    assert relation["layer"].endswith("Dependency")
    assert (
        relation["governor"]
        and relation["dependent"]
        and relation["governor"] != relation["dependent"]
    )


def test_an_inception_xmi_with_its_type_system(target: Database) -> None:
    """A CAS INCEpTION wrote (Windows line break in the text, a custom span layer with a
    `value` feature, a relation layer); TypeSystem.xml beside it is found, not imported."""
    summary = import_paths(
        target, paths=[INCEPTION / "xmi"], options=ImportOptions(annotator="ann")
    )
    assert summary.lines()[0] == "imported 1 new document from 1 file"
    with target.sessions() as session:
        (document,) = session.scalars(select(Document)).all()
        spans = sorted(
            (s.start, document.text[s.start : s.end], s.label)
            for s in session.scalars(select(Span))
        )
    assert document.text == "Darmstadt is in Hessen.\nHannover is in Lower Saxony."
    assert spans == [
        (0, "Darmstadt", "city"),
        (16, "Hessen", "state"),
        (24, "Hannover", "city"),
        (39, "Lower Saxony", "state"),
    ]
    (relation,) = document.meta["xmi_relations"]
    assert relation["type"] == "webanno.custom.MyRelationLayer"
    assert relation["features"] == {"value": "located in"}
