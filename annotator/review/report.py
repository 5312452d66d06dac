"""The agreement report: how far annotators agree, measured from the project database.

`agreement_report(database)` compares the annotators' live layers (soft-deleted spans and
stances are ignored) on every document that at least two of them have a layer on; a layer
is any live span, live stance, document label or status row. Reviewers (role "reviewer")
are left out unless named in `annotators`. The maths is `annotator.review.agreement`.

Measures:

* Span F1 per annotator pair, "exact" (same start, end and label) and "overlap" (same label,
  at least one shared character, matched one-to-one), micro-averaged over the documents
  both annotators worked on (F1 = 2·matches / (spans of a + spans of b), summed over
  documents), then averaged over the pairs. Overall and per label. A pair's F1 is undefined
  (null) when neither of the two marked a span (of that label); means skip nulls.
* Unitized alpha (uα, Krippendorff et al. 2016) per document, overall and per label. Spans
  of one label by one annotator that overlap are merged into one unit first (uα allows
  no such overlap). **Pooled**: the documents are laid end to end as one continuum
  (document k's offsets shifted by the lengths of documents 0..k−1, in id order) and uα is
  computed once over it; this weights documents by length and lets chance agreement come
  from the whole corpus, as one alpha over all units would. uα needs every coder on the
  whole continuum, so the pooled value uses the documents on which *all* compared
  annotators have a layer; the mean of the per-document values covers the others.
* Stance alpha: nominal Krippendorff's alpha on the polarity of (document, actor, issue)
  units; an annotator with no stance for a unit is missing (None), not disagreeing.
  Several polarities from one annotator for one unit form one combined value
  ("oppose+support").
* Document labels: each (document, document label) is a binary unit, present or absent,
  for every document label that a compared annotator gave in a compared document;
  Cohen's kappa per pair over the documents both worked on, Fleiss' kappa over the
  documents all annotators worked on when there are three or more.
* Label confusion: for each pair and document, spans are matched one-to-one by overlap
  whatever their labels (largest overlap first; on a tie a pair of the same label, then
  earlier spans); a matched pair counts in (label of a, label of b), an unmatched span
  against "none".

`--label L` (`label=`) keeps only spans of L for the span measures (layers still count
from any span); stances and document labels are not filtered by it. `story=` keeps the
documents of one story.

JSON (`AgreementReport.as_json()`, schema_version 1). Floats are unrounded, and null when
undefined; `notes` says why. Pairs are alphabetical (a < b), listed only when the two
annotators share a document. New keys may be added without a version bump.

    schema_version            1; bumped when a key changes meaning or disappears
    generated_at              ISO 8601 time (UTC) the report was made
    tool                      {"name": "annotator", "version": str}
    filters                   {"label": str|null, "story": str|null, "annotators": [str]|null}
    annotators                [str] the annotators compared, alphabetical
    labels                    [str] span labels compared (schema order, then others)
    documents.considered      int documents in the filter
    documents.paired          int of those, documents with layers of two or more annotators
    documents.all_annotators  int of those, documents with layers of every annotator
    spans                     {annotator: int} live spans (label filter applied) in the
                              paired documents
    span_f1.overall           F1 summary over all labels:
        .exact, .overlap        float|null, mean over pairs of the pairs' F1
        .pairs                  [{"a", "b", "documents": int both worked on, "spans_a",
                                  "spans_b", "matches_exact", "matches_overlap": int,
                                  "exact", "overlap": float|null}]
    span_f1.per_label         {label: F1 summary as above, for that label's spans only}
    unitized_alpha.pooled     {"overall": float|null, "per_label": {label: float|null},
                               "documents": int in the pooled continuum}
    unitized_alpha.document_mean
                              {"overall": float|null, "per_label": {label: float|null}}
                              mean of per-document values (per label: over documents
                              where the label occurs)
    unitized_alpha.documents  [{"id": str (UUID), "external_id": str|null, "title": str,
                                "story": str|null, "annotators": [str], "spans": int,
                                "overall": float|null, "per_label": {label: float}}]
                              one per paired document, in id order; per_label lists the
                              labels occurring in that document
    stance_alpha              {"alpha": float|null, "units": int (document, actor, issue)
                               units, "pairable_units": int with two or more annotators'
                               stances, "stances": int, "polarities": {polarity: int}}
    document_label_kappa      {"labels": [str] compared, "mean": float|null over pairs,
                               "pairs": [{"a", "b", "documents", "units", "both", "only_a",
                                          "only_b": int, "kappa": float|null}],
                               "fleiss": float|null, "fleiss_documents": int}
                              units = documents x labels; both / only_a / only_b count the
                              units where the label was given by both / a alone / b alone
    confusion                 {"labels": [str..., null], "matrix": [[int]],
                               "pairs": [{"a", "b", "matrix": [[int]]}]}
                              rows: the pair's first annotator, columns: its second; the
                              last row/column (label null) is "no matching span"; the
                              overall matrix is the sum over pairs
    notes                     [str] why a value is null, what was merged or left out
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.review.report_layers import LabelTally, StanceTally
from annotator.review.report_reading import (
    annotator_ids,
    count_documents,
    label_and_story_names,
    label_in_use,
    read_pages,
    story_exists,
)
from annotator.review.report_spans import SpanTally
from annotator.review.report_types import (
    SCHEMA_VERSION,
    AgreementReport,
    Confusion,
    DocumentAlpha,
    DocumentLabelAgreement,
    F1Summary,
    PairConfusion,
    PairF1,
    PairKappa,
    StanceAgreement,
    UnitizedSummary,
)
from annotator.store.database import Database
from annotator.store.project import active_schema

__all__ = [
    "SCHEMA_VERSION",
    "AgreementCancelled",
    "AgreementError",
    "AgreementReport",
    "Confusion",
    "DocumentAlpha",
    "DocumentLabelAgreement",
    "F1Summary",
    "PairConfusion",
    "PairF1",
    "PairKappa",
    "Progress",
    "StanceAgreement",
    "UnitizedSummary",
    "agreement_choices",
    "agreement_report",
]


Progress = Callable[[int, int, str], None]  # documents done, documents in all, what


class AgreementError(AnnotatorError):
    """The report cannot be made as asked (an unknown label, story, annotator or path)."""


class AgreementCancelled(AgreementError):
    """The person stopped the report before it was done."""


def agreement_report(
    database_or_session_factory: Database | sessionmaker[Session],
    *,
    label: str | None = None,
    story: str | None = None,
    annotators: Sequence[str] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AgreementReport:
    """Measure agreement between annotators (see the module docstring for what and how).

    `label` keeps only spans of that label, `story` only documents of that story,
    `annotators` only these annotators' layers (default: every annotator whose role is
    "annotator"). Raises AgreementError for a label, story or annotator the project does
    not know. Degenerate data never raises: values are None and `notes` explains.
    `progress(done, total, what)` hears about each page of documents; when `cancelled()`
    turns true the report stops with AgreementCancelled (it only reads, so nothing is
    left half-done).
    """
    if isinstance(annotators, str):  # one name, not a sequence of one-letter names
        annotators = [annotators]
    sessions = _sessions(database_or_session_factory)
    with sessions() as session:
        schema = active_schema(session)
        # One read transaction, plain Core rows from here on (see report_reading).
        connection = session.connection()
        compared = _compared(connection, annotators)
        names = tuple(sorted(compared.values()))
        schema_labels = tuple(item.name for item in schema.labels) if schema else ()
        if label is not None and label not in schema_labels and not label_in_use(connection, label):
            known = ", ".join(schema_labels) or "none in the schema"
            raise AgreementError(f"no span label '{label}' in this project (labels: {known})")
        if story is not None and not story_exists(connection, story):
            raise AgreementError(f"no documents in story '{story}'")
        considered = count_documents(connection, story)
        spans, stances, labels = SpanTally(names), StanceTally(names), LabelTally(names)
        paired = done = 0
        with _collector_paused():
            for read, page in read_pages(connection, compared, story=story, label=label):
                if cancelled is not None and cancelled():
                    raise AgreementCancelled("agreement report cancelled")
                for document in page:
                    spans.add(document)
                    stances.add(document)
                    labels.add(document)
                paired += len(page)
                done += read
                if progress is not None:
                    progress(done, considered, "comparing annotators")

    notes = _coverage_notes(names, considered, paired)
    used = set(spans.f1)
    span_labels = tuple(
        [name for name in schema_labels if name in used] + sorted(used.difference(schema_labels))
    )
    if label is not None:
        span_labels = (label,)
    overall, per_label = spans.f1_summaries(span_labels)
    if paired and not any(spans.spans.values()):
        notes.append("span F1: no spans in the compared documents")
    if progress is not None:
        progress(considered, considered, "pooling the corpus")
    with _collector_paused():
        unitized, unitized_notes = spans.unitized(span_labels)
    stance_result, stance_notes = stances.result()
    document_labels, label_notes = labels.result(schema.document_labels if schema else ())
    return AgreementReport(
        generated_at=datetime.now(UTC),
        tool_version=__version__,
        filters={
            "label": label,
            "story": story,
            "annotators": list(annotators) if annotators is not None else None,
        },
        annotators=names,
        labels=span_labels,
        documents_considered=considered,
        documents_paired=paired,
        documents_all_annotators=labels.all_documents,
        spans={name: spans.spans[name] for name in names},
        span_f1=overall,
        span_f1_per_label=per_label,
        unitized=unitized,
        stances=stance_result,
        document_labels=document_labels,
        confusion=spans.confusion_matrix(span_labels),
        notes=tuple(notes + unitized_notes + stance_notes + label_notes),
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while documents stream by.

    The report allocates millions of small, acyclic tuples; the collector kept scanning
    them (a tenth of the run time). Reference counting still frees them as it goes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def agreement_choices(
    database_or_session_factory: Database | sessionmaker[Session],
) -> tuple[list[str], list[str]]:
    """The span labels (schema order, then others in use) and story keys a report can be
    restricted to, for the agreement dialog's lists."""
    sessions = _sessions(database_or_session_factory)
    with sessions() as session:
        schema = active_schema(session)
        schema_labels = [item.name for item in schema.labels] if schema else []
        used, stories = label_and_story_names(session.connection())
    return schema_labels + sorted(set(used).difference(schema_labels)), stories


