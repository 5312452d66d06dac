"""The agreement report against values computed by hand on small, constructed projects.

The project (`build_three`) is made with the real services: the demo corpus, annotators
from `annotator_named`, and every span, stance and document label pushed as a command on a
stored layer, as the app does.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from annotator.core.agreement.coefficients import krippendorff_alpha, span_f1, unitized_alpha
from annotator.core.agreement.labels import alpha_with_distance, masi_distance
from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.commands import AddSpan, AddStance, SetDocumentLabel, UndoStack
from annotator.io.demo import load_demo
from annotator.review.agreement.report import (
    SCHEMA_VERSION,
    AgreementCancelled,
    AgreementError,
    AgreementReport,
    agreement_report,
)
from annotator.review.agreement.spans import match_spans
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.models import Actor, Document, GoldSpan, Issue
from annotator.store.project import annotator_named

D1, D2, D3 = "troops-meridian", "troops-ledger", "troops-harbour"  # lengths 1467, 1525, 1559
L1, L2 = 1467, 1525


def layer(database: Database, name: str, document: str, role: str = "annotator") -> UndoStack:
    """An undo stack on the stored layer of `name` in the demo document `document`."""
    with database.sessions.begin() as session:
        annotator = annotator_named(session, name, role=role)
        found = session.scalars(select(Document).where(Document.external_id == document)).one()
    return UndoStack(LayerStore(database.sessions, found.id, annotator.id).load())


def mark(stack: UndoStack, *spans: tuple[int, int, str]) -> None:
    for start, end, label in spans:
        stack.push(AddSpan(SpanValue(uuid.uuid4(), start, end, label)))


def tag(stack: UndoStack, *labels: str) -> None:
    for label in labels:
        stack.push(SetDocumentLabel(label, True))


def ids(database: Database) -> dict[str, uuid.UUID]:
    with database.sessions() as session:
        actors = dict(session.execute(select(Actor.name, Actor.id)).all())
        issues = dict(session.execute(select(Issue.key, Issue.id)).all())
    return {**actors, **issues}


def stance(stack: UndoStack, known: dict[str, uuid.UUID], actor: str, polarity: str) -> None:
    value = StanceValue(uuid.uuid4(), known[actor], known["foreign-troops"], polarity)
    stack.push(AddStance(value))


def build_three(database: Database) -> None:
    """Three annotators on D1 and D2, one on D3; a reviewer and deleted work to ignore."""
    known = ids(database)
    ana, ben, cleo = (layer(database, name, D1) for name in ("ana", "ben", "cleo"))
    mark(ana, (0, 10, "ACTOR"), (20, 40, "CLAIM"), (50, 60, "ISSUE"))
    mark(ben, (0, 10, "ACTOR"), (25, 40, "CLAIM"), (50, 60, "ACTOR"))
    mark(cleo, (0, 10, "ACTOR"), (20, 40, "CLAIM"))
    mark(ana, (300, 320, "CLAIM"))
    ana.undo()  # a soft-deleted span: not counted anywhere
    stance(ana, known, "Dmitry Peskov", "oppose")
    stance(ben, known, "Dmitry Peskov", "oppose")
    stance(cleo, known, "Dmitry Peskov", "support")
    stance(ana, known, "Kremlin", "oppose")
    stance(ben, known, "Kremlin", "support")
    ben.undo()  # a soft-deleted stance
    tag(ana, "news report")
    tag(ben, "news report", "analysis")
    tag(cleo, "analysis")

    ana, ben, cleo = (layer(database, name, D2) for name in ("ana", "ben", "cleo"))
    mark(ana, (100, 110, "ACTOR"))
    mark(ben, (100, 110, "ACTOR"), (200, 220, "CLAIM"))
    stance(ana, known, "Dmitry Peskov", "support")
    stance(ben, known, "Dmitry Peskov", "support")
    for stack in (ana, ben, cleo):
        tag(stack, "opinion")  # cleo's only mark in D2: a layer without spans

    mark(layer(database, "ana", D3), (0, 5, "ACTOR"))  # nobody else: not compared
    mark(layer(database, "rita", D1, role="reviewer"), (0, 99, "CLAIM"))  # not an annotator


@pytest.fixture
def project(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    load_demo(database)
    build_three(database)
    yield database
    database.close()


def test_span_f1_per_pair_and_label(project: Database) -> None:
    report = agreement_report(project)
    assert report.annotators == ("ana", "ben", "cleo")  # the reviewer rita is left out
    assert report.labels == ("ACTOR", "ISSUE", "CLAIM")  # schema order
    assert (report.documents_considered, report.documents_paired) == (8, 2)
    assert report.documents_all_annotators == 2
    assert report.spans == {"ana": 4, "ben": 5, "cleo": 2}  # the deleted span is not there
    pairs = {(p.a, p.b): p for p in report.span_f1.pairs}
    # ana-ben. D1: ACTOR 0-10 on both (exact); CLAIM 20-40 vs 25-40 overlaps only; 50-60 is
    # ISSUE vs ACTOR (no match). D2: ACTOR 100-110 exact; ben's CLAIM alone.
    # spans 4 and 5, exact 2, overlap 3: F1 exact = 4/9, overlap = 6/9.
    ab = pairs["ana", "ben"]
    assert (ab.documents, ab.spans_a, ab.spans_b) == (2, 4, 5)
    assert (ab.matches_exact, ab.matches_overlap) == (2, 3)
    assert ab.exact == pytest.approx(4 / 9) and ab.overlap == pytest.approx(6 / 9)
    # ana-cleo: D1 ACTOR and CLAIM identical; ana's ISSUE and her D2 ACTOR unmatched.
    # spans 4 and 2, 2 matches either way: 4/6.
    ac = pairs["ana", "cleo"]
    assert (ac.spans_a, ac.spans_b, ac.matches_exact, ac.matches_overlap) == (4, 2, 2, 2)
    assert ac.exact == pytest.approx(2 / 3) and ac.overlap == pytest.approx(2 / 3)
    # ben-cleo: ACTOR 0-10 exact, CLAIM 25-40 vs 20-40 overlap; spans 5 and 2: 2/7 and 4/7.
    bc = pairs["ben", "cleo"]
    assert (bc.spans_a, bc.spans_b, bc.matches_exact, bc.matches_overlap) == (5, 2, 1, 2)
    assert report.span_f1.exact == pytest.approx((4 / 9 + 2 / 3 + 2 / 7) / 3)
    assert report.span_f1.overlap == pytest.approx((2 / 3 + 2 / 3 + 4 / 7) / 3)

    # Per label. ACTOR: ana 2, ben 3, cleo 1 spans; ana-ben match twice: 4/5; ana-cleo once:
    # 2/3; ben-cleo once: 2/4.
    actor = {(p.a, p.b): p for p in report.span_f1_per_label["ACTOR"].pairs}
    assert [actor[pair].exact for pair in actor] == pytest.approx([4 / 5, 2 / 3, 1 / 2])
    # CLAIM: ana-ben 1 and 2 spans, overlap only: 0 and 2/3; ana-cleo identical: 1;
    # ben-cleo 2 and 1 spans, overlap only: 0 and 2/3.
    claim = report.span_f1_per_label["CLAIM"]
    assert [p.exact for p in claim.pairs] == pytest.approx([0, 1, 0])
    assert [p.overlap for p in claim.pairs] == pytest.approx([2 / 3, 1, 2 / 3])
    # ISSUE: only ana used it; ben-cleo have no ISSUE span at all, so their F1 is undefined.
    issue = report.span_f1_per_label["ISSUE"]
    assert [p.exact for p in issue.pairs] == [0.0, 0.0, None]
    assert issue.exact == 0.0


def test_label_confusion_matches_spans_by_overlap_whatever_the_label(project: Database) -> None:
    confusion = agreement_report(project).confusion
    assert confusion.labels == ("ACTOR", "ISSUE", "CLAIM")
    # ana-ben: ACTOR/ACTOR twice, CLAIM/CLAIM (20-40 ~ 25-40), ISSUE/ACTOR (50-60), and
    # ben's D2 CLAIM against none.
    # ana-cleo: ACTOR/ACTOR, CLAIM/CLAIM; ana's ISSUE and her D2 ACTOR against none.
    # ben-cleo: ACTOR/ACTOR, CLAIM/CLAIM; ben's ACTOR 50-60, D2 ACTOR and D2 CLAIM alone.
    # Symmetric (issue 17: the alphabetically first annotator's rows made it lopsided):
    # ISSUE/ACTOR once, in both cells; last row and column: no matching span (ACTOR 3,
    # ISSUE 1, CLAIM 2, whoever's).
    assert confusion.matrix == (
        (4, 1, 0, 3),
        (1, 0, 0, 1),
        (0, 0, 3, 2),
        (3, 1, 2, 0),
    )
    assert all(confusion.matrix[i][j] == confusion.matrix[j][i] for i in range(4) for j in range(4))
    first = confusion.pairs[0]
    assert (first.a, first.b) == ("ana", "ben")
    assert first.matrix == ((2, 0, 0, 0), (1, 0, 0, 0), (0, 0, 1, 0), (0, 0, 1, 0))
    assert confusion.matched == 8


def test_unitized_alpha_per_document_and_pooled(project: Database) -> None:
    report = agreement_report(project)
    unitized = report.unitized_2016
    by_id = {document.external_id: document for document in unitized.documents}
    assert set(by_id) == {D1, D2}
    d2 = by_id[D2]
    assert d2.annotators == ("ana", "ben", "cleo") and d2.spans == 3
    # D2, m = 3 coders on L = 1525, l.. = 3L = 4575. ana and ben mark ACTOR 100-110, ben
    # CLAIM 200-220, cleo nothing. uα = 1 − O(l..² − Λ) / ((m−1) l.. (l..² − Σ_c l_c²)):
    # O (ordered coder pairs that differ, over positions): 100-110: 9 − (2² + 1²) = 4 per
    # position, 40; 200-220: 4 per position, 80; O = 120.
    # Λ = unit lengths squared (100 + 100 + 400) + gap length (4575 − 40 = 4535) = 5135.
    # Σ l_c² = 20² (ACTOR) + 20² (CLAIM) + 4535² (gap).
    total = 3 * L2
    expected = 1 - 120 * (total**2 - 5135) / (2 * total * (total**2 - (400 + 400 + 4535**2)))
    assert d2.overall == pytest.approx(expected)
    # ACTOR alone: O = 40, Λ = 200 + 4555 (gap), Σ l_c² = 20² + 4555².
    expected = 1 - 40 * (total**2 - 4755) / (2 * total * (total**2 - (400 + 4555**2)))
    assert d2.per_label["ACTOR"] == pytest.approx(expected)
    assert set(d2.per_label) == {"ACTOR", "CLAIM"}  # labels that occur in D2

    # Pooled: D1 then D2 laid end to end (documents in id order); the same as uα of that one
    # continuum, computed directly.
    d1_units = [
        ("ana", 0, 10, "ACTOR"),
        ("ana", 20, 40, "CLAIM"),
        ("ana", 50, 60, "ISSUE"),
        ("ben", 0, 10, "ACTOR"),
        ("ben", 25, 40, "CLAIM"),
        ("ben", 50, 60, "ACTOR"),
        ("cleo", 0, 10, "ACTOR"),
        ("cleo", 20, 40, "CLAIM"),
    ]
    d2_units = [("ana", 100, 110, "ACTOR"), ("ben", 100, 110, "ACTOR"), ("ben", 200, 220, "CLAIM")]
    first, second = sorted([(by_id[D1].id, d1_units, L1), (d2.id, d2_units, L2)])
    pooled_units = [*first[1], *((a, s + first[2], e + first[2], b) for a, s, e, b in second[1])]
    coders = ("ana", "ben", "cleo")
    direct = unitized_alpha(pooled_units, 0, L1 + L2, annotators=coders, variant="2016")
    assert unitized.pooled == pytest.approx(direct.overall)
    assert unitized.pooled_per_label == pytest.approx(
        {label: direct.per_label[label] for label in ("ACTOR", "ISSUE", "CLAIM")}
    )
    assert unitized.pooled_documents == 2
    assert unitized.mean == pytest.approx((by_id[D1].overall + d2.overall) / 2)  # type: ignore[operator]
    assert unitized.mean_per_label["ISSUE"] == by_id[D1].per_label["ISSUE"]  # only D1 has it
    # The headline αU (Krippendorff 2004) pools the same way: exactly the concatenation's.
    alpha_u = unitized_alpha(pooled_units, 0, L1 + L2, annotators=coders)
    assert report.unitized.variant == "2004" and report.unitized.pooled == alpha_u.overall
    assert report.unitized.pooled_per_label == {
        label: alpha_u.per_label[label] for label in ("ACTOR", "ISSUE", "CLAIM")
    }
    each = {document.external_id: document.overall for document in report.unitized.documents}
    assert each[D2] == unitized_alpha(d2_units, 0, L2, annotators=coders).overall


def test_stance_alpha(project: Database) -> None:
    stances = agreement_report(project).stances
    # Units (document, actor, issue): D1 Peskov: ana oppose, ben oppose, cleo support;
    # D1 Kremlin: ana oppose only (ben's was deleted) - not pairable; D2 Peskov: ana and ben
    # support. Coincidences: D1 Peskov (m = 3, pairs weighted 1/2): o_oo = 1, o_os = o_so = 1;
    # D2 (m = 2): o_ss = 2. n_oppose = 2, n_support = 3, n = 5.
    # alpha = 1 − (n − 1)(o_os + o_so) / (n² − Σ n_c²) = 1 − 4 · 2 / (25 − 13) = 1/3.
    assert stances.alpha == pytest.approx(1 / 3)
    assert (stances.units, stances.pairable_units, stances.stances) == (3, 2, 6)
    assert stances.polarities == {"oppose": 3, "support": 3}


def test_document_label_kappa(project: Database) -> None:
    labels = agreement_report(project).document_labels
    assert labels.labels == ("news report", "analysis", "opinion")  # used ones, schema order
    # Labels given: ana D1 {news report} D2 {opinion}; ben D1 {news report, analysis}
    # D2 {opinion}; cleo D1 {analysis} D2 {opinion}. Per pair and label, present/absent on
    # the 2 documents the pair shares (never on labels or documents the pair did not share):
    # ana-ben: news report both/neither κ 1; analysis only ben/neither: p_o 1/2, p_e 1/2, κ 0;
    # opinion κ 1: mean 2/3. ana-cleo: 0, 0, 1: 1/3. ben-cleo: 0, 1, 1: 2/3.
    pairs = {(p.a, p.b): p for p in labels.pairs}
    analysis = pairs["ana", "ben"].per_label["analysis"]
    assert (analysis.both, analysis.only_a, analysis.only_b, analysis.neither) == (0, 0, 1, 1)
    assert analysis.kappa == 0.0
    # Gwet's AC1 there: π_present = 1/4, p_e = 2·(1/4)(3/4) = 3/8: (1/2 − 3/8)/(5/8) = 1/5.
    assert analysis.ac1 == pytest.approx(1 / 5)
    assert [p.kappa for p in labels.pairs] == pytest.approx([2 / 3, 1 / 3, 2 / 3])
    assert labels.mean == pytest.approx(5 / 9)
    # Fleiss per label, 2 documents x 3 raters: news report [2, 1], [0, 3]: P̄ = 2/3,
    # P_e = 5/9, κ = 1/4; analysis likewise; opinion [0, 3], [3, 0]: κ = 1. Mean 1/2.
    assert labels.fleiss_per_label == pytest.approx(
        {"news report": 1 / 4, "analysis": 1 / 4, "opinion": 1.0}
    )
    assert labels.fleiss == pytest.approx(1 / 2) and labels.fleiss_documents == 2
    # Alpha per label (binary) and with MASI on the label sets, as computed directly.
    present = {
        "news report": [[True, False], [True, False], [False, False]],
        "analysis": [[False, False], [True, False], [True, False]],
    }
    for label, data in present.items():
        assert labels.alpha_per_label[label] == pytest.approx(krippendorff_alpha(data))
    sets = [
        [frozenset({"news report"}), frozenset({"opinion"})],
        [frozenset({"news report", "analysis"}), frozenset({"opinion"})],
        [frozenset({"analysis"}), frozenset({"opinion"})],
    ]
    assert labels.alpha_masi == pytest.approx(alpha_with_distance(sets, masi_distance))
    assert labels.alpha_documents == 2


def test_filters_label_story_and_annotators(project: Database) -> None:
    claim = agreement_report(project, label="CLAIM")
    assert claim.labels == ("CLAIM",) and claim.documents_paired == 2  # layers still count
    assert claim.span_f1.exact == pytest.approx((0 + 1 + 0) / 3)
    assert claim.confusion.labels == ("CLAIM",)
    # ana-ben CLAIM~CLAIM + ben's D2 CLAIM; ana-cleo CLAIM~CLAIM; ben-cleo CLAIM~CLAIM + D2.
    assert claim.confusion.matrix == ((3, 2), (2, 0))
    assert claim.stances.alpha == pytest.approx(1 / 3)  # stances are not label-filtered

    story = agreement_report(project, story="nato-troops")
    assert (story.documents_considered, story.documents_paired) == (3, 2)
    other = agreement_report(project, story="territory")
    assert other.documents_paired == 0 and other.span_f1.exact is None
    assert any("none of the 3 documents" in note for note in other.notes)

    two = agreement_report(project, annotators=["cleo", "ana"])
    assert two.annotators == ("ana", "cleo")
    assert two.span_f1.exact == pytest.approx(2 / 3)
    assert two.document_labels.fleiss is None
    assert any("Fleiss" in note for note in two.notes)
    with_reviewer = agreement_report(project, annotators=["ana", "rita"])
    assert with_reviewer.annotators == ("ana", "rita") and with_reviewer.documents_paired == 1


def test_progress_is_reported_per_page(project: Database) -> None:
    heard: list[tuple[int, int, str]] = []
    agreement_report(project, progress=lambda done, total, what: heard.append((done, total, what)))
    assert heard == [(8, 8, "comparing annotators"), (8, 8, "pooling the corpus")]
    with pytest.raises(AgreementCancelled):
        agreement_report(project, cancelled=lambda: True)


def _without_time(report: AgreementReport) -> dict[str, object]:
    found = report.as_json()
    found.pop("generated_at")
    return found


@pytest.mark.parametrize(
    "options", [{}, {"label": "CLAIM"}, {"story": "nato-troops"}, {"annotators": ["ben", "ana"]}]
)
def test_worker_processes_count_exactly_what_one_process_counts(
    project: Database, options: dict[str, Any]
) -> None:
    # Slices of one document each, over two processes: every merge path is taken.
    alone = agreement_report(project, workers=1, **options)
    shared = agreement_report(project, workers=2, **options)
    assert _without_time(shared) == _without_time(alone)
    assert alone.documents_paired > 0


def test_worker_processes_report_progress_and_can_be_cancelled(project: Database) -> None:
    heard: list[tuple[int, int, str]] = []
    agreement_report(
        project, workers=2, progress=lambda done, total, what: heard.append((done, total, what))
    )
    done = [step[0] for step in heard if step[2] == "comparing annotators"]
    assert done == sorted(done) and done[-1] == 8  # grows to every document, never back
    assert heard[-1] == (8, 8, "pooling the corpus")
    asked = 0

    def cancel_on_second_look() -> bool:
        nonlocal asked
        asked += 1
        return asked > 1

    with pytest.raises(AgreementCancelled):
        agreement_report(project, workers=2, cancelled=cancel_on_second_look)
    assert not multiprocessing.active_children()  # stopped, not left counting


def test_a_worker_process_that_dies_is_an_error_not_a_hang(project: Database) -> None:
    killed: list[int] = []

    def kill_the_workers() -> bool:  # asked while the report waits for its first slice
        if not killed:
            for child in multiprocessing.active_children():
                child.kill()
                killed.append(child.pid or 0)
        return False

    with pytest.raises(AgreementError, match="stopped unexpectedly"):
        agreement_report(project, workers=2, cancelled=kill_the_workers)
    assert killed
    assert not multiprocessing.active_children()  # none left behind


def test_a_worker_that_cannot_open_the_project_says_why() -> None:
    from annotator.review.agreement import report as module

    work = module._Work("/nowhere/at/all.sqlite", {}, ("ana", "ben"), None, None)
    with pytest.raises(AgreementError, match=r"could not open the project: .*no such database"):
        module._tally_in_processes(work, [], 1, 10, None, None)
    assert not multiprocessing.active_children()


def test_only_the_app_and_command_line_ask_for_worker_processes(
    project: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library caller gets one process unless it asks: spawned workers re-import the
    calling script, which an unguarded script cannot bear."""
    from annotator.review.agreement import report as module

    asked: list[int] = []
    monkeypatch.setattr(module, "PARALLEL_FROM", 1)  # this small project counts as large
    monkeypatch.setattr(module, "_tally_in_processes", lambda *a: asked.append(a[2]) or 1 / 0)
    agreement_report(project)  # the default: in this process
    assert asked == []
    with pytest.raises(ZeroDivisionError):
        agreement_report(project, workers=None)
    assert asked and asked[0] >= 1


