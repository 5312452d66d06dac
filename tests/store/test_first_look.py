"""The first window's quick read (`store.first_look`) against the store it stands in for.

A start on an up-to-date SQLite project paints its first window from `read_first_look`: plain
sqlite3 queries, run before SQLAlchemy has loaded. Everything after that goes through the
store. So the first window must show exactly what the store would (the same annotators, the
same rows in the same order with the same statuses, the same counts and vocabulary, the same
first document with the same layer), or the list and the editor would change
under the user's eyes when the store takes over, and an edit could start from a layer that is
not the stored one.

Each part of a `FirstLook` is compared with its twin in the store on projects with every kind
of row: values missing from the list order (NULLs sort first) and ties broken by id, a
soft-deleted span that a stance still cites, another annotator's layer of the same document,
stances tied on their creation time, statuses of several kinds, actors sharing an alias, an
issue tree with issues the active schema does not name, an empty project, and paging. Where
the quick read must step aside (no file, no or an unknown annotator, another schema
revision, not a database, a missing table) it gives None and leaves the file as it was.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from annotator.core.actors import ActorDefinition
from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.documents import PAGE_SIZE, STATUSES, DocumentFilter
from annotator.core.schema import default_schema, parse_schema
from annotator.core.text import normalise, text_hash
from annotator.io.demo import load_demo
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.documents import add_document, first_page, progress_counts, set_status
from annotator.store.first_look import FirstLook, read_first_look
from annotator.store.models import (
    Actor,
    Annotator,
    Document,
    Issue,
    Span,
    Stance,
    StanceEvidence,
    now,
)
from annotator.store.project import (
    annotator_named,
    find_annotator,
    install_actors,
    install_schema,
)
from annotator.store.revision import HEAD_REVISION
from annotator.store.vocabulary import load_vocabulary

# --- Comparing the quick read with the store ----------------------------------------------


def assert_as_the_store_reads(
    look: FirstLook | None, database: Database, name: str, page_size: int
) -> FirstLook:
    """Every part of `look` equals its twin in the store; returns `look` (not None)."""
    with database.sessions() as session:
        me = find_annotator(session, name)
        assert me is not None, f"no annotator {name!r} in the store"
        annotators = [
            (i, n)
            for i, n in session.execute(
                select(Annotator.id, Annotator.name).order_by(Annotator.name)
            )
        ]
        rows, total = first_page(session, DocumentFilter(annotator_id=me.id), page_size)
        counts = progress_counts(session, me.id)
        vocabulary = load_vocabulary(session)
        first = session.get(Document, rows[0].id) if rows else None
        text = first.text if first is not None else None
        me_id, me_name = me.id, me.name
    assert look is not None, "the quick read stepped aside where the store reads fine"
    assert look.annotator == (me_id, me_name)
    assert look.annotators == annotators
    assert look.rows == rows  # in list order, with this annotator's statuses
    assert look.total == total
    assert look.counts == counts
    assert list(look.counts) == list(counts)
    assert look.vocabulary == vocabulary
    assert look.vocabulary.names == vocabulary.names  # suggestion order
    assert look.vocabulary.issues == vocabulary.issues  # tree order and depths
    assert list(look.vocabulary.actors.items()) == list(vocabulary.actors.items())
    assert look.vocabulary.schema.source == vocabulary.schema.source  # compare=False field
    if not rows:
        assert look.document is None
        return look
    document = look.document
    assert document is not None
    assert document.row == replace(rows[0], text=text)
    assert document.row.text == text
    store = LayerStore(database.sessions, rows[0].id, me_id)
    layer = store.load()

    def by_id(span: SpanValue) -> uuid.UUID:
        return span.id

    assert sorted(document.spans, key=by_id) == sorted(layer.spans.values(), key=by_id)
    assert len(document.spans) == len(layer.spans)  # no span twice
    assert document.stances == list(layer.stances.values())  # in the order they were made
    assert document.labels == layer.document_labels
    assert document.status == store.status()
    return look


def read_and_compare(path: Path, name: str, page_size: int) -> FirstLook:
    """The quick read (which must leave the folder as it was), then the store's."""
    before = folder_state(path.parent)
    look = read_first_look(path, name, page_size=page_size)
    assert folder_state(path.parent) == before
    database = open_database(str(path), create=False)
    try:
        return assert_as_the_store_reads(look, database, name, page_size)
    finally:
        database.close()


