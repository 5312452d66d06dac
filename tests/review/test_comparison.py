"""Comparing layers: span units and their agreement, stance units, blind mode, stepping."""

from __future__ import annotations

import subprocess
import sys
import uuid
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.commands import AddSpan, AddStance, UndoStack
from annotator.io.demo import load_demo
from annotator.review.adjudication.comparison import (
    build_comparison,
    load_comparison,
    review_overview,
)
from annotator.review.adjudication.gold_layer import GoldSpanValue, Rejection
from annotator.review.adjudication.layers import Layer, visible_annotators
from annotator.review.adjudication.units import SpanUnit, StanceUnit
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.models import Actor, Document, Issue
from annotator.store.project import annotator_named

DOC = uuid.uuid4()
TEXT = "The Kremlin said Dmitry Peskov opposed European soldiers in Ukraine. " * 2


def span(start: int, end: int, label: str = "ACTOR", actor: uuid.UUID | None = None) -> SpanValue:
    return SpanValue(uuid.uuid4(), start, end, label, actor_id=actor)


def at(phrase: str, label: str = "ACTOR") -> SpanValue:
    start = TEXT.index(phrase)
    return span(start, start + len(phrase), label)


def layer(name: str, *spans: SpanValue, stances: tuple[StanceValue, ...] = ()) -> Layer:
    return Layer(uuid.uuid5(uuid.NAMESPACE_DNS, name), name, "done", spans, stances)


def only_unit(units: tuple[SpanUnit, ...]) -> SpanUnit:
    assert len(units) == 1
    return units[0]


# -- units on hand-built layers ------------------------------------------------------------


def test_exact_match_by_everyone_is_all() -> None:
    layers = [layer(n, at("Kremlin")) for n in ("ana", "ben", "cleo")]
    unit = only_unit(build_comparison(DOC, TEXT, layers).span_units)
    assert unit.agreement == "all"
    assert unit.decision == "open"
    assert not unit.is_disagreement
    assert [v.annotators for v in unit.versions] == [tuple(x.annotator_id for x in layers)]


def test_overlap_with_the_same_label_is_partial_and_the_majority_version_leads() -> None:
    ana, ben = layer("ana", at("Dmitry Peskov")), layer("ben", at("Dmitry Peskov"))
    cleo = layer("cleo", at("Peskov"))
    comparison = build_comparison(DOC, TEXT, [ana, ben, cleo])
    unit = only_unit(comparison.span_units)
    assert unit.agreement == "partial"
    first, second = unit.versions
    assert first.annotators == (ana.annotator_id, ben.annotator_id)
    assert TEXT[first.choice.start : first.choice.end] == "Dmitry Peskov"
    assert second.annotators == (cleo.annotator_id,)
    assert unit.version_of(cleo.annotator_id) == 1
    assert comparison.disagreements() == [unit]


def test_some_annotators_exactly_is_partial_and_one_annotator_is_single() -> None:
    layers = [
        layer("ana", at("European soldiers", "ISSUE"), at("Ukraine")),
        layer("ben", at("European soldiers", "ISSUE")),
        layer("cleo"),
    ]
    soldiers, ukraine = build_comparison(DOC, TEXT, layers).span_units
    assert soldiers.agreement == "partial"
    assert ukraine.agreement == "single"


def test_different_labels_and_own_nested_spans_make_separate_units() -> None:
    ana = layer("ana", at("Dmitry Peskov"), at("Peskov"))  # nested, same label, one layer
    ben = layer("ben", at("Dmitry Peskov", "ISSUE"))
    units = build_comparison(DOC, TEXT, [ana, ben]).span_units
    assert len(units) == 3
    assert all(len(u.members) == 1 and u.agreement == "single" for u in units)


def test_one_span_per_annotator_and_overlap_chains_do_not_merge_everything() -> None:
    ana = layer("ana", span(0, 10), span(12, 20))
    ben = layer("ben", span(5, 15))
    units = build_comparison(DOC, TEXT, [ana, ben]).span_units
    assert sorted(len(u.members) for u in units) == [1, 2]
    assert all(len({a for a, _ in u.members}) == len(u.members) for u in units)


def test_differing_actor_links_are_a_disagreement_even_when_extents_agree() -> None:
    actor_a, actor_b = uuid.uuid4(), uuid.uuid4()
    start = TEXT.index("Kremlin")
    layers = [layer("ana", span(start, start + 7, actor=actor_a))]
    layers.append(layer("ben", span(start, start + 7, actor=actor_b)))
    unit = only_unit(build_comparison(DOC, TEXT, layers).span_units)
    assert unit.agreement == "all" and unit.links_differ and unit.is_disagreement