def test_small_and_in_memory_projects_stay_in_one_process(tmp_path: Path) -> None:
    from annotator.review.agreement import report as module

    memory = open_database("sqlite://")
    on_disk = open_database(str(tmp_path / "p.sqlite"))
    try:
        assert module._jobs(memory, 10**6, None) == 1  # other processes cannot see it
        assert module._jobs(on_disk, module.PARALLEL_FROM - 1, None) == 1
        assert module._jobs(on_disk, 3, 8) == 3  # never more workers than documents
    finally:
        memory.close()
        on_disk.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"label": "NOPE"}, "no span label 'NOPE'"),
        ({"story": "nope"}, "no documents in story 'nope'"),
        ({"annotators": ["ana", "zed"]}, "no annotator named 'zed'"),
    ],
)
def test_unknown_names_are_one_line_errors(
    project: Database, options: dict[str, object], message: str
) -> None:
    with pytest.raises(AgreementError, match=message) as caught:
        agreement_report(project, **options)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------------------------
# Degenerate projects: values are None, notes say why, nothing raises.


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    yield database
    database.close()


def test_no_annotators(demo: Database) -> None:
    report = agreement_report(demo)
    assert report.annotators == () and report.documents_paired == 0
    assert report.span_f1.exact is None and report.unitized.pooled is None
    assert report.stances.alpha is None and report.document_labels.fleiss is None
    assert report.notes[0].startswith("fewer than two annotators")
    json.dumps(report.as_json())


