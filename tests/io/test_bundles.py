"""Bundles: laptops export, the lead merges; idempotence, deletions, conflicts, hostile files."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from annotator.cli import bundle as bundle_command
from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.commands import AddSpan, AddStance, SetDocumentLabel, UndoStack, delete_spans
from annotator.core.errors import AnnotatorError
from annotator.core.text import normalise
from annotator.io.bundles import BundleError, BundleLimits, export_bundle, import_bundles
from annotator.io.bundles.contents import utc
from annotator.io.demo import load_demo
from annotator.store import models
from annotator.store.actors import create_actor
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.documents import add_document
from annotator.store.models import Actor, Document, Issue, Span, Stance
from annotator.store.project import active_schema, annotator_named, find_annotator

TYPES = ("person", "organisation", "state", "alliance", "media")
EXTRA = "Jane Roe said on Monday that the Harbour Authority would not reopen the port."


class Laptop:
    """One annotator's project, edited through the same services and commands as the app."""

    def __init__(self, url: str, name: str) -> None:
        self.database = open_database(url)
        load_demo(self.database)
        self.name = name
        with self.database.sessions.begin() as session:
            self.annotator_id = annotator_named(session, name).id

    def stack(self, external_id: str) -> tuple[UndoStack, LayerStore, Document]:
        with self.database.sessions() as session:
            query = select(Document).where(Document.external_id == external_id)
            document = session.scalars(query).one()
        store = LayerStore(self.database.sessions, document.id, self.annotator_id)
        return UndoStack(store.load()), store, document

    def mark(
        self, stack: UndoStack, document: Document, word: str, label: str, **links: Any
    ) -> SpanValue:
        start = document.text.index(word)
        span = SpanValue(uuid.uuid4(), start, start + len(word), label, **links)
        stack.push(AddSpan(span))
        return span

    def actor(
        self, name: str, kind: str = "person", parent: str | None = None, aliases: Any = ()
    ) -> uuid.UUID:
        """The actor called `name`, created through the registry service if new."""
        with self.database.sessions.begin() as session:
            ids = dict(session.execute(select(Actor.name, Actor.id)).all())
            if name in ids:
                return ids[name]
            parent_id = ids[parent] if parent else None
            return create_actor(
                session,
                name=name,
                type=kind,
                parent_id=parent_id,
                aliases=aliases,
                actor_types=TYPES,
            ).id

    def issue(self, key: str) -> uuid.UUID:
        with self.database.sessions() as session:
            return session.scalars(select(Issue.id).where(Issue.key == key)).one()

    def export(self, folder: Path, tag: str = "") -> Path:
        out = folder / f"{self.name}{tag}.zip"
        export_bundle(self.database, annotator=self.name, out=out)
        return out


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[dict[str, Laptop]]:
    """Three annotators' laptops (SQLite), each with some work done."""
    ana, ben, cy = (Laptop(str(tmp_path / f"{n}.sqlite"), n) for n in ("ana", "ben", "cy"))
    stack, store, meridian = ana.stack("troops-meridian")
    peskov, troops = ana.actor("Dmitry Peskov"), ana.issue("foreign-troops")
    ana.mark(stack, meridian, "Peskov", "ACTOR", actor_id=peskov)
    claim = ana.mark(stack, meridian, "The Kremlin on Wednesday", "CLAIM", issue_id=troops)
    stack.push(AddStance(StanceValue(uuid.uuid4(), peskov, troops, "oppose", (claim.id,), 0.8)))
    stack.push(SetDocumentLabel("news report", True))
    store.set_status("done")

    jane = ben.actor("Jane Roe", parent="NATO")
    stack, _, meridian = ben.stack("troops-meridian")
    ben.mark(stack, meridian, "Kremlin", "ACTOR", actor_id=ben.actor("Kremlin"))
    vilnius = ben.actor("Vilnius", "state")  # the lead knows it as an alias of Lithuania
    ben.mark(stack, meridian, "Ukraine", "ACTOR", actor_id=vilnius)
    stack, _, ledger = ben.stack("troops-ledger")
    quote = ben.mark(stack, ledger, ledger.text[:15], "QUOTE", actor_id=jane)  # a new label
    stance = StanceValue(uuid.uuid4(), jane, ben.issue("foreign-troops"), "sceptical", (quote.id,))
    stack.push(AddStance(stance))  # and a new polarity

    with cy.database.sessions.begin() as session:
        add_document(session, normalise(EXTRA), title="Port", external_id="cy-extra")
    jane = cy.actor("Jane Roe", parent="NATO", aliases=["J. Roe"])  # the same Jane Roe
    authority = cy.actor("Harbour Authority", "state")
    stack, _, extra = cy.stack("cy-extra")
    cy.mark(stack, extra, "Jane Roe", "ACTOR", actor_id=jane)
    cy.mark(stack, extra, "Harbour Authority", "ACTOR", actor_id=authority)
    yield {"ana": ana, "ben": ben, "cy": cy}
    for laptop in (ana, ben, cy):
        laptop.database.close()


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "lead.sqlite"))
    load_demo(database)
    yield database
    database.close()