def _sessions(
    database_or_session_factory: Database | sessionmaker[Session],
) -> sessionmaker[Session]:
    if isinstance(database_or_session_factory, Database):
        return database_or_session_factory.sessions
    return database_or_session_factory


def _compared(connection: Connection, annotators: Sequence[str] | None) -> dict[Any, str]:
    """raw id -> name of the annotators to compare."""
    known = annotator_ids(connection)
    if annotators is None:
        return {raw: name for name, (raw, role) in known.items() if role == "annotator"}
    missing = [name for name in annotators if name not in known]
    if missing:
        listed = ", ".join(sorted(known)) or "none yet"
        raise AgreementError(f"no annotator named '{missing[0]}' (annotators: {listed})")
    return {known[name][0]: name for name in dict.fromkeys(annotators)}


def _coverage_notes(names: tuple[str, ...], considered: int, paired: int) -> list[str]:
    """Why nothing could be compared, when nothing could."""
    if len(names) < 2:
        who = f"only '{names[0]}'" if names else "none"
        return [f"fewer than two annotators to compare ({who}): no agreement to measure"]
    if not considered:
        return ["no documents to compare"]
    if not paired:
        return [
            f"none of the {considered} documents has layers of two or more annotators: "
            "no agreement to measure"
        ]
    return []