def test_one_annotator(demo: Database) -> None:
    mark(layer(demo, "ana", D1), (0, 10, "ACTOR"))
    report = agreement_report(demo)
    assert report.annotators == ("ana",) and report.documents_paired == 0
    assert "only 'ana'" in report.notes[0]
    assert report.labels == () and report.confusion.matrix == ((0,),)  # just "none"


def test_annotators_on_different_documents(demo: Database) -> None:
    mark(layer(demo, "ana", D1), (0, 10, "ACTOR"))
    mark(layer(demo, "ben", D2), (0, 10, "ACTOR"))
    report = agreement_report(demo)
    assert report.documents_paired == 0 and report.span_f1.pairs == ()
    assert report.unitized.documents == () and report.unitized.pooled is None
    assert any("none of the 8 documents" in note for note in report.notes)


def test_layers_without_spans_or_stances(demo: Database) -> None:
    for name in ("ana", "ben"):
        layer(demo, name, D1).layer.backend.set_status("done")  # type: ignore[attr-defined]
    report = agreement_report(demo)
    assert report.documents_paired == 1
    assert report.span_f1.exact is None and report.span_f1.pairs[0].documents == 1
    # Nobody marked anything: one value (gap) everywhere, 0/0: undefined, not agreement.
    assert report.unitized.documents[0].overall is None
    assert report.unitized_2016.documents[0].overall is None
    assert report.stances.alpha is None and report.document_labels.mean is None
    notes = " | ".join(report.notes)
    assert "no spans" in notes and "no stances" in notes and "no document labels" in notes