def layer(database: Database, name: str, renamed: dict[str, str] | None = None) -> set[Any]:
    """Everything in one annotator's layer, keyed by what must survive a merge."""
    renamed = renamed or {}
    rows: set[Any] = set()
    with database.sessions() as session:
        person = find_annotator(session, name)
        assert person is not None
        actors = {a.id: renamed.get(a.name, a.name) for a in session.scalars(select(Actor))}
        issues = {i.id: i.key for i in session.scalars(select(Issue))}
        digest = {d.id: d.text_sha256 for d in session.scalars(select(Document))}
        for s in session.scalars(select(Span).where(Span.annotator_id == person.id)):
            actor = actors[s.actor_id] if s.actor_id else None
            issue = issues[s.issue_id] if s.issue_id else None
            rows.add(
                ("span", s.id, digest[s.document_id], s.start, s.end, s.label, actor, issue,
                 s.note, s.deleted_at is not None, utc(s.updated_at))
            )  # fmt: skip
        for t in session.scalars(select(Stance).where(Stance.annotator_id == person.id)):
            evidence = frozenset(e.span_id for e in t.evidence)
            rows.add(
                ("stance", t.id, digest[t.document_id], actors[t.actor_id], issues[t.issue_id],
                 t.polarity, evidence, t.confidence, t.deleted_at is not None)
            )  # fmt: skip
        for label in session.scalars(select(models.DocumentLabel)):
            if label.annotator_id == person.id:
                rows.add(("label", digest[label.document_id], label.label))
        for status in session.scalars(select(models.DocumentStatus)):
            if status.annotator_id == person.id:
                rows.add(("status", digest[status.document_id], status.status))
    return rows


TABLES = (Document, Span, Stance, models.StanceEvidence, models.DocumentLabel,
          models.DocumentStatus, Actor, models.ActorAlias, Issue, models.Annotator,
          models.SchemaVersion, models.ProjectSetting)  # fmt: skip


def counts(database: Database) -> dict[str, int]:
    with database.sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in TABLES
        }