FolderState = dict[str, tuple[bytes, int]]


def folder_state(folder: Path) -> FolderState:
    """Every file of the folder with its bytes and modification time (journals included)."""
    return {
        entry.name: (entry.read_bytes(), entry.stat().st_mtime_ns)
        for entry in sorted(folder.iterdir())
        if entry.is_file()
    }


def assert_steps_aside(path: Path, name: str | None, page_size: int = PAGE_SIZE) -> None:
    """None, with the folder (file bytes, times, no journal left behind) as it was."""
    folder = path.parent
    before = folder_state(folder) if folder.is_dir() else None
    existed = path.exists()
    assert read_first_look(path, name, page_size=page_size) is None
    assert path.exists() == existed
    assert (folder_state(folder) if folder.is_dir() else None) == before


# --- The rich project ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rich:
    """The demo project plus rows of every kind; the ids the checks below look for."""

    path: Path
    first: uuid.UUID  # the first document of the list
    ana: uuid.UUID
    bo: uuid.UUID
    live_spans: frozenset[uuid.UUID]  # ana's in the first document
    deleted_span: uuid.UUID  # ana's, removed, still cited by `early`'s evidence row
    bo_spans: frozenset[uuid.UUID]
    claim: uuid.UUID  # the live span `early` cites
    stances: tuple[uuid.UUID, ...]  # ana's live stances, in the order the layer lists them
    removed_stance: uuid.UUID


# (title, source, published, story): missing values, ties on every column but the id, case.
EXTRA_DOCUMENTS = (
    ("Untitled", None, None, None),
    ("Untitled", None, None, None),
    ("Untitled", None, "2025-08-01", None),
    ("Brief", "Zeta Wire", None, None),
    ("brief", "Zeta Wire", None, None),
    ("Wire copy", None, None, "nato-troops"),
    ("Éclair", "Harbour Post", "2025-08", "territory"),
    ("", None, None, "ceasefire-or-treaty"),
    ("Same", "Meridian Wire", "2025-08-28", "ceasefire-or-treaty"),
    ("Same", "Meridian Wire", "2025-08-28", "ceasefire-or-treaty"),
)

NEWER_SCHEMA_ISSUES = """
[[issues]]
key = "energy"
name = "Energy"

[[issues]]
key = "gas-transit"
name = "Gas transit"
parent = "energy"

[[issues]]
key = "grain"
name = "Grain corridor"
parent = "gas-transit"
"""


def article(number: int, title: str) -> str:
    return (
        f"Article {number}, {title or 'no title'}: Peskov said on Tuesday that the troops "
        "would not be welcome, a claim the ministry repeated, while the talks went on "
        f"in Geneva and the ceasefire held for a {number + 1}th day."
    )


def build_rich(path: Path) -> Rich:
    database = open_database(str(path))
    try:
        return _fill_rich(database, path)
    finally:
        database.close()