def test_gold_and_rejections_decide_units() -> None:
    ana, ben = layer("ana", at("Kremlin"), at("Ukraine")), layer("ben", at("Kremlin"))
    kremlin, ukraine = ana.spans
    gold = GoldSpanValue(uuid.uuid4(), DOC, kremlin.start, kremlin.end, "ACTOR")
    rejected = Rejection("span", frozenset({str(ukraine.id)}))
    comparison = build_comparison(DOC, TEXT, [ana, ben], [gold], rejections=[rejected])
    first, second = comparison.span_units
    assert (first.decision, first.gold) == ("accepted", (gold,))
    assert second.decision == "rejected"
    assert comparison.disagreements() == []
    assert comparison.counts()["decided"] == 2


def test_stances_group_by_actor_and_issue_with_polarities() -> None:
    actor, issue, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    claim = at("opposed European soldiers", "CLAIM")

    def stance(polarity: str, issue_id: uuid.UUID = issue) -> StanceValue:
        return StanceValue(uuid.uuid4(), actor, issue_id, polarity)

    ana = layer(
        "ana", claim, stances=(StanceValue(uuid.uuid4(), actor, issue, "oppose", (claim.id,)),)
    )
    ben = layer("ben", stances=(stance("support"), stance("oppose", other)))
    cleo = layer("cleo", stances=(stance("oppose", other),))
    units = {u.issue_id: u for u in build_comparison(DOC, TEXT, [ana, ben, cleo]).stance_units}
    assert units[issue].agreement == "conflict"
    assert units[issue].start == claim.start  # placed at its first evidence
    assert units[issue].polarities(ben.annotator_id) == ("support",)
    assert units[other].agreement == "partial"  # same polarity, not everyone
    assert units[other].start == len(TEXT)  # no evidence: after the text
    everyone = [layer(n, stances=(stance("oppose", other),)) for n in ("ana", "ben")]
    agreed = build_comparison(DOC, TEXT, everyone).stance_units[0]
    assert agreed.agreement == "all" and not agreed.is_disagreement
    single = build_comparison(DOC, TEXT, [layer("ana", stances=(stance("mixed"),)), ben])
    assert {u.issue_id: u.agreement for u in single.stance_units}[issue] == "conflict"
    alone = build_comparison(DOC, TEXT, [layer("ana", stances=(stance("mixed"),)), cleo])
    assert {u.issue_id: u.agreement for u in alone.stance_units}[issue] == "single"


def test_stepping_goes_in_reading_order_skips_decided_and_wraps() -> None:
    spans = [at("Kremlin"), at("Dmitry Peskov"), at("Ukraine")]
    ana = layer("ana", *spans)
    ben = layer("ben", spans[0])  # only the Kremlin is agreed
    comparison = build_comparison(DOC, TEXT, [ana, ben])
    kremlin, peskov, ukraine = comparison.span_units
    assert comparison.disagreements() == [peskov, ukraine]
    assert comparison.step(None, 1) is peskov
    assert comparison.step(kremlin.key, 1) is peskov
    assert comparison.step(peskov.key, 1) is ukraine
    assert comparison.step(ukraine.key, 1) is peskov  # wraps round
    assert comparison.step(peskov.key, -1) is ukraine
    rejected = Rejection("span", peskov.ids)
    decided = build_comparison(DOC, TEXT, [ana, ben], rejections=[rejected])
    assert [u.key for u in decided.disagreements()] == [ukraine.key]
    assert decided.step(kremlin.key, 1).key == ukraine.key  # type: ignore[union-attr]


# -- the same on stored layers, both backends ---------------------------------------------


@dataclass
class ReviewData:
    """Three annotators (and a reviewer) who marked one demo article differently."""

    database: Database
    document_id: uuid.UUID
    text: str
    people: dict[str, uuid.UUID] = field(default_factory=dict)
    spans: dict[tuple[str, str], SpanValue] = field(default_factory=dict)
    stores: dict[str, LayerStore] = field(default_factory=dict)


