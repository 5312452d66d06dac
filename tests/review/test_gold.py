"""Adjudication into gold: accept, edit, reject, reopen, notes, stances; undo and redo."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from annotator.review.adjudication.comparison import DocumentComparison, load_comparison
from annotator.review.adjudication.gold_layer import rejection_key
from annotator.review.adjudication.gold_review import GoldReview
from annotator.review.adjudication.units import SpanChoice, SpanUnit, StanceUnit
from annotator.store.database import open_database
from annotator.store.models import GoldSpan, GoldStance, GoldStanceEvidence, ProjectSetting
from tests.review.test_comparison import ReviewData, build_review_data


@pytest.fixture
def data(db_url: str) -> Iterator[ReviewData]:
    database = open_database(db_url)
    yield build_review_data(database)
    database.close()


def compare(data: ReviewData) -> DocumentComparison:
    with data.database.sessions() as session:
        return load_comparison(session, data.document_id, data.people["rita"])


def span_unit(data: ReviewData, phrase: str) -> SpanUnit:
    start = data.text.index(phrase)
    return next(u for u in compare(data).span_units if u.start == start)


def stance_unit(data: ReviewData, agreement: str) -> StanceUnit:
    return next(u for u in compare(data).stance_units if u.agreement == agreement)


def gold_rows(data: ReviewData) -> list[tuple[str, str, list[str], int]]:
    """(text, label, sorted agreeing names, number of source spans) per gold span."""
    names = {str(i): n for n, i in data.people.items()}
    with data.database.sessions() as session:
        rows = session.scalars(select(GoldSpan).order_by(GoldSpan.start)).all()
        return [
            (
                data.text[r.start : r.end],
                r.label,
                sorted(names[a] for a in r.agreed_by),
                len(r.source_span_ids),
            )
            for r in rows
        ]


def test_accept_records_who_agreed_and_the_source_spans(data: ReviewData) -> None:
    review = GoldReview(data.database.sessions, data.people["rita"])
    review.accept_span(span_unit(data, "Kremlin"))
    review.accept_span(span_unit(data, "Dmitry Peskov"))  # ana and ben; cleo marked "Peskov"
    assert gold_rows(data) == [
        ("Kremlin", "ACTOR", ["ana", "ben", "cleo"], 3),
        ("Dmitry Peskov", "ACTOR", ["ana", "ben"], 3),
    ]
    with data.database.sessions() as session:
        start = data.text.index("Dmitry Peskov")
        peskov = session.scalars(select(GoldSpan).where(GoldSpan.start == start)).one()
        assert peskov.reviewer_id == data.people["rita"]
        assert peskov.actor_id is not None  # the majority's actor link came along
        cleo = data.spans["cleo", "Peskov"].id
        assert str(cleo) in peskov.source_span_ids
    unit = span_unit(data, "Dmitry Peskov")
    assert unit.decision == "accepted"
    assert unit.key not in [u.key for u in compare(data).disagreements()]


def test_accept_with_an_edit_and_accepting_again_changes_the_same_gold_span(
    data: ReviewData,
) -> None:
    review = GoldReview(data.database.sessions, data.people["rita"])
    unit = span_unit(data, "Dmitry Peskov")
    start = data.text.index("Peskov")
    review.accept_span(unit, SpanChoice(start, start + 6, "ACTOR"), note="surname only")
    assert gold_rows(data) == [("Peskov", "ACTOR", ["cleo"], 3)]
    with data.database.sessions() as session:
        first = session.scalars(select(GoldSpan)).one()
        assert (first.note, first.actor_id) == ("surname only", None)
    review.accept_span(span_unit(data, "Dmitry Peskov"))  # changed my mind: the majority
    with data.database.sessions() as session:
        again = session.scalars(select(GoldSpan)).one()
        assert again.id == first.id and again.note == "surname only"
    assert gold_rows(data) == [("Dmitry Peskov", "ACTOR", ["ana", "ben"], 3)]
    review.undo()
    assert gold_rows(data) == [("Peskov", "ACTOR", ["cleo"], 3)]
    with pytest.raises(ValueError, match="outside the text"):
        review.accept_span(unit, SpanChoice(0, len(data.text) + 1, "ACTOR"))
    assert gold_rows(data) == [("Peskov", "ACTOR", ["cleo"], 3)]


def test_reject_is_stored_without_gold_and_accept_or_reopen_lift_it(data: ReviewData) -> None:
    review = GoldReview(data.database.sessions, data.people["rita"])
    claim = "opposition to any arrangement"
    (ana_claim,) = [s for (n, p), s in data.spans.items() if n == "ana" and p.startswith(claim)]
    review.reject(span_unit(data, claim), note="too long")
    assert span_unit(data, claim).decision == "rejected"
    assert gold_rows(data) == []
    with data.database.sessions() as session:
        row = session.get(ProjectSetting, rejection_key(data.document_id))
        assert row is not None
        stored = json.loads(row.value)
    (rejection,) = stored["rejections"]
    assert rejection["ids"] == [str(ana_claim.id)]
    assert (rejection["kind"], rejection["note"]) == ("span", "too long")
    assert review.reject(span_unit(data, claim)) is None  # already rejected: nothing to undo
    review.accept_span(span_unit(data, claim))
    assert span_unit(data, claim).decision == "accepted"
    with data.database.sessions() as session:
        assert session.get(ProjectSetting, rejection_key(data.document_id)) is None
    review.reject(span_unit(data, claim))  # rejecting an accepted unit takes it out of gold
    assert gold_rows(data) == []
    review.reopen(span_unit(data, claim))
    assert span_unit(data, claim).decision == "open"
    assert review.undo_text() == "reopen CLAIM"
    review.undo()
    assert span_unit(data, claim).decision == "rejected"


def test_undo_and_redo_each_commit_and_return_where_they_acted(data: ReviewData) -> None:
    review = GoldReview(data.database.sessions, data.people["rita"])
    unit = span_unit(data, "Kremlin")
    step = review.accept_span(unit)
    assert step is not None and (step.document_id, step.unit_key) == (data.document_id, unit.key)
    review.set_note(span_unit(data, "Kremlin"), "state as actor")
    with data.database.sessions() as session:
        assert session.scalars(select(GoldSpan.note)).one() == "state as actor"
    assert review.undo() is not None
    with data.database.sessions() as session:
        assert session.scalars(select(GoldSpan.note)).one() == ""
    undone = review.undo()
    assert undone is not None and undone.text == "accept ACTOR"
    assert gold_rows(data) == []
    assert review.undo() is None
    review.redo()
    assert gold_rows(data) == [("Kremlin", "ACTOR", ["ana", "ben", "cleo"], 3)]
    review.redo()
    assert review.redo() is None
    # A fresh service (another session of the app) sees the same committed rows.
    assert GoldReview(data.database.sessions, data.people["rita"]).undo() is None
    with data.database.sessions() as session:
        assert session.scalars(select(GoldSpan.note)).one() == "state as actor"


def test_accept_stance_takes_its_evidence_into_gold(data: ReviewData) -> None:
    review = GoldReview(data.database.sessions, data.people["rita"])
    review.accept_span(span_unit(data, "Dmitry Peskov"))
    conflict = stance_unit(data, "conflict")
    review.accept_stance(compare(data), conflict)  # tie: the first annotator's polarity
    with data.database.sessions() as session:
        stance = session.scalars(select(GoldStance)).one()
        assert stance.polarity == "oppose"
        assert stance.agreed_by == [str(data.people["ana"])]
        evidence = session.scalars(select(GoldStanceEvidence.gold_span_id)).all()
        peskov = session.scalars(select(GoldSpan)).one()
        assert evidence == [peskov.id]  # the already accepted span, not a second copy
    review.accept_stance(compare(data), stance_unit(data, "conflict"), "support")
    with data.database.sessions() as session:
        stance = session.scalars(select(GoldStance)).one()  # changed in place
        assert stance.polarity == "support"
        assert stance.agreed_by == [str(data.people["ben"])]
        assert session.scalars(select(GoldStanceEvidence)).all() == []  # ben cited nothing

    agreed = stance_unit(data, "all")  # ana cited her CLAIM, ben "European soldiers"
    review.accept_stance(compare(data), agreed)
    assert [(t[:11], label, who) for t, label, who, _ in gold_rows(data)] == [
        ("opposition ", "CLAIM", ["ana"]),
        ("European so", "ISSUE", ["ben", "cleo"]),
        ("Dmitry Pesk", "ACTOR", ["ana", "ben"]),
    ]
    with data.database.sessions() as session:
        kremlin = session.scalars(select(GoldStance).where(GoldStance.polarity == "oppose")).one()
        assert sorted(kremlin.agreed_by) == sorted(
            str(data.people[n]) for n in ("ana", "ben", "cleo")
        )
        assert len(kremlin.source_stance_ids) == 3
        links = session.scalars(
            select(GoldStanceEvidence).where(GoldStanceEvidence.gold_stance_id == kremlin.id)
        ).all()
        assert len(links) == 2
    review.undo()  # the stance and the evidence spans it brought in go together
    assert [label for _, label, _, _ in gold_rows(data)] == ["ACTOR"]
    review.reject(stance_unit(data, "all"))
    assert stance_unit(data, "all").decision == "rejected"
    review.reopen(stance_unit(data, "all"))
    assert stance_unit(data, "all").decision == "open"


def test_removing_a_gold_span_cited_by_a_stance_and_undoing_restores_the_link(
    data: ReviewData,
) -> None:
    review = GoldReview(data.database.sessions, data.people["rita"])
    review.accept_stance(compare(data), stance_unit(data, "conflict"), "oppose")
    review.reject(span_unit(data, "Dmitry Peskov"))
    with data.database.sessions() as session:
        assert session.scalars(select(GoldStanceEvidence)).all() == []
        assert session.scalars(select(GoldStance)).one()
    review.undo()
    with data.database.sessions() as session:
        (link,) = session.scalars(select(GoldStanceEvidence)).all()
        assert session.get(GoldSpan, link.gold_span_id) is not None


def test_accept_all_agreed_takes_only_units_everyone_marked_alike(data: ReviewData) -> None:
    review = GoldReview(data.database.sessions, data.people["rita"])
    step = review.accept_all_agreed(compare(data))
    assert step is not None and step.text == "accept 3 agreed units"
    assert [(t, who) for t, _, who, _ in gold_rows(data)] == [
        ("Kremlin", ["ana", "ben", "cleo"]),
        ("Washington", ["ana", "ben", "cleo"]),
    ]
    with data.database.sessions() as session:
        assert session.scalars(select(GoldStance.polarity)).all() == ["oppose"]
        # Its evidence units are open disagreements: they are not settled on the side.
        assert session.scalars(select(GoldStanceEvidence)).all() == []
    assert review.accept_all_agreed(compare(data)) is None
    review.undo()
    assert gold_rows(data) == []
    assert len(compare(data).disagreements()) == 4