def test_same_label_overlaps_of_one_annotator_are_merged(demo: Database) -> None:
    mark(layer(demo, "ana", D1), (0, 10, "ACTOR"), (5, 15, "ACTOR"))
    mark(layer(demo, "ben", D1), (0, 15, "ACTOR"))
    report = agreement_report(demo)
    assert report.unitized.documents[0].overall == 1.0  # 0-10 ∪ 5-15 is ben's 0-15
    assert report.span_f1.pairs[0].matches_overlap == 1  # F1 still sees two spans
    assert any("were merged" in note for note in report.notes)


def test_json_keys_and_types_are_stable(project: Database) -> None:
    data = json.loads(json.dumps(agreement_report(project).as_json()))
    assert data["schema_version"] == SCHEMA_VERSION == 2
    assert list(data) == [
        "schema_version",
        "generated_at",
        "tool",
        "filters",
        "annotators",
        "labels",
        "documents",
        "spans",
        "span_f1",
        "unitized_alpha",
        "unitized_alpha_2016",
        "annotator_figures",
        "stance_alpha",
        "document_label_kappa",
        "confusion",
        "notes",
    ]
    assert data["filters"] == {"label": None, "story": None, "annotators": None}
    assert set(data["documents"]) == {"considered", "paired", "all_annotators"}
    assert set(data["span_f1"]) == {"overall", "per_label"}
    overall = data["span_f1"]["overall"]
    assert set(overall) == {"exact", "overlap", "pairs"}
    assert set(overall["pairs"][0]) == {
        "a",
        "b",
        "documents",
        "spans_a",
        "spans_b",
        "matches_exact",
        "matches_overlap",
        "exact",
        "overlap",
    }
    for key, variant in (("unitized_alpha", "2004"), ("unitized_alpha_2016", "2016")):
        assert set(data[key]) == {"variant", "citation", "pooled", "document_mean", "documents"}
        assert data[key]["variant"] == variant and "Krippendorff" in data[key]["citation"]
        assert set(data[key]["pooled"]) == {"overall", "interval", "per_label", "documents"}
    document = data["unitized_alpha"]["documents"][0]
    assert set(document) == {
        "id",
        "external_id",
        "title",
        "story",
        "annotators",
        "spans",
        "overall",
        "per_label",
    }
    assert isinstance(document["overall"], float) and uuid.UUID(document["id"])
    assert set(data["stance_alpha"]) == {
        "alpha",
        "interval",
        "units",
        "pairable_units",
        "stances",
        "polarities",
    }
    assert set(data["document_label_kappa"]) == {
        "labels",
        "mean",
        "pairs",
        "fleiss",
        "fleiss_per_label",
        "fleiss_documents",
        "alpha_per_label",
        "alpha_masi",
        "alpha_documents",
    }
    pair = data["document_label_kappa"]["pairs"][0]
    assert set(pair) == {"a", "b", "documents", "kappa", "ac1", "per_label"}
    assert set(pair["per_label"]["opinion"]) == {
        "both", "only_a", "only_b", "neither", "kappa", "kappa_se", "ac1"
    }  # fmt: skip
    assert data["confusion"]["labels"] == ["ACTOR", "ISSUE", "CLAIM", None]
    assert all(isinstance(v, int) for row in data["confusion"]["matrix"] for v in row)
    assert isinstance(data["notes"], list)