def _fill_rich(database: Database, path: Path) -> Rich:
    load_demo(database)
    with database.sessions.begin() as session:
        ana = annotator_named(session, "ana").id
        bo = annotator_named(session, "bo").id
        annotator_named(session, "Ana")  # differs only in case: sorts before "ana"
        annotator_named(session, "Zoë", role="reviewer")
        for number, (title, source, published, story) in enumerate(EXTRA_DOCUMENTS):
            add_document(
                session,
                normalise(article(number, title)),
                title=title,
                source=source,
                published=published,
                story=story,
            )
        # A newer schema with issues of its own, then the first one again: the newest
        # loaded is active, and issues it does not name come after its own, by name.
        newer = default_schema().source.replace('version = "1.0"', 'version = "2.0"')
        install_schema(session, parse_schema(newer + NEWER_SCHEMA_ISSUES, "newer.toml"))
        install_schema(session, default_schema())
        session.add(Issue(key="energy-again", name="Energy"))  # same name as "energy"
        install_actors(
            session,
            (
                ActorDefinition("Åland Council", "organisation", None, ("Council", "ÅC")),
                ActorDefinition("City Council", "organisation", "Åland Council", ("Council",)),
            ),
        )
        peskov = session.scalars(select(Actor.id).where(Actor.name == "Dmitry Peskov")).one()
        council = session.scalars(select(Actor.id).where(Actor.name == "City Council")).one()
        troops = session.scalars(select(Issue.id).where(Issue.key == "foreign-troops")).one()
        grain = session.scalars(select(Issue.id).where(Issue.key == "grain")).one()
        rows, _ = first_page(session, DocumentFilter(annotator_id=ana), 2)
        first, second = rows[0].id, rows[1].id
        others = [
            d
            for d in session.scalars(select(Document.id).order_by(Document.title))
            if d not in (first, second)
        ]
        # ana's statuses elsewhere (one "todo" row, which counts as no row), and bo's.
        for document_id, status in zip(
            others, ("done", "done", "skipped", "todo", "in_progress"), strict=False
        ):
            set_status(session, document_id, ana, status)
        set_status(session, second, bo, "skipped")
        set_status(session, others[0], bo, "done")

    ana_layer = LayerStore(database.sessions, first, ana)
    actor_span = SpanValue(uuid.uuid4(), 0, 10, "ACTOR", actor_id=peskov)
    issue_span = SpanValue(uuid.uuid4(), 12, 30, "ISSUE", issue_id=troops)
    claim = SpanValue(uuid.uuid4(), 31, 90, "CLAIM", note="a claim, with a note")
    attribution = SpanValue(
        uuid.uuid4(), 40, 52, "ATTRIBUTION", actor_id=council, issue_id=grain, note="both"
    )
    doomed = SpanValue(uuid.uuid4(), 60, 70, "CLAIM")
    for span in (actor_span, issue_span, claim, attribution, doomed):
        ana_layer.put_span(span)
    moved = claim.moved(32, 90)  # changed after it was made: an update, not a new row
    ana_layer.put_span(moved, claim)
    claim = moved
    # Made first (the largest id, so id order is not creation order); cites a span removed below.
    early = StanceValue(
        uuid.UUID(int=2**128 - 1),
        peskov,
        troops,
        "oppose",
        tuple(sorted((claim.id, doomed.id))),
        0.75,
        "first",
    )
    ana_layer.put_stance(early)
    ana_layer.remove_span(doomed)
    later = StanceValue(uuid.UUID(int=2), council, grain, "support", (attribution.id,))
    ana_layer.put_stance(later)
    tied = StanceValue(uuid.UUID(int=1), peskov, grain, "mixed", (), 0.0, "tied with later")
    ana_layer.put_stance(tied)  # made after `later`, given the same time below
    gone = StanceValue(uuid.uuid4(), peskov, troops, "neutral", (actor_span.id,))
    ana_layer.put_stance(gone)
    ana_layer.remove_stance(gone)
    for label, present in (
        ("analysis", True),
        ("issue:ceasefire", True),
        ("opinion", True),
        ("opinion", False),
    ):
        ana_layer.set_document_label(label, present)
    ana_layer.set_status("in_progress")

    bo_layer = LayerStore(database.sessions, first, bo)
    bo_same = SpanValue(uuid.uuid4(), 0, 10, "ACTOR", actor_id=peskov)  # ana's offsets
    bo_claim = SpanValue(uuid.uuid4(), 31, 90, "CLAIM", note="bo's")
    bo_layer.put_span(bo_same)
    bo_layer.put_span(bo_claim)
    bo_layer.put_stance(StanceValue(uuid.uuid4(), peskov, troops, "support", (bo_claim.id,)))
    bo_layer.set_document_label("news report", True)
    bo_layer.set_status("done")
    LayerStore(database.sessions, second, ana).put_span(SpanValue(uuid.uuid4(), 0, 7, "ACTOR"))

    with database.sessions.begin() as session:
        made = select(Stance.created_at).where(Stance.id == later.id).scalar_subquery()
        session.execute(update(Stance).where(Stance.id == tied.id).values(created_at=made))
        # Evidence outside ana's layer (bo's span): neither read may show it.
        session.add(StanceEvidence(stance_id=early.id, span_id=bo_claim.id))
    return Rich(
        path=path,
        first=first,
        ana=ana,
        bo=bo,
        live_spans=frozenset(s.id for s in (actor_span, issue_span, claim, attribution)),
        deleted_span=doomed.id,
        bo_spans=frozenset((bo_same.id, bo_claim.id)),
        claim=claim.id,
        stances=(early.id, tied.id, later.id),
        removed_stance=gone.id,
    )


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Rich:
    path = tmp_path_factory.mktemp("rich") / "rich.sqlite"
    built = build_rich(path)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # WAL checkpointed away
    return built


