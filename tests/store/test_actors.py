"""The actor registry service on the demo registry, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from annotator.core.schema import default_schema
from annotator.io.demo import load_demo
from annotator.store.actor_merge import merge_actors
from annotator.store.actors import (
    ActorError,
    ActorMatch,
    actor_row,
    ancestors,
    create_actor,
    delete_actor,
    fold,
    list_actors,
    search_actors,
    update_actor,
)
from annotator.store.database import Database, open_database
from annotator.store.models import (
    Actor,
    ActorAlias,
    Document,
    GoldSpan,
    GoldStance,
    GoldStanceEvidence,
    Issue,
    Span,
    Stance,
    StanceEvidence,
    now,
)
from annotator.store.project import annotator_named

TYPES = default_schema().actor_types


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    load_demo(database)
    yield database
    database.close()


def actor_id(session: Session, name: str) -> uuid.UUID:
    return session.scalars(select(Actor.id).where(Actor.name == name)).one()


def span(session: Session, actor: uuid.UUID | None, start: int = 0) -> Span:
    document = session.scalars(select(Document).order_by(Document.external_id)).first()
    assert document is not None
    row = Span(
        document_id=document.id,
        annotator_id=annotator_named(session, "alice").id,
        start=start,
        end=start + 5,
        label="ACTOR",
        actor_id=actor,
    )
    session.add(row)
    session.flush()
    return row


def stance(session: Session, actor: uuid.UUID, evidence: list[Span], polarity: str) -> Stance:
    issue = session.scalars(select(Issue).where(Issue.key == "ceasefire")).one()
    first = evidence[0]
    row = Stance(
        document_id=first.document_id,
        annotator_id=first.annotator_id,
        actor_id=actor,
        issue_id=issue.id,
        polarity=polarity,
        evidence=[StanceEvidence(span_id=s.id) for s in evidence],
    )
    session.add(row)
    session.flush()
    return row


def names(matches: list[ActorMatch]) -> list[tuple[str, str]]:
    return [(m.actor.name, m.matched) for m in matches]


def test_list_actors_is_sorted_and_counts_mentions(database: Database) -> None:
    with database.sessions.begin() as session:
        create_actor(session, name="al-Jazeera", type="media", actor_types=TYPES)
        kremlin = actor_id(session, "Kremlin")
        span(session, kremlin)
        span(session, kremlin, 10)
        span(session, kremlin, 20).deleted_at = now()  # deleted spans do not count
    with database.sessions() as session:
        rows = list_actors(session)
        assert [r.name for r in rows][:3] == ["al-Jazeera", "Continental Daily", "Dmitry Peskov"]
        by_name = {r.name: r for r in rows}
        assert by_name["Kremlin"].mention_count == 2
        assert by_name["Russia"].mention_count == 0
        assert by_name["Dmitry Peskov"].parent_name == "Kremlin"
        assert by_name["Dmitry Peskov"].aliases == ("Kremlin spokesman", "Peskov")
        assert [a.name for a in ancestors(session, by_name["Dmitry Peskov"].id)] == [
            "Kremlin",
            "Russia",
        ]
        assert ancestors(session, by_name["Russia"].id) == []


def test_search_ranks_exact_then_prefix_then_substring(database: Database) -> None:
    with database.sessions() as session:
        assert names(search_actors(session, "Moscow"))[0] == ("Russia", "Moscow")
        assert names(search_actors(session, "pesk")) == [("Dmitry Peskov", "Peskov")]
        assert names(search_actors(session, "kremlin")) == [
            ("Kremlin", "Kremlin"),
            ("Dmitry Peskov", "Kremlin spokesman"),
        ]
        russ = names(search_actors(session, "RUSS"))
        assert russ == [
            ("Russia", "Russia"),
            ("Russian Foreign Ministry", "Russian Foreign Ministry"),
            ("European Union", "Brussels"),  # inside a word: last
        ]
        # A word inside the name ("Foreign") comes before text inside a word ("ussia").
        assert names(search_actors(session, "ministry")) == [
            ("Russian Foreign Ministry", "Russian Foreign Ministry")
        ]
        assert names(search_actors(session, "ussia"))[0] == ("Russia", "Russia")
        assert names(search_actors(session, "peskov dmitry")) == [
            ("Dmitry Peskov", "Dmitry Peskov")
        ]
        assert search_actors(session, "nobody at all") == []
        assert len(search_actors(session, "a", limit=3)) == 3
        first = search_actors(session, "  ", limit=2)
        assert [m.actor.name for m in first] == ["Continental Daily", "Dmitry Peskov"]


def test_search_ignores_case_accents_and_typographic_quotes(database: Database) -> None:
    with database.sessions.begin() as session:
        create_actor(session, name="Recep Tayyip Erdoğan", type="person", actor_types=TYPES)
        zelensky = actor_id(session, "Volodymyr Zelensky")
        update_actor(
            session,
            actor_id=zelensky,
            actor_types=TYPES,
            aliases=["Zelensky", "Zelenskyy", "Zelenskýj"],
        )
    with database.sessions() as session:
        assert names(search_actors(session, "erdogan")) == [
            ("Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan")
        ]
        assert names(search_actors(session, "ERDOĞAN"))[0][0] == "Recep Tayyip Erdoğan"
        assert names(search_actors(session, "zelensky")) == [("Volodymyr Zelensky", "Zelensky")]
        assert names(search_actors(session, "Zelenskyy")) == [("Volodymyr Zelensky", "Zelenskyy")]
        assert names(search_actors(session, "zelenskyj")) == [("Volodymyr Zelensky", "Zelenskýj")]
        assert names(search_actors(session, "Zélensky"))[0] == ("Volodymyr Zelensky", "Zelensky")
        assert names(search_actors(session, "russia's foreign")) == [
            ("Russian Foreign Ministry", "Russia’s Foreign Ministry")
        ]
    assert fold("  Łódź  Straße ") == "lodz strasse"


def test_create_checks_name_type_parent_and_aliases(database: Database) -> None:
    with database.sessions.begin() as session:
        kremlin = actor_id(session, "Kremlin")
        actor = create_actor(
            session,
            name="  Maria   Zakharova ",
            type="person",
            parent_id=kremlin,
            aliases=["Zakharova", "zakharova", "", "Maria Zakharova"],
            actor_types=TYPES,
        )
        assert actor.name == "Maria Zakharova"
        assert [a.alias for a in actor.aliases] == ["Zakharova"]
        new_id = actor.id
    with database.sessions() as session:
        assert actor_row(session, new_id).parent_name == "Kremlin"
        with pytest.raises(
            ActorError, match=r"^'russia' is already an actor \(written 'Russia'\)$"
        ):
            create_actor(session, name="russia", type="state", actor_types=TYPES)
        with pytest.raises(ActorError, match=r"^an actor needs a name$"):
            create_actor(session, name="   ", type="state", actor_types=TYPES)
        with pytest.raises(ActorError, match=r"^'country' is not an actor type; use one of person"):
            create_actor(session, name="Moldova", type="country", actor_types=TYPES)
        with pytest.raises(ActorError, match="no longer exists"):
            create_actor(
                session, name="Moldova", type="state", parent_id=uuid.uuid4(), actor_types=TYPES
            )
        with pytest.raises(ActorError, match="at most 300"):
            create_actor(session, name="x" * 301, type="state", actor_types=TYPES)


def test_update_refuses_cycles_and_duplicate_names(database: Database) -> None:
    with database.sessions() as session:
        russia = actor_id(session, "Russia")
        kremlin = actor_id(session, "Kremlin")
        peskov = actor_id(session, "Dmitry Peskov")
        message = (
            "^Kremlin cannot be the parent of Russia: Russia is already an ancestor of Kremlin$"
        )
        with pytest.raises(ActorError, match=message):
            update_actor(session, actor_id=russia, actor_types=TYPES, parent_id=kremlin)
        with pytest.raises(ActorError, match=r"^Dmitry Peskov cannot be the parent of Russia"):
            update_actor(session, actor_id=russia, actor_types=TYPES, parent_id=peskov)
        with pytest.raises(ActorError, match=r"^Russia cannot be its own parent$"):
            update_actor(session, actor_id=russia, actor_types=TYPES, parent_id=russia)
        with pytest.raises(ActorError, match=r"^'ukraine' is already an actor"):
            update_actor(session, actor_id=russia, actor_types=TYPES, name="ukraine")
        with pytest.raises(ActorError, match="is not an actor type"):
            update_actor(session, actor_id=russia, actor_types=TYPES, type="country")
    with database.sessions.begin() as session:
        update_actor(
            session, actor_id=kremlin, actor_types=TYPES, name="KREMLIN"
        )  # its own name, recased
        update_actor(
            session,
            actor_id=peskov,
            actor_types=TYPES,
            name="Dmitry S. Peskov",
            parent_id=russia,
            aliases=["Peskov", "Dmitry Peskov", "Dmitry S. Peskov"],
        )
    with database.sessions.begin() as session:
        row = actor_row(session, peskov)
        assert (row.name, row.parent_name, row.aliases) == (
            "Dmitry S. Peskov",
            "Russia",
            ("Dmitry Peskov", "Peskov"),
        )
        update_actor(
            session, actor_id=peskov, actor_types=TYPES, parent_id=None, type="organisation"
        )
        assert actor_row(session, kremlin).name == "KREMLIN"
    with database.sessions() as session:
        row = actor_row(session, peskov)
        assert (row.parent_id, row.type, row.aliases) == (
            None,
            "organisation",
            ("Dmitry Peskov", "Peskov"),
        )


def test_merge_moves_everything_and_folds_duplicate_stances(database: Database) -> None:
    with database.sessions.begin() as session:
        keep = actor_id(session, "Dmitry Peskov")
        duplicate = create_actor(
            session,
            name="Dmitri Peskov",
            type="person",
            aliases=["Peskov", "D. Peskov"],
            actor_types=TYPES,
        )
        merge = duplicate.id
        office = create_actor(
            session, name="Peskov's office", type="organisation", parent_id=merge, actor_types=TYPES
        )
        kept_span, kept_span2 = span(session, keep, 0), span(session, keep, 40)
        merged_span, other_span = span(session, merge, 10), span(session, merge, 20)
        kept_stance = stance(session, keep, [kept_span, kept_span2], "oppose")
        twin = stance(session, merge, [merged_span, kept_span], "oppose")
        twin.confidence, twin.note = 0.8, "said twice"
        lone = stance(session, merge, [other_span], "support")
        gold_a = GoldSpan(
            document_id=kept_span.document_id, start=0, end=5, label="ACTOR", actor_id=merge
        )
        gold_b = GoldSpan(
            document_id=kept_span.document_id, start=9, end=12, label="ACTOR", actor_id=keep
        )
        session.add_all([gold_a, gold_b])
        session.flush()
        gold_kept = GoldStance(
            document_id=kept_span.document_id,
            actor_id=keep,
            issue_id=kept_stance.issue_id,
            polarity="oppose",
            agreed_by=["a"],
        )
        gold_twin = GoldStance(
            document_id=kept_span.document_id,
            actor_id=merge,
            issue_id=kept_stance.issue_id,
            polarity="oppose",
            agreed_by=["a", "b"],
        )
        session.add_all([gold_kept, gold_twin])
        session.flush()
        session.add_all(
            [
                GoldStanceEvidence(gold_stance_id=gold_kept.id, gold_span_id=gold_b.id),
                GoldStanceEvidence(gold_stance_id=gold_twin.id, gold_span_id=gold_a.id),
                GoldStanceEvidence(gold_stance_id=gold_twin.id, gold_span_id=gold_b.id),
            ]
        )
        ids = (kept_stance.id, twin.id, lone.id, gold_kept.id, office.id)

    with database.sessions.begin() as session:
        summary = merge_actors(session, keep_id=keep, merge_id=merge)
    assert (summary.kept, summary.merged) == ("Dmitry Peskov", "Dmitri Peskov")
    assert (summary.spans, summary.stances, summary.stances_folded) == (2, 2, 1)
    assert (summary.gold_spans, summary.gold_stances, summary.gold_stances_folded) == (1, 1, 1)
    assert (summary.children, summary.aliases_added) == (1, ("Dmitri Peskov", "D. Peskov"))

    kept_id, twin_id, lone_id, gold_id, office_id = ids
    with database.sessions() as session:
        assert session.get(Actor, merge) is None
        assert session.scalar(select(func.count()).where(Span.actor_id == keep)) == 4
        assert actor_row(session, keep).mention_count == 4
        assert actor_row(session, keep).aliases == (
            "D. Peskov",
            "Dmitri Peskov",
            "Kremlin spokesman",
            "Peskov",
        )
        assert actor_row(session, office_id).parent_name == "Dmitry Peskov"
        kept = session.get(Stance, kept_id)
        assert kept is not None and kept.deleted_at is None
        assert {e.span_id for e in kept.evidence} == {kept_span.id, kept_span2.id, merged_span.id}
        assert (kept.confidence, kept.note) == (0.8, "said twice")
        tombstone = session.get(Stance, twin_id)
        assert tombstone is not None and tombstone.deleted_at is not None
        assert tombstone.actor_id == keep
        moved = session.get(Stance, lone_id)
        assert moved is not None and moved.actor_id == keep and moved.deleted_at is None
        gold = session.scalars(select(GoldStance)).one()
        assert (gold.id, gold.agreed_by) == (gold_id, ["a", "b"])
        evidence = session.scalars(
            select(GoldStanceEvidence.gold_span_id).where(
                GoldStanceEvidence.gold_stance_id == gold_id
            )
        )
        assert set(evidence) == {gold_a.id, gold_b.id}
        assert session.scalar(select(func.count()).select_from(GoldStanceEvidence)) == 2
        assert set(session.scalars(select(GoldSpan.actor_id))) == {keep}
        assert session.scalar(select(func.count()).where(ActorAlias.alias == "Peskov")) == 1


def test_merge_refuses_itself_and_descendants(database: Database) -> None:
    with database.sessions() as session:
        russia, kremlin = actor_id(session, "Russia"), actor_id(session, "Kremlin")
        with pytest.raises(ActorError, match=r"^cannot merge Russia into itself$"):
            merge_actors(session, keep_id=russia, merge_id=russia)
        with pytest.raises(ActorError, match=r"^cannot merge Russia into Kremlin: Kremlin is part"):
            merge_actors(session, keep_id=kremlin, merge_id=russia)
    with database.sessions.begin() as session:
        summary = merge_actors(
            session, keep_id=russia, merge_id=kremlin
        )  # the other way round is fine
        assert summary.children == 2 and "Kremlin" in summary.aliases_added
    with database.sessions() as session:
        putin = actor_id(session, "Vladimir Putin")
        assert [a.name for a in ancestors(session, putin)] == ["Russia"]


def test_delete_is_refused_while_stances_use_the_actor(database: Database) -> None:
    with database.sessions.begin() as session:
        kremlin = actor_id(session, "Kremlin")
        first = span(session, kremlin)
        used = stance(session, kremlin, [first], "oppose")
        stance(session, kremlin, [first], "support")
    with database.sessions() as session:
        message = r"^cannot delete Kremlin: 2 stances use it; merge it into another actor instead$"
        with pytest.raises(ActorError, match=message):
            delete_actor(session, actor_id=kremlin)
    with database.sessions.begin() as session:
        for row in session.scalars(select(Stance)):
            if row.id != used.id:
                row.deleted_at = now()  # a tombstone does not block the deletion
        session.add(
            GoldStance(
                document_id=first.document_id,
                actor_id=kremlin,
                issue_id=used.issue_id,
                polarity="oppose",
            )
        )
    with database.sessions() as session:
        message = r"^cannot delete Kremlin: 1 stance and 1 gold stance use it"
        with pytest.raises(ActorError, match=message):
            delete_actor(session, actor_id=kremlin)
    with database.sessions.begin() as session:
        session.execute(delete(GoldStance))
        session.execute(delete(StanceEvidence))
        tombstone = session.get(Stance, used.id)
        assert tombstone is not None
        tombstone.deleted_at = now()
    with database.sessions.begin() as session:
        assert delete_actor(session, actor_id=kremlin).spans == 1
    with database.sessions() as session:
        assert session.get(Actor, kremlin) is None
        assert session.scalars(select(Span.actor_id)).one() is None
        assert session.scalar(select(func.count()).select_from(Stance)) == 0
        peskov = actor_id(session, "Dmitry Peskov")
        assert [a.name for a in ancestors(session, peskov)] == ["Russia"]
