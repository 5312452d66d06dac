"""The agreement report: how far annotators agree, measured from the project database.

`agreement_report(project)` compares the annotators' live layers (soft-deleted spans and
stances are ignored) on every document that at least two of them have a layer on; a layer
is any live span, live stance, document label or status row. Reviewers (role "reviewer")
are left out unless named in `annotators`. The maths is `annotator.core.agreement.coefficients`.

Measures:

* Span F1 per annotator pair, "exact" (same start, end and label) and "overlap" (same label,
  at least one shared character, matched one to one by a maximum matching), micro-averaged
  over the documents both annotators worked on (F1 = 2·matches / (spans of a + spans of b),
  summed over documents), then averaged over the pairs. Overall and per label. A pair's F1
  is undefined (null) when neither of the two marked a span (of that label); means skip
  nulls.
* Unitized alpha in two variants, each per document, overall and per label, pooled and
  averaged over documents: "2004", Krippendorff's αU (1995; Content Analysis 2004, pp.
  251-256) as DKPro Statistics and INCEpTION compute it, the headline; "2016", uα of
  Krippendorff, Mathet, Bouvry & Widlöcher (2016). Spans of one label by one annotator that
  overlap are merged into one unit first (neither allows such overlap). **Pooled**: the
  documents are laid end to end as one continuum (in id order) and alpha is computed once
  over it, exactly (core.agreement: the sums of consecutive documents add up); this weights
  documents by length and lets chance agreement come from the whole corpus. Every coder
  must cover the whole continuum, so the pooled value uses the documents on which *all*
  compared annotators have a layer; the mean of the per-document values covers the others.
  A bootstrap 95% interval (core.agreement.bootstrap) goes with each pooled value.
* Stance alpha: nominal Krippendorff's alpha on the polarity of (document, actor, issue)
  units; an annotator with no stance for a unit is missing (None), not disagreeing.
  Several polarities from one annotator for one unit form one combined value
  ("oppose+support"). With a bootstrap interval over the units.
* Document labels: per pair and label, present/absent on the documents that pair shares:
  Cohen's kappa with its standard error and Gwet's AC1; a pair's kappa and AC1 are the means
  over its labels. Per label over all annotators: Fleiss' kappa (documents with every
  annotator) and binary alpha (every paired document, missing allowed). Alpha with the MASI
  distance on each annotator's set of labels per document.
* Each annotator: span F1 and label kappa over the pairs they are in; against gold (where a
  reviewer settled gold spans), precision, recall and F1, exact and by overlap.
* Label confusion: for each pair and document, spans are matched one-to-one by overlap
  whatever their labels (largest overlap first; on a tie a pair of the same label, then
  earlier spans); a matched pair counts in (label of a, label of b), an unmatched span
  against "none". Summed over pairs the matrix is symmetric (whoever said which).

Undefined coefficients (0/0: one value throughout) are null, never 1.0; `notes` says why.

`--label L` (`label=`) keeps only spans of L for the span measures (layers still count
from any span); stances and document labels are not filtered by it. `story=` keeps the
documents of one story.

JSON (`AgreementReport.as_json()`, schema_version 2). Floats are unrounded, and null when
undefined. Pairs are alphabetical (a < b), listed only when the two annotators share a
document. New keys may be added without a version bump.

    schema_version            2; bumped when a key changes meaning or disappears
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
    unitized_alpha            αU, Krippendorff 1995/2004:
        .variant                "2004"
        .citation               str, the reference
        .pooled                 {"overall": float|null, "interval": interval|null,
                                 "per_label": {label: float|null}, "documents": int in the
                                 pooled continuum}
        .document_mean          {"overall": float|null, "per_label": {label: float|null}}
                                mean of per-document values (per label: over documents
                                where the label occurs)
        .documents              [{"id": str (UUID), "external_id": str|null, "title": str,
                                  "story": str|null, "annotators": [str], "spans": int,
                                  "overall": float|null, "per_label": {label: float|null}}]
                                one per paired document, in id order; per_label lists the
                                labels occurring in that document
    unitized_alpha_2016       uα, Krippendorff et al. 2016: the same keys, variant "2016"
    interval                  {"low", "high": float, "level": 0.95, "resamples": int with a
                               defined value, "undefined": int resamples that were 0/0,
                               "clusters": int documents, blocks of documents or units
                               resampled}
    annotator_figures         [{"name": str, "exact_f1", "overlap_f1": float|null over the
                                pairs they are in, "label_kappa": float|null mean of their
                                pairs, "gold": null | {"documents", "gold_spans", "spans": int,
                                "exact", "overlap": {"matches": int, "precision", "recall",
                                "f1": float|null}}}]
    stance_alpha              {"alpha": float|null, "interval": interval|null, "units": int
                               (document, actor, issue) units, "pairable_units": int with two
                               or more annotators' stances, "stances": int, "polarities":
                               {polarity: int}}
    document_label_kappa      {"labels": [str] compared, "mean": float|null over pairs,
                               "pairs": [{"a", "b", "documents": int, "kappa", "ac1":
                                          float|null means over labels, "per_label":
                                          {label: {"both", "only_a", "only_b", "neither":
                                          int documents, "kappa", "kappa_se", "ac1":
                                          float|null}}}],
                               "fleiss": float|null mean over labels, "fleiss_per_label":
                               {label: float|null}, "fleiss_documents": int,
                               "alpha_per_label": {label: float|null}, "alpha_masi":
                               float|null, "alpha_documents": int}
    confusion                 {"labels": [str..., null], "matrix": [[int]],
                               "pairs": [{"a", "b", "matrix": [[int]]}]}
                              the overall matrix is symmetric: cell (x, y) counts matched
                              pairs where one said x and the other y; the last row/column
                              (label null) is "no matching span". A pair's matrix has rows
                              for its first annotator, columns for its second
    notes                     [str] why a value is null, what was merged or left out
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from annotator import __version__
from annotator.core.agreement.bootstrap import block_size
from annotator.core.errors import AnnotatorError
from annotator.review.agreement.annotators import annotator_figures, gold_quality
from annotator.review.agreement.reading import (
    annotator_ids,
    count_documents,
    label_and_story_names,
    label_in_use,
    read_pages,
    slice_bounds,
    story_exists,
)
from annotator.review.agreement.spans import SpanTally
from annotator.review.agreement.stances_and_labels import LabelTally, StanceTally
from annotator.review.agreement.values import (
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
    project: Database,
    *,
    label: str | None = None,
    story: str | None = None,
    annotators: Sequence[str] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = 1,
) -> AgreementReport:
    """Measure agreement between annotators (see the module docstring for what and how).

    `label` keeps only spans of that label, `story` only documents of that story,
    `annotators` only these annotators' layers (default: every annotator whose role is
    "annotator"). Raises AgreementError for a label, story or annotator the project does
    not know. Degenerate data never raises: values are None and `notes` explains.
    `progress(done, total, what)` hears about each page of documents; when `cancelled()`
    turns true the report stops with AgreementCancelled (it only reads, so nothing is
    left half-done).

    `workers=None` (what the app and the command line ask for) compares a large project
    (PARALLEL_FROM documents or more, a database file or server) in slices of documents,
    one process per CPU (at most MAX_WORKERS); `workers=N` uses N processes. The slices'
    counts add up to exactly what one pass would count. Each worker reads in a transaction
    of its own, so edits saved while the report runs may show in some slices and not
    others, as they would in a report started a moment later. The default, 1, keeps
    everything in this process: worker processes are started with "spawn", which re-imports
    the calling script, so a script calling this with workers needs the usual
    `if __name__ == "__main__":` guard.
    """
    if isinstance(annotators, str):  # one name, not a sequence of one-letter names
        annotators = [annotators]
    sessions = project.sessions
    with sessions() as session:
        schema = active_schema(session)
        # One read transaction, plain Core rows from here on (see review.agreement.reading).
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
        jobs = _jobs(project, considered, workers)
        if jobs > 1:
            bounds = slice_bounds(connection, story, -(-considered // (jobs * SLICES_PER_JOB)))
            work = _Work(project.url, compared, names, story, label, block_size(considered))
            tallies = _tally_in_processes(work, bounds, jobs, considered, progress, cancelled)
        else:
            work = _Work("", compared, names, story, label, block_size(considered))
            tallies = _tally(connection, work, None, None, considered, progress, cancelled)
        gold = gold_quality(connection, compared, story, label)
    spans, stances, labels, paired = tallies.spans, tallies.stances, tallies.labels, tallies.paired

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
        unitized, unitized_2016, unitized_notes = spans.unitized(span_labels)
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
        unitized_2016=unitized_2016,
        annotator_figures=annotator_figures(names, overall, document_labels.pairs, gold),
        stances=stance_result,
        document_labels=document_labels,
        confusion=spans.confusion_matrix(span_labels),
        notes=tuple(notes + unitized_notes + stance_notes + label_notes),
    )


PARALLEL_FROM = 4000  # documents; below this, starting processes costs more than it saves
MAX_WORKERS = 4
SLICES_PER_JOB = 8  # several slices per worker even out their pace and pace the progress bar


@dataclass(frozen=True)
class _Work:
    """What every slice of the report needs to know; sent to the worker processes."""

    url: str
    compared: dict[Any, str]  # raw annotator id -> name
    names: tuple[str, ...]
    story: str | None
    label: str | None
    block: int = 1  # documents per bootstrap block (see review.agreement.unitizing)


@dataclass
class _Tallies:
    spans: SpanTally
    stances: StanceTally
    labels: LabelTally
    paired: int = 0
    read: int = 0

    @classmethod
    def empty(cls, names: tuple[str, ...], block: int = 1) -> _Tallies:
        return cls(SpanTally(names, block), StanceTally(names), LabelTally(names))

    def merge(self, other: _Tallies) -> None:
        self.spans.merge(other.spans)
        self.stances.merge(other.stances)
        self.labels.merge(other.labels)
        self.paired += other.paired
        self.read += other.read


def _jobs(
    project: Database,
    considered: int,
    workers: int | None,
) -> int:
    """How many processes to compare in: 1 unless the project is large and on disk."""
    if project.url.startswith("sqlite") and (
        project.path is None  # in memory: other processes cannot see it
    ):
        return 1
    if workers is None:
        if considered < PARALLEL_FROM:
            return 1
        workers = min(
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1,
            MAX_WORKERS,
        )
    return max(1, min(workers, considered))


def _tally(
    connection: Connection,
    work: _Work,
    after: Any,
    until: Any,
    considered: int,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> _Tallies:
    """Count the documents after < id <= until (all when None) page by page."""
    tallies = _Tallies.empty(work.names, work.block)
    with _collector_paused():
        pages = read_pages(
            connection, work.compared, story=work.story, label=work.label, after=after, until=until
        )
        for read, page in pages:
            if cancelled is not None and cancelled():
                raise AgreementCancelled("agreement report cancelled")
            for document in page:
                tallies.spans.add(document)
                tallies.stances.add(document)
                tallies.labels.add(document)
            tallies.paired += len(page)
            tallies.read += read
            if progress is not None:
                progress(tallies.read, considered, "comparing annotators")
    return tallies


def _tally_in_processes(
    work: _Work,
    bounds: list[Any],
    jobs: int,
    considered: int,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> _Tallies:
    """Count the slices between `bounds` in `jobs` processes and add them up in id order."""
    slices = list(zip([None, *bounds], [*bounds, None], strict=True))
    tallies = _Tallies.empty(work.names, work.block)
    # "spawn", not fork: forking a process that runs Qt (or any threads) is unsafe. An
    # executor, not a Pool: it notices a worker that dies (killed for memory, say) instead of
    # waiting for its slice forever.
    executor = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(work,),
    )
    finished = False
    try:
        for future in [executor.submit(_tally_slice, bounds) for bounds in slices]:
            while True:
                if cancelled is not None and cancelled():
                    raise AgreementCancelled("agreement report cancelled")
                try:
                    # A short wait, so that a window's progress bar and Cancel stay alive.
                    part = future.result(timeout=0.1)
                    break
                except FutureTimeout:
                    if progress is not None:
                        progress(tallies.read, considered, "comparing annotators")
            tallies.merge(part)
            if progress is not None:
                progress(tallies.read, considered, "comparing annotators")
        finished = True
    except BrokenProcessPool as error:
        raise AgreementError(
            "a process comparing part of the documents stopped unexpectedly (out of memory, "
            "or killed); try again"
        ) from error
    finally:
        if not finished:  # cancelled or failed: nobody wants the slices still running
            _stop_workers(executor)
        executor.shutdown(wait=True, cancel_futures=True)
    return tallies


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """End the worker processes now, not after the slices they are counting."""
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14 and later
    if terminate is not None:
        terminate()
        return
    # Before 3.14 the executor has no public way; its process table is the only handle.
    for process in list(getattr(executor, "_processes", {}).values()):
        process.terminate()


_worker: tuple[_Work, Database] | None = None  # set in each worker process by _start_worker


_worker_failed: str | None = None  # why _start_worker could not open the database


def _start_worker(work: _Work) -> None:
    global _worker, _worker_failed
    from annotator.store.database import open_database

    try:
        _worker = (work, open_database(work.url, create=False))
    except AnnotatorError as error:
        # Raising here would only kill the worker and leave the report a bare "broken pool";
        # each slice asked of this worker reports the reason instead.
        _worker_failed = str(error)


def _tally_slice(bounds: tuple[Any, Any]) -> _Tallies:
    """One slice of the documents, counted in a worker process."""
    if _worker is None:
        raise AgreementError(f"a worker process could not open the project: {_worker_failed}")
    work, database = _worker
    with database.sessions() as session:
        return _tally(session.connection(), work, *bounds, 0, None, None)


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
    project: Database,
) -> tuple[list[str], list[str]]:
    """The span labels (schema order, then others in use) and story keys a report can be
    restricted to, for the agreement dialog's lists."""
    sessions = project.sessions
    with sessions() as session:
        schema = active_schema(session)
        schema_labels = [item.name for item in schema.labels] if schema else []
        used, stories = label_and_story_names(session.connection())
    return schema_labels + sorted(set(used).difference(schema_labels)), stories


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