@pytest.fixture
def rich_copy(rich: Rich, tmp_path: Path) -> Path:
    """A copy of the rich project in a folder of its own, for tests that change it."""
    copy = tmp_path / "copy" / "project.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(rich.path, copy)
    return copy


# --- The same answers ------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1, 3, PAGE_SIZE])
@pytest.mark.parametrize("name", ["ana", "bo", "Ana", "Zoë"])
def test_the_first_window_shows_what_the_store_would(rich: Rich, name: str, page_size: int) -> None:
    look = read_and_compare(rich.path, name, page_size)
    assert look.total == 8 + len(EXTRA_DOCUMENTS)
    assert len(look.rows) == min(page_size, look.total)
    assert look.document is not None
    assert look.document.row.id == rich.first


def test_the_rich_project_has_every_kind_of_row(rich: Rich) -> None:
    """What the comparison above runs on, read through the quick read itself: so the
    equality checked there is one of full layers, not of empty lists."""
    look = read_and_compare(rich.path, "ana", PAGE_SIZE)
    document = look.document
    assert document is not None
    rows = look.rows
    assert (rows[0].story, rows[0].published, rows[0].source) == (None, None, None)
    assert (rows[0].title, rows[1].title) == ("Untitled", "Untitled")
    assert rows[0].id.hex < rows[1].id.hex  # a tie on every column is broken by the id
    assert document.row.text is not None and document.row.text.startswith("Article")
    assert {s.id for s in document.spans} == rich.live_spans  # not bo's, not the removed one
    assert any(s.actor_id for s in document.spans) and any(s.issue_id for s in document.spans)
    assert any(s.note for s in document.spans)
    assert [s.id for s in document.stances] == list(rich.stances)
    assert rich.removed_stance not in {s.id for s in document.stances}
    early = document.stances[0]
    assert early.evidence == (rich.claim,)  # the removed span and bo's span left out
    assert early.confidence == 0.75 and early.note == "first"
    assert document.stances[1].confidence == 0.0 and document.stances[2].confidence is None
    assert document.labels == {"analysis", "issue:ceasefire"}
    assert document.status == "in_progress"
    # In progress: the first document, the second (ana's span there started it), one set so.
    assert look.counts == {"todo": 12, "in_progress": 3, "done": 2, "skipped": 1}
    assert {row.status for row in rows} == set(STATUSES)
    assert [a[1] for a in look.annotators] == ["Ana", "Zoë", "ana", "bo"]
    vocabulary = look.vocabulary
    assert vocabulary.schema.version == "1.0"  # loaded again last: the active one
    depths = {entry.key: entry.depth for entry in vocabulary.issues}
    assert depths["foreign-troops"] == 1 and depths["grain"] == 2
    # Issues the active schema does not name come last: top ones by name, children under them.
    assert {e.key for e in vocabulary.issues[-4:]} == {
        "energy",
        "energy-again",
        "gas-transit",
        "grain",
    }
    council_names = [n for _, n in vocabulary.names if n == "Council"]
    assert len(council_names) == 2  # two actors share the alias


def test_bo_sees_his_own_layer_of_the_same_document(rich: Rich) -> None:
    look = read_and_compare(rich.path, "bo", PAGE_SIZE)
    assert look.document is not None
    assert {s.id for s in look.document.spans} == rich.bo_spans
    assert look.document.status == "done" and look.document.labels == {"news report"}
    assert look.rows[1].status == "skipped"


