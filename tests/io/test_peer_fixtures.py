"""Files the other tools wrote (tests/io/peer_files/README.md says which and how),
imported with the spans they hold asserted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.io.imports.importer import ImportFailed, import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.database import Database, open_database
from annotator.store.models import Annotator, Document, DocumentLabel, Span

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


def layers(database: Database) -> dict[str, set[tuple[str, str]]]:
    """annotator -> (span text, label) of every span, and ("#", label) of document labels."""
    with database.sessions() as session:
        names = {a.id: a.name for a in session.scalars(select(Annotator))}
        texts = dict(session.execute(select(Document.id, Document.text)).all())
        found: dict[str, set[tuple[str, str]]] = {}
        for span in session.scalars(select(Span)):
            text = texts[span.document_id][span.start : span.end]
            found.setdefault(names[span.annotator_id], set()).add((text, span.label))
        for label in session.scalars(select(DocumentLabel)):
            found.setdefault(names[label.annotator_id], set()).add(("#", label.label))
    return found


TEXT_A = "Kyiv 🇺🇦 said the grain deal must go on.\nMoscow disagreed."
TEXT_B = "Ле́нин and 北京 met in Zürich; NATO welcomed it."
DOC_A = {("Kyiv", "ACTOR"), ("grain deal", "PLACE"), ("Moscow", "ACTOR")}
DOC_B = {("北京", "PLACE"), ("Zürich", "PLACE"), ("NATO", "ACTOR")}
LABEL_STUDIO = FIXTURES / "labelstudio"
DOCCANO = FIXTURES / "doccano"


@pytest.mark.parametrize(
    ("name", "first", "second"),
    [
        ("tasks.json", "labelstudio-1", "labelstudio-2"),
        ("tasks-snapshot.json", "a@example.com", "b@example.com"),
        ("utf16/tasks.json", "labelstudio-1", "labelstudio-2"),
    ],
)
def test_label_studio_task_exports_give_each_annotator_a_layer(
    target: Database, name: str, first: str, second: str
) -> None:
    """Label Studio 1.23's JSON export (and its snapshot export, where `completed_by` is the
    user): user 1 labelled both tasks, user 2 task A and skipped (cancelled) task B; the
    prediction and the skip are not annotations. The utf16/ files hold JavaScript offsets:
    each span's quoted text finds it."""
    summary = import_paths(target, paths=[LABEL_STUDIO / name], options=ImportOptions())
    texts, _ = imported(target, LABEL_STUDIO / name)  # again: nothing new
    assert texts == sorted([TEXT_A, TEXT_B])
    assert layers(target) == {
        first: DOC_A | DOC_B | {("#", "trade")},
        second: DOC_A | {("#", "trade")},
    }
    lines = summary.lines()
    assert any("1 prediction not imported" in line for line in lines)
    assert any("1 cancelled annotation skipped" in line for line in lines)
    # the "note" text area was answered for the whole task, by both users: said, not lost
    assert any("2 text-area answers for a whole document not imported" in line for line in lines)


@pytest.mark.parametrize("name", ["tasks-min.json", "tasks.csv", "tasks.tsv"])
def test_label_studio_flat_exports_give_each_annotator_a_layer(target: Database, name: str) -> None:
    """JSON_MIN, CSV and TSV hold one row per annotation that was not cancelled; the
    choice and the text area are plain columns there, so both become document labels."""
    import_paths(target, paths=[LABEL_STUDIO / name], options=ImportOptions())
    found = layers(target)
    assert found == {
        "labelstudio-1": DOC_A | DOC_B | {("#", "trade"), ("#", "checked")},
        "labelstudio-2": DOC_A | {("#", "trade"), ("#", "checked")},
    }


def test_label_studio_conll_export_is_read_as_tokens(target: Database) -> None:
    _, found = imported(target, LABEL_STUDIO / "tasks.conll")
    assert {(text, label) for text, _, _, label in found} == DOC_A | DOC_B


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("seq-export.zip", DOC_A | DOC_B),
        ("relations-export.zip", DOC_A | DOC_B),
        ("classification-export.zip", {("#", "trade"), ("#", "war")}),
    ],
)
def test_doccano_export_zip_gives_its_users_layer(
    target: Database, name: str, expected: set[tuple[str, str]]
) -> None:
    """doccano 1.8.4's export as downloaded: a zip with one `<user>.jsonl` per member, spans
    counted in UTF-16 units by its web UI."""
    summary = import_paths(target, paths=[DOCCANO / name], options=ImportOptions(offsets="utf16"))
    assert layers(target) == {"admin": expected}
    with target.sessions() as session:
        assert sorted(session.scalars(select(Document.text))) == sorted([TEXT_A, TEXT_B])
    if name.startswith("relations"):
        assert any("1 relation kept" in line for line in summary.lines())


def test_doccano_spans_read_as_code_points_are_flagged(target: Database) -> None:
    """Without --offsets utf16, doccano's UI offsets land two units late after the flag:
    the summary says which records to import again, and how."""
    summary = import_paths(
        target, paths=[DOCCANO / "seq-admin.jsonl"], options=ImportOptions(annotator="a")
    )
    assert any(
        "1 record with spans after an emoji" in line and "--offsets utf16" in line
        for line in summary.lines()
    )


def test_an_annotator_bundle_given_to_import_says_how_to_merge_it(
    source: Database, tmp_path: Path, target: Database
) -> None:
    from annotator.io.bundles import export_bundle

    bundle = tmp_path / "alice.zip"
    export_bundle(source, annotator="alice", out=bundle)
    with pytest.raises(ImportFailed, match=r"is an Annotator bundle.*annotator bundle import"):
        import_paths(target, paths=[bundle], options=ImportOptions())


def test_a_brat_tutorial_document_keeps_its_spans_and_events(target: Database) -> None:
    """brat's own tutorial file: every text-bound annotation a span with its type; the
    events, which Annotator has no layer for, kept in the document's meta."""
    summary = import_paths(
        target, paths=[FIXTURES / "brat" / "event-structures.ann"], options=ImportOptions()
    )
    texts, found = imported(target, FIXTURES / "brat" / "event-structures.ann")
    assert len(texts) == 1 and texts[0].startswith("Structured event annotation")
    assert len(found) == 22
    assert ("Wikinews", 304, 312, "Organization") in found
    assert ("My friend", 461, 470, "Person") in found
    assert {label for *_, label in found} == {"Organization", "Person", "Report", "Merge-org"}
    with target.sessions() as session:
        (meta,) = session.scalars(select(Document.meta)).all()
    events = {entry["id"]: entry for entry in meta["brat_relations"]}
    assert set(events) == {"E1", "E2", "E3", "E4", "E5", "E6"}
    assert events["E2"]["arguments"] == [["Reporter-Arg", "T4"], ["Event-Arg", "E1"]]
    assert any("6 relation, event or equivalence lines kept" in line for line in summary.lines())