# --------------------------------------------------------------------------------------------
# The one-pass matching the report uses instead of one span_f1 call per label and pair.

spans_strategy = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from("ABC")).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=12,
)


@given(spans_strategy, spans_strategy)
def test_one_pass_matching_counts_what_span_f1_counts(
    a: list[tuple[int, int, str]], b: list[tuple[int, int, str]]
) -> None:
    a, b = sorted(a), sorted(b)
    matches = match_spans(a, b)
    for label in "ABC":
        mine = [span for span in a if span[2] == label]
        theirs = [span for span in b if span[2] == label]
        assert matches.exact[label] == span_f1(mine, theirs, "exact").true_positives
        assert matches.overlap[label] == span_f1(mine, theirs, "overlap").true_positives
    # The confusion counts every span once: matched pairs, and the rest against None.
    confusion = matches.confusion
    assert sum(n for (x, _), n in confusion.items() if x is not None) == len(a)
    assert sum(n for (_, y), n in confusion.items() if y is not None) == len(b)


def test_confusion_matching_prefers_the_largest_overlap_then_the_same_label() -> None:
    # a: CLAIM 0-20 with ACTOR 0-5 inside; b: the same two spans. Largest overlap first
    # pairs the CLAIMs (20); then ACTOR a / ACTOR b (5) wins the tie with ACTOR a / CLAIM b
    # (CLAIM b is taken anyway) - both nested spans find their own kind.
    a = [(0, 5, "ACTOR"), (0, 20, "CLAIM")]
    confusion = match_spans(a, list(a)).confusion
    assert confusion == {("ACTOR", "ACTOR"): 1, ("CLAIM", "CLAIM"): 1}
    # Equal overlaps: b's ACTOR 2-7 overlaps a's ISSUE 0-5 and ACTOR 4-9 by 3 each; the
    # same label goes first, so ISSUE is left without a match.
    a = [(0, 5, "ISSUE"), (4, 9, "ACTOR")]
    confusion = match_spans(a, [(2, 7, "ACTOR")]).confusion
    assert confusion == {("ACTOR", "ACTOR"): 1, ("ISSUE", None): 1}