def test_edits_a_running_store_has_committed_are_seen(rich_copy: Path) -> None:
    """Another window still open on the project: its edits may sit in the WAL file."""
    database = open_database(str(rich_copy))
    try:
        with database.sessions.begin() as session:
            ana = annotator_named(session, "ana").id
            annotator_named(session, "Carla")
            # A new first document of the list (no story, date or source, an empty title).
            document, _ = add_document(session, normalise("A brand new article."), title="")
            set_status(session, document.id, ana, "skipped")
        LayerStore(database.sessions, document.id, ana).put_span(
            SpanValue(uuid.uuid4(), 2, 7, "ACTOR", note="fresh")
        )
        assert rich_copy.with_name("project.sqlite-wal").exists()
        look = read_first_look(rich_copy, "ana", page_size=4)
        assert_as_the_store_reads(look, database, "ana", 4)
        assert look is not None and look.document is not None
        assert look.document.row.id == document.id and look.document.status == "skipped"
        assert [s.note for s in look.document.spans] == ["fresh"]
        assert "Carla" in [n for _, n in look.annotators]
    finally:
        database.close()


def test_a_file_name_with_uri_characters(rich: Rich, tmp_path: Path) -> None:
    """The quick read opens a file: URI; '?', '#', '%' and spaces stay part of the name."""
    folder = tmp_path / "a folder #1 ?x=%20"
    folder.mkdir()
    path = folder / "pro ject?mode=ro#%41é.sqlite"
    shutil.copyfile(rich.path, path)
    look = read_and_compare(path, "ana", 5)
    assert look.document is not None and look.document.row.id == rich.first
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # nothing made beside it


def test_an_empty_project_has_no_first_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    database = open_database(str(path))
    with database.sessions.begin() as session:
        annotator_named(session, "ana")
    database.close()
    look = read_and_compare(path, "ana", PAGE_SIZE)
    assert look.document is None and look.rows == [] and look.total == 0
    assert look.counts == dict.fromkeys(STATUSES, 0)
    assert look.vocabulary.schema == default_schema()  # none stored yet
    assert look.vocabulary.issues == () and look.vocabulary.names == ()