def test_three_laptops_merge_into_the_lead(
    db_url: str, laptops: dict[str, Laptop], tmp_path: Path
) -> None:
    lead = open_database(db_url)
    try:
        load_demo(lead)
        with lead.sessions.begin() as session:  # the lead's own idea of this actor
            create_actor(session, name="Harbour Authority", type="organisation", actor_types=TYPES)
        bundles = [laptop.export(tmp_path) for laptop in laptops.values()]
        summary = import_bundles(lead, paths=bundles)

        assert summary.changed and summary.annotators_added == ["ana", "ben", "cy"]
        assert (summary.documents_added, summary.spans_added, summary.stances_added) == (1, 7, 2)
        for name, laptop in laptops.items():
            renamed = {"Harbour Authority": "Harbour Authority (state)", "Vilnius": "Lithuania"}
            assert layer(lead, name) == layer(laptop.database, name, renamed)
        with lead.sessions() as session:
            person = find_annotator(session, "cy")
            assert person is not None and person.id == laptops["cy"].annotator_id
            extra = session.scalars(select(Document).where(Document.external_id == "cy-extra"))
            assert extra.one().text == EXTRA  # the document the lead lacked
            [jane] = session.scalars(select(Actor).where(Actor.name == "Jane Roe"))
            assert jane.type == "person" and jane.parent is not None
            assert jane.parent.name == "NATO" and [a.alias for a in jane.aliases] == ["J. Roe"]
        assert summary.actors_added == ["Jane Roe", "Harbour Authority (state)"]
        [conflict] = summary.conflicts
        assert (
            "'Harbour Authority'" in conflict and "state in the bundle but organisation" in conflict
        )
        assert "kept apart as 'Harbour Authority (state)'" in conflict
        assert summary.labels_added == ["QUOTE"] and summary.polarities_added == ["sceptical"]
        with lead.sessions() as session:
            schema = active_schema(session)
        assert schema is not None and schema.label("QUOTE") and "sceptical" in schema.polarities

        before = counts(lead)
        again = import_bundles(lead, paths=bundles)
        assert not again.changed and counts(lead) == before
        assert "nothing changed" in again.lines()[1]
        assert again.conflicts == summary.conflicts  # still standing, so still listed
    finally:
        lead.close()


def test_a_deletion_on_the_laptop_reaches_the_lead(
    db_url: str, lead: Database, tmp_path: Path
) -> None:
    ana = Laptop(db_url, "ana")  # the laptop on PostgreSQL too, to export from it
    try:
        stack, _, document = ana.stack("troops-harbour")
        first = ana.mark(stack, document, document.text[:10], "CLAIM")
        second = ana.mark(stack, document, document.text[20:30], "CLAIM")
        stance = StanceValue(
            uuid.uuid4(), ana.actor("Kremlin"), ana.issue("foreign-troops"), "oppose",
            (first.id, second.id),
        )  # fmt: skip
        stack.push(AddStance(stance))
        stack.push(SetDocumentLabel("analysis", True))
        old = ana.export(tmp_path, "-1")
        assert import_bundles(lead, paths=[old]).spans_added == 2

        stack.push(delete_spans(stack.layer, [stack.layer.spans[second.id]]))
        stack.push(SetDocumentLabel("analysis", False))
        new = ana.export(tmp_path, "-2")
        summary = import_bundles(lead, paths=[new])
        assert (summary.spans_deleted, summary.stances_updated) == (1, 1)
        assert summary.document_labels_removed == 1
        assert layer(lead, "ana") == layer(ana.database, "ana")
        with lead.sessions() as session:
            assert session.get_one(Span, second.id).deleted_at is not None
            assert [e.span_id for e in session.get_one(Stance, stance.id).evidence] == [first.id]

        before = counts(lead)
        for bundle in (old, new):  # the older bundle must not bring the span back
            again = import_bundles(lead, paths=[bundle])
            assert not again.changed, again.lines()
        assert counts(lead) == before and layer(lead, "ana") == layer(ana.database, "ana")

        stack.undo()
        stack.undo()  # the deletion, undone on the laptop, is a change like any other
        assert import_bundles(lead, paths=[ana.export(tmp_path, "-3")]).spans_updated == 1
        assert layer(lead, "ana") == layer(ana.database, "ana")
    finally:
        ana.database.close()


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


Change = Callable[[dict[str, bytes]], None]


def rewrite(
    source: Path, target: Path, change: Change | None = None, extra: tuple[str, ...] = ()
) -> Path:
    """A copy of the bundle `source` with its members changed and `extra` members added."""
    data = members(source)
    if change is not None:
        change(data)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in data.items():
            archive.writestr(name, content)
        for name in extra:
            archive.writestr(zipfile.ZipInfo(name), b"gotcha")
    return target