def test_report_html_and_command_import_without_qt() -> None:
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        "import annotator.review.agreement.report, annotator.review.agreement.html\n"
        "import annotator.cli.agreement\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6') and sys.modules[m]]\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_each_annotator_against_the_others_and_against_gold(project: Database) -> None:
    assert all(figure.gold is None for figure in agreement_report(project).annotator_figures)
    with project.sessions.begin() as session:
        d1 = session.scalars(select(Document.id).where(Document.external_id == D1)).one()
        for start, end, label in ((0, 10, "ACTOR"), (20, 40, "CLAIM"), (50, 60, "ISSUE")):
            session.add(GoldSpan(document_id=d1, start=start, end=end, label=label))
    report = agreement_report(project)
    figures = {figure.name: figure for figure in report.annotator_figures}
    assert set(figures) == {"ana", "ben", "cleo"}  # the reviewer is not compared
    # Against gold on D1: ana matches all three; ben 0-10 exactly and 25-40 ~ 20-40 by
    # overlap (his 50-60 is ACTOR, gold ISSUE); cleo two of three, both exact.
    ana, ben, cleo = (figures[name].gold for name in ("ana", "ben", "cleo"))
    assert ana is not None and ben is not None and cleo is not None
    assert (ana.documents, ana.gold_spans, ana.spans, ana.matches_exact) == (1, 3, 3, 3)
    assert ana.f1_exact == 1.0
    assert (ben.matches_exact, ben.matches_overlap) == (1, 2)
    assert ben.as_json()["overlap"] == {
        "matches": 2, "precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3
    }  # fmt: skip
    assert cleo.as_json()["exact"]["precision"] == 1.0
    assert cleo.as_json()["exact"]["recall"] == pytest.approx(2 / 3)
    assert cleo.f1_exact == pytest.approx(0.8)
    # Against the others: the pair counts summed over the pairs the annotator is in.
    pairs = [p for p in report.span_f1.pairs if "ana" in (p.a, p.b)]
    spans = sum(p.spans_a + p.spans_b for p in pairs)
    assert figures["ana"].overlap_f1 == pytest.approx(
        2 * sum(p.matches_overlap for p in pairs) / spans
    )
    kappas = [p.kappa for p in report.document_labels.pairs if "ana" in (p.a, p.b)]
    assert figures["ana"].label_kappa == pytest.approx(sum(kappas) / len(kappas))  # type: ignore[arg-type]