def random_project(path: Path, seed: int, documents: int) -> None:
    """`documents` documents with few distinct values (ties, NULLs) and random statuses."""
    chance = random.Random(seed)

    def maybe(values: list[str]) -> str | None:
        return chance.choice([*values, None])

    database = open_database(str(path))
    try:
        with database.sessions.begin() as session:
            annotators = [annotator_named(session, n).id for n in ("ana", "bo", "cy")]
            ids = [uuid.UUID(int=chance.getrandbits(128)) for _ in range(documents)]
            texts = [f"Document {n} of seed {seed}: {chance.random()}" for n in range(documents)]
            session.execute(
                insert(Document),
                [
                    {
                        "id": document_id,
                        "title": chance.choice(["a", "B", "b", "", "Ä"]),
                        "source": maybe(["x", "y"]),
                        "published": maybe(["2025", "2025-01", "2025-01-02"]),
                        "story": maybe(["s", "t", ""]),
                        "external_id": maybe([f"ext-{number}"]),
                        "text": text,
                        "text_sha256": text_hash(text),
                        "length": len(text),
                    }
                    for number, (document_id, text) in enumerate(zip(ids, texts, strict=True))
                ],
            )
            for document_id in ids:
                for annotator in annotators:
                    status = chance.choice([*STATUSES, None, None])
                    if status is not None:
                        set_status(session, document_id, annotator, status)
            for annotator in annotators:  # spans (some removed) on some documents
                for document_id in chance.sample(ids, k=documents // 2):
                    session.execute(
                        insert(Span).values(
                            document_id=document_id,
                            annotator_id=annotator,
                            start=0,
                            end=chance.randint(1, 9),
                            label=chance.choice(["CLAIM", "ACTOR"]),
                            note=str(chance.random()),
                            deleted_at=now() if chance.random() < 0.3 else None,
                        )
                    )
    finally:
        database.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_paging_and_counts_on_random_projects(seed: int, tmp_path: Path) -> None:
    documents = 23
    path = tmp_path / "random.sqlite"
    random_project(path, seed, documents)
    for name in ("ana", "bo", "cy"):
        for page_size in (1, 5, documents - 1, documents, documents + 5):
            look = read_and_compare(path, name, page_size)
            assert look.total == documents
            assert len(look.rows) == min(page_size, documents)
            assert look.document is not None
            assert sum(look.counts.values()) == documents


# --- Stepping aside ------------------------------------------------------------------------


def test_a_missing_file_gives_none_and_is_not_created(tmp_path: Path) -> None:
    assert_steps_aside(tmp_path / "missing.sqlite", "ana")
    assert_steps_aside(tmp_path / "no folder" / "missing.sqlite", "ana")
    assert not (tmp_path / "no folder").exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", [None, "nobody", "ANA", "ana ", ""])
def test_no_or_an_unknown_annotator_gives_none(rich_copy: Path, name: str | None) -> None:
    assert_steps_aside(rich_copy, name)
    if name is not None:  # the store does not know that name either
        database = open_database(str(rich_copy), create=False)
        try:
            with database.sessions() as session:
                assert find_annotator(session, name) is None
        finally:
            database.close()


def change(path: Path, *statements: str) -> None:
    """Run SQL on the project with plain sqlite3 (the WAL is checkpointed away on close)."""
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


@pytest.mark.parametrize("revision", ["0006", "0001", "0008", "9999", ""])
def test_another_schema_revision_gives_none(rich_copy: Path, revision: str) -> None:
    assert revision != HEAD_REVISION
    change(rich_copy, f"UPDATE alembic_version SET version_num = '{revision}'")
    assert_steps_aside(rich_copy, "ana")


def test_no_revision_row_gives_none(rich_copy: Path) -> None:
    change(rich_copy, "DELETE FROM alembic_version")
    assert_steps_aside(rich_copy, "ana")


TABLES_READ = (
    "alembic_version",
    "annotators",
    "documents",
    "document_status",
    "label_schemas",
    "issues",
    "actors",
    "actor_aliases",
    "spans",
    "stances",
    "stance_evidence",
    "document_labels",
)


@pytest.mark.parametrize("table", TABLES_READ)
def test_a_missing_table_gives_none(rich_copy: Path, table: str) -> None:
    change(rich_copy, f'DROP TABLE "{table}"')
    assert_steps_aside(rich_copy, "ana")


def not_a_project(path: Path, kind: str, full: bytes) -> None:
    page = 4096
    contents = {
        "text": b"title,text\nNot a database,at all\n",
        "empty": b"",
        "header only": full[:100],
        "first page": full[:page],
        "half": full[: len(full) // 2 // page * page],
        "last page lost": full[:-page],
    }
    path.write_bytes(contents[kind])


@pytest.mark.parametrize(
    "kind", ["text", "empty", "header only", "first page", "half", "last page lost"]
)
def test_a_file_that_is_not_a_whole_project_gives_none(
    rich: Rich, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "broken.sqlite"
    not_a_project(path, kind, rich.path.read_bytes())
    assert_steps_aside(path, "ana")


def test_a_folder_gives_none(tmp_path: Path) -> None:
    (tmp_path / "folder.sqlite").mkdir()
    assert_steps_aside(tmp_path / "folder.sqlite", "ana")


@pytest.fixture
def log_records(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level("INFO", logger="annotator.store.first_look"):
        yield caplog


def test_a_read_that_fails_is_logged(tmp_path: Path, log_records: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "text.sqlite"
    path.write_text("not a database")
    assert read_first_look(path, "ana", page_size=5) is None
    assert "First look at" in log_records.text


def test_a_file_the_store_would_refuse_gives_none_so_the_store_says_why(rich_copy: Path) -> None:
    """A read-only project is refused before any window is painted, as on any start."""
    rich_copy.chmod(0o444)
    try:
        assert_steps_aside(rich_copy, "ana")
    finally:
        rich_copy.chmod(0o644)


def test_a_project_another_program_is_writing_gives_none_at_once(rich_copy: Path) -> None:
    """A writer holding the file (rollback journal) leaves the start to the store, which waits
    for it; the quick read does not wait the busy timeout first."""
    change(rich_copy, "PRAGMA journal_mode = DELETE")
    writer = sqlite3.connect(rich_copy, isolation_level=None)
    try:
        writer.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        assert read_first_look(rich_copy, "ana", page_size=PAGE_SIZE) is None
        assert time.monotonic() - started < 2  # not the 5 s default busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert read_first_look(rich_copy, "ana", page_size=PAGE_SIZE) is not None