def first_line(member: str, edit: Callable[[dict[str, Any]], None]) -> Change:
    """A change that edits the JSON object on the first line of `member`."""

    def change(data: dict[str, bytes]) -> None:
        first, *rest = data[member].decode().split("\n")
        value = json.loads(first)
        edit(value)
        data[member] = "\n".join([json.dumps(value), *rest]).encode()

    return change


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid bundle of one layer with a span, a stance and a label on its first line."""
    folder = tmp_path_factory.mktemp("bundle")
    ana = Laptop(str(folder / "ana.sqlite"), "ana")
    stack, _, document = ana.stack("troops-meridian")
    claim = ana.mark(stack, document, "The Kremlin on Wednesday", "CLAIM")
    stance = StanceValue(
        uuid.uuid4(), ana.actor("Kremlin"), ana.issue("foreign-troops"), "oppose", (claim.id,)
    )
    stack.push(AddStance(stance))
    stack.push(SetDocumentLabel("news report", True))
    try:
        return ana.export(folder)
    finally:
        ana.database.close()


def _set_span(field: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda layer: layer["spans"][0].__setitem__(field, value)


def _bomb(data: dict[str, bytes]) -> None:
    data["layer.jsonl"] = b" " * (20 << 20)  # 20 MiB that deflate to a few KiB


HOSTILE: dict[str, tuple[Change | None, tuple[str, ...], str]] = {
    "newer format": (
        first_line("manifest.json", lambda m: m.__setitem__("format", 99)),
        (),
        "manifest.json: format: bundle format 99 was written by a newer Annotator",
    ),
    "dot-dot path": (None, ("../evil",), "'../evil' points outside the bundle"),
    "absolute path": (None, ("/etc/evil",), "'/etc/evil' has an absolute path"),
    "backslash": (None, ("..\\evil",), "has a backslash in its path"),
    "unexpected member": (None, ("notes.txt",), "unexpected member 'notes.txt'"),
    "zip bomb": (_bomb, (), r"member 'layer.jsonl' is compressed \d+ to 1.*zip bomb"),
    "missing member": (lambda d: d.pop("actors.json"), (), "actors.json is missing"),
    "text altered": (
        first_line("documents.jsonl", lambda d: d.__setitem__("text", d["text"] + "!")),
        (),
        "documents.jsonl:1: text: does not match its text_sha256",
    ),
    "span outside its text": (
        first_line("layer.jsonl", _set_span("end", 10**6)),
        (),
        r"layer.jsonl:1: spans\[0\].end: 1000000 is past the end of the text",
    ),
    "wrong type": (
        first_line("layer.jsonl", _set_span("start", "12")),
        (),
        r"layer.jsonl:1: spans\[0\].start: must be an integer, not a string",
    ),
    "evidence elsewhere": (
        first_line(
            "layer.jsonl", lambda x: x["stances"][0].__setitem__("evidence", [str(uuid.uuid4())])
        ),
        (),
        r"stances\[0\].evidence: span .* is not in this document's layer",
    ),
    "invalid JSON": (
        lambda d: d.__setitem__("layer.jsonl", b"{oops\n" + d["layer.jsonl"]),
        (),
        "layer.jsonl:1: not valid JSON",
    ),
}


@pytest.mark.parametrize("case", [*HOSTILE, "truncated zip", "member over the size limit"])
def test_hostile_or_broken_bundles_change_nothing(
    case: str, bundle: Path, lead: Database, tmp_path: Path
) -> None:
    target = tmp_path / "bad.zip"
    limits, good = BundleLimits(), [bundle]
    if case == "truncated zip":
        target.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
        expected = "not a bundle"
    elif case == "member over the size limit":
        rewrite(bundle, target)
        limits, good = BundleLimits(max_member=1000), []
        expected = "would unpack to .* more than the 1000 bytes a member may have"
    else:
        change, extra, expected = HOSTILE[case]
        rewrite(bundle, target, change, extra)
    before = counts(lead)
    with pytest.raises(BundleError, match=expected) as caught:
        import_bundles(lead, paths=[*good, target], limits=limits)  # the good one is not kept
    message = str(caught.value)
    assert message.startswith(f"{target}:") and "\n" not in message
    assert counts(lead) == before


def test_a_namesake_or_someone_elses_span_is_refused(
    laptops: dict[str, Laptop], lead: Database, tmp_path: Path
) -> None:
    ana, ben = laptops["ana"].export(tmp_path), laptops["ben"].export(tmp_path)
    stolen = json.loads(members(ana)["layer.jsonl"].split(b"\n")[0])["spans"][0]["uuid"]
    mine = json.loads(members(ben)["layer.jsonl"].split(b"\n")[0])["spans"][0]["uuid"]

    def steal(data: dict[str, bytes]) -> None:
        data["layer.jsonl"] = data["layer.jsonl"].replace(mine.encode(), stolen.encode())

    forged = rewrite(ben, tmp_path / "forged.zip", steal)
    import_bundles(lead, paths=[ana])
    before = counts(lead)
    with pytest.raises(BundleError, match=f"span {stolen} belongs to ana's layer"):
        import_bundles(lead, paths=[forged])
    assert counts(lead) == before

    other = open_database(str(tmp_path / "other.sqlite"))
    try:
        with other.sessions.begin() as session:
            annotator_named(session, "ana")  # a different person of the same name
        before = counts(other)
        with pytest.raises(BundleError, match="two people share the name"):
            import_bundles(other, paths=[ben, ana])
        assert counts(other) == before
    finally:
        other.close()


def test_export_is_atomic_and_names_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = Laptop(str(tmp_path / "ana.sqlite"), "ana")
    try:
        with pytest.raises(BundleError, match=r"no annotator named 'zed'.*annotators: ana"):
            export_bundle(ana.database, annotator="zed", out=tmp_path / "zed.zip")
        with pytest.raises(BundleError, match=r"folder .*missing does not exist"):
            export_bundle(ana.database, annotator="ana", out=tmp_path / "missing" / "ana.zip")
        out = tmp_path / "out"
        out.mkdir()
        (out / "ana.zip").write_bytes(b"the previous bundle")

        def broken(self: object) -> None:
            raise RuntimeError("disk on fire")

        monkeypatch.setattr("annotator.io.bundles.export._LayerWriter.registry", broken)
        with pytest.raises(RuntimeError):
            export_bundle(ana.database, annotator="ana", out=out / "ana.zip")
        assert [p.name for p in out.iterdir()] == ["ana.zip"]  # no temp file left behind
        assert (out / "ana.zip").read_bytes() == b"the previous bundle"
    finally:
        ana.database.close()


def run_cli(argv: list[str]) -> int:
    """What `annotator.cli.main` does, with only the bundle command wired in."""
    from annotator.cli import Parser

    parser = Parser(prog="annotator")
    database = Parser(add_help=False)
    database.add_argument("--db", default=argparse.SUPPRESS)
    bundle_command.add_command(parser.add_subparsers(dest="command", parser_class=Parser), database)
    try:
        args = parser.parse_args(argv)
        return int(args.run(args))
    except AnnotatorError as error:
        print(f"annotator: {error}", file=sys.stderr)
        return 1


def test_command_line_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laptop = Laptop(str(tmp_path / "ana.sqlite"), "ana")
    stack, _, document = laptop.stack("troops-ledger")
    laptop.mark(stack, document, document.text[:12], "CLAIM")
    laptop.database.close()
    out, lead = tmp_path / "ana.zip", str(tmp_path / "lead.sqlite")
    argv = ["bundle", "export", "--annotator", "ana", "--out", str(out), "--db"]
    assert run_cli([*argv, str(tmp_path / "ana.sqlite")]) == 0
    assert "ana's layer of 1 document" in capsys.readouterr().out
    assert run_cli(["bundle", "import", str(out), "--db", lead]) == 0
    printed = capsys.readouterr().out
    assert "documents: 1 added" in printed and "spans: 1 added, 0 updated, 0 deleted" in printed
    assert run_cli(["bundle", "import", str(out), "--db", lead]) == 0
    assert "nothing changed" in capsys.readouterr().out

    missing = tmp_path / "nope.zip"
    for argv, message in (
        (["bundle", "import", str(missing), "--db", lead], f"{missing}: no such file"),
        (["bundle", "export", "--annotator", "zed", "--out", str(out), "--db", lead], "zed"),
        (["bundle"], "required"),
    ):
        assert run_cli(argv) == 1
        error = capsys.readouterr().err
        assert message in error and error.count("\n") == 1