# ana / cleo: D1 Peskov oppose against support; D1 Kremlin and D2 Peskov ana's alone.
STANCE_ROWS = [
    ("only ana", "Dmitry Peskov on Foreign troop presence"),
    ("only ana", "Kremlin on Foreign troop presence"),
    ("oppose / support", "Dmitry Peskov on Foreign troop presence"),
]


def test_the_disagreements_behind_the_figures(project: Database) -> None:
    from annotator.review.agreement.disagreements import disagreements

    # D1, ana / ben: ACTOR 0-10 agreed; CLAIM 20-40 vs 25-40 (boundaries); ISSUE vs ACTOR
    # at 50-60. D2: ben's CLAIM 200-220 alone.
    found = disagreements(project, pair=("ana", "ben"))
    kinds = sorted((row.start, row.end, row.kind) for row in found.rows)  # documents: id order
    assert kinds == [
        (20, 40, "boundaries (CLAIM)"),
        (50, 60, "ISSUE / ACTOR"),
        (200, 220, "only ben (CLAIM)"),
    ]
    assert found.total == 3
    # Overlap F1 does not count boundaries; a confusion cell lists only its two labels.
    overlap = disagreements(project, pair=("ana", "ben"), exact=False)
    assert sorted(row.kind for row in overlap.rows) == ["ISSUE / ACTOR", "only ben (CLAIM)"]
    cell = disagreements(project, labels=("ISSUE", "ACTOR"))
    assert [(row.a, row.b, row.kind) for row in cell.rows] == [("ana", "ben", "ISSUE / ACTOR")]
    stances = disagreements(project, about="stances", pair=("ana", "cleo"))
    assert sorted((row.kind, row.detail) for row in stances.rows) == STANCE_ROWS
    labels = disagreements(project, about="labels", pair=("ana", "cleo"))
    assert sorted((row.kind, row.detail) for row in labels.rows) == [
        ("only ana", "news report"),
        ("only cleo", "analysis"),
    ]


def test_every_json_key_is_documented(project: Database) -> None:
    """`annotator agreement --json` is documented field by field in the report module."""
    import annotator.review.agreement.report as module

    documented = module.__doc__ or ""
    data = json.loads(json.dumps(agreement_report(project).as_json()))

    def keys(value: object) -> set[str]:
        found: set[str] = set()
        if isinstance(value, dict):
            for key, child in value.items():
                if key not in data["labels"] and key not in data["annotators"]:
                    found.add(key)
                if key not in ("per_label", "spans", "polarities", "fleiss_per_label"):
                    found |= keys(child)
        elif isinstance(value, list):
            for child in value:
                found |= keys(child)
        return found

    labels = set(data["document_label_kappa"]["labels"])
    missing = {key for key in keys(data) - labels if not re.search(rf"\b{key}\b", documented)}
    assert missing == set()