def build_review_data(database: Database, done: bool = True) -> ReviewData:
    """ana, ben, cleo annotate `troops-meridian`; rita is the reviewer.

    Units in reading order: Kremlin (all), the CLAIM (ana only), "European soldiers"
    (ben, cleo), "Dmitry Peskov" (ana, ben; cleo marked "Peskov"), Washington (all).
    Stances: Kremlin opposes foreign troops (all three), Peskov on NATO membership
    (ana oppose, ben support: a conflict).
    """
    load_demo(database)
    with database.sessions.begin() as session:
        document = session.scalars(
            select(Document).where(Document.external_id == "troops-meridian")
        ).one()
        data = ReviewData(database, document.id, document.text)
        for name in ("ana", "ben", "cleo"):
            data.people[name] = annotator_named(session, name).id
        data.people["rita"] = annotator_named(session, "rita", role="reviewer").id
        actor = {a.name: a.id for a in session.scalars(select(Actor))}
        issue = {i.key: i.id for i in session.scalars(select(Issue))}
    stacks = {}
    for name in ("ana", "ben", "cleo"):
        data.stores[name] = LayerStore(database.sessions, document.id, data.people[name])
        stacks[name] = UndoStack(data.stores[name].load())

    def mark(name: str, phrase: str, label: str, actor_id: uuid.UUID | None = None) -> None:
        start = data.text.index(phrase)
        value = SpanValue(uuid.uuid4(), start, start + len(phrase), label, actor_id=actor_id)
        stacks[name].push(AddSpan(value))
        data.spans[name, phrase] = value

    claim = "opposition to any arrangement that would put European soldiers in Ukraine"
    for name in ("ana", "ben", "cleo"):
        mark(name, "Kremlin", "ACTOR", actor["Kremlin"])
        mark(name, "Washington", "ACTOR")
    mark("ana", claim, "CLAIM")
    for name in ("ben", "cleo"):
        mark(name, "European soldiers", "ISSUE")
    for name in ("ana", "ben"):
        mark(name, "Dmitry Peskov", "ACTOR", actor["Dmitry Peskov"])
    mark("cleo", "Peskov", "ACTOR", actor["Dmitry Peskov"])

    def stance(name: str, who: str, key: str, polarity: str, *evidence: str) -> None:
        cited = tuple(data.spans[name, phrase].id for phrase in evidence)
        value = StanceValue(uuid.uuid4(), actor[who], issue[key], polarity, cited)
        stacks[name].push(AddStance(value))

    stance("ana", "Kremlin", "foreign-troops", "oppose", claim)
    stance("ben", "Kremlin", "foreign-troops", "oppose", "European soldiers")
    stance("cleo", "Kremlin", "foreign-troops", "oppose")
    stance("ana", "Dmitry Peskov", "nato-membership", "oppose", "Dmitry Peskov")
    stance("ben", "Dmitry Peskov", "nato-membership", "support")
    if done:
        for store in data.stores.values():
            store.set_status("done")
    return data


@pytest.fixture
def data(db_url: str) -> ReviewData:
    database = open_database(db_url)
    yield build_review_data(database)  # type: ignore[misc]
    database.close()


def test_stored_layers_make_the_expected_units(data: ReviewData) -> None:
    with data.database.sessions() as session:
        comparison = load_comparison(session, data.document_id, data.people["rita"])
    assert [x.name for x in comparison.layers] == ["ana", "ben", "cleo"]
    spans = [(data.text[u.start : u.end], u.agreement) for u in comparison.span_units]
    assert spans == [
        ("Kremlin", "all"),
        ("opposition to any arrangement that would put European soldiers in Ukraine", "single"),
        ("European soldiers", "partial"),
        ("Dmitry Peskov", "partial"),
        ("Washington", "all"),
    ]
    stances = {u.agreement for u in comparison.stance_units}
    assert stances == {"all", "conflict"}
    order = [
        data.text[u.start : u.end] if isinstance(u, SpanUnit) else u.agreement
        for u in comparison.disagreements()
    ]
    assert order == [
        "opposition to any arrangement that would put European soldiers in Ukraine",
        "European soldiers",
        "Dmitry Peskov",
        "conflict",  # the Peskov stance sits at its evidence, after the span unit there
    ]
    assert isinstance(comparison.disagreements()[-1], StanceUnit)


def test_blind_mode_annotator_sees_only_own_layer_until_done(db_url: str) -> None:
    database = open_database(db_url)
    try:
        data = build_review_data(database, done=False)
        ana, ben, rita = data.people["ana"], data.people["ben"], data.people["rita"]
        with database.sessions() as session:
            assert visible_annotators(session, ana, data.document_id) == [ana]
            everyone = visible_annotators(session, rita, data.document_id)
            assert everyone == [data.people[n] for n in ("ana", "ben", "cleo")]
            own = load_comparison(session, data.document_id, ana)
            assert [x.name for x in own.layers] == ["ana"]
            assert all(u.agreement == "single" for u in own.span_units)
            assert review_overview(session, ana) == []
            assert len(review_overview(session, rita)) == 1
        data.stores["ana"].set_status("done")
        with database.sessions() as session:
            assert visible_annotators(session, ana, data.document_id) == everyone
            assert visible_annotators(session, ben, data.document_id) == [ben]
            (overview,) = review_overview(session, ana)
            assert (overview.layers, overview.open) == (3, 4)
        data.stores["cleo"].set_status("skipped")  # opted out: her layer leaves the review
        with database.sessions() as session:
            assert data.people["cleo"] not in visible_annotators(session, rita, data.document_id)
    finally:
        database.close()


def test_comparison_and_gold_import_without_qt() -> None:
    """The review services are shared with the command line: no Qt (DESIGN.md: layers)."""
    code = (
        "import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None\n"
        "import annotator.review.adjudication.comparison, annotator.review.adjudication.gold_review"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
