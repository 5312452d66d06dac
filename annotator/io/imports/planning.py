"""Reading and preparing an import without touching the database.

`plan_import` reads every file, normalises and (where asked) cleans each article, maps the
spans it carries onto the stored text, fills in metadata and finds duplicates inside the
batch. The GUI previews a plan; `annotator.io.imports.importer` stores it in one transaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.core.cleaning import DroppedLine, clean_article, template_lines
from annotator.core.errors import AnnotatorError
from annotator.core.metadata import extract_metadata, find_date
from annotator.core.offsets import OffsetMap
from annotator.core.text import normalise, text_hash
from annotator.io.imports.readers import find_files, read_file
from annotator.io.imports.records import ArticleRecord, BadInput, ReadNote, SpanRecord

Progress = Callable[[int, int, str], None]  # done, total, what is being done
Cancelled = Callable[[], bool]
CLEANED_BY_DEFAULT = frozenset({"txt", "md"})  # scraped text; HTML is extracted instead


class ImportCancelled(AnnotatorError):
    def __init__(self) -> None:
        super().__init__("import cancelled; nothing was imported")


@dataclass(frozen=True)
class ImportOptions:
    format: str = "auto"
    story: str | None = None
    source: str | None = None
    clean: bool | None = None  # None: clean txt and md, keep jsonl/csv text as given
    skip_bad: bool = False
    annotator: str | None = None  # owner of spans in records that name no annotator
    offsets: str = "codepoints"  # or "utf16": spans counted in UTF-16 units (JavaScript, Java)


@dataclass
class PlannedArticle:
    """An article as it will be stored, with what cleaning dropped from it."""

    record: ArticleRecord
    text: str
    sha256: str
    input_text: str  # normalised text before cleaning; `dropped` offsets refer to it
    dropped: tuple[DroppedLine, ...]
    spans: list[SpanRecord]


@dataclass
class ImportPlan:
    articles: list[PlannedArticle] = field(default_factory=list)
    problems: list[BadInput] = field(default_factory=list)
    passed_over: list[Path] = field(default_factory=list)
    repeated: list[tuple[str, str]] = field(default_factory=list)  # (origin, first origin)
    files: int = 0
    notes: list[str] = field(default_factory=list)  # what readers said (skipped answers...)


def plan_import(
    paths: Sequence[Path],
    options: ImportOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """Read and prepare everything in `paths`; problems are collected, not raised."""
    files, problems, passed_over = find_files(paths, options.format)
    plan = ImportPlan(problems=problems, passed_over=passed_over, files=len(files))
    records: list[ArticleRecord] = []
    for number, path in enumerate(files):
        if cancelled is not None and cancelled():
            raise ImportCancelled
        if progress is not None:
            progress(number, len(files), f"reading {path.name}")
        for item in read_file(path, options.format, options.offsets):
            if isinstance(item, BadInput):
                plan.problems.append(item)
            elif isinstance(item, ReadNote):
                plan.notes.append(str(item))
            else:
                records.append(item)
    templates = _templates(records, options)
    first_by_hash: dict[str, str] = {}
    first_by_id: dict[str, tuple[str, str]] = {}  # external id -> (origin, text hash)
    for record in records:
        try:
            article = _prepare(record, options, templates)
        except BadInput as problem:
            plan.problems.append(problem)
            continue
        external = record.external_id
        if external is not None:
            first = first_by_id.setdefault(external, (record.origin, article.sha256))
            if first[1] != article.sha256:  # one id, two texts: which would it name?
                plan.problems.append(
                    BadInput(
                        record.origin,
                        f"'id' {external!r} is used again for another text (first at {first[0]})",
                    )
                )
                continue
        if article.sha256 in first_by_hash:
            if not (article.spans or article.record.stances or article.record.doc_labels):
                plan.repeated.append((record.origin, first_by_hash[article.sha256]))
                continue  # another layer of the same text is kept, and is no repeat
        else:
            first_by_hash[article.sha256] = record.origin
        plan.articles.append(article)
    if progress is not None:
        progress(len(files), len(files), "read")
    return plan


def _should_clean(record: ArticleRecord, options: ImportOptions) -> bool:
    return options.clean if options.clean is not None else record.format in CLEANED_BY_DEFAULT


def _group(record: ArticleRecord, options: ImportOptions) -> str:
    """Articles whose template is the same: same outlet, else same folder."""
    source = options.source or record.source
    if source:
        return f"source:{source}"
    return f"folder:{Path(record.origin.split(':')[0]).parent}"


def _templates(records: list[ArticleRecord], options: ImportOptions) -> dict[str, frozenset[str]]:
    texts: dict[str, list[str]] = defaultdict(list)
    for record in records:
        if _should_clean(record, options):
            texts[_group(record, options)].append(normalise(record.text).text)
    return {
        group: template_lines(group_texts)
        for group, group_texts in texts.items()
        if len(group_texts) >= 2
    }


def _prepare(
    record: ArticleRecord, options: ImportOptions, templates: dict[str, frozenset[str]]
) -> PlannedArticle:
    normal = normalise(record.text)
    mapping: OffsetMap = normal.offsets
    text = normal.text
    dropped: tuple[DroppedLine, ...] = ()
    if _should_clean(record, options):
        protected = [moved for s in record.spans if (moved := mapping.map_span(s.start, s.end))]
        cleaned = clean_article(
            text, template=templates.get(_group(record, options), frozenset()), protected=protected
        )
        if not cleaned.text.strip():
            raise BadInput(
                record.origin,
                "nothing is left after removing page chrome; use --no-clean to import it as it is",
            )
        if record.format in CLEANED_BY_DEFAULT:
            _fill_metadata(record, text, cleaned.text)
        mapping = mapping.then(cleaned.offsets)
        text, dropped = cleaned.text, cleaned.dropped
    elif record.format in CLEANED_BY_DEFAULT:
        _fill_metadata(record, text, text)
    spans = []
    for number, span in enumerate(record.spans, start=1):
        moved = mapping.map_span(span.start, span.end)
        if moved is None:
            raise BadInput(
                record.origin,
                f"span {number} ({span.start}-{span.end}) covers only "
                "line breaks or a byte-order mark, which are not kept",
            )
        same = moved == (span.start, span.end)
        spans.append(span if same else replace(span, start=moved[0], end=moved[1]))
    if options.source:
        record.source = options.source
    if not record.title:
        record.title = _title_from_name(record.origin)
    return PlannedArticle(record, text, text_hash(text), normal.text, dropped, spans)


def _fill_metadata(record: ArticleRecord, raw: str, kept: str) -> None:
    found = extract_metadata(raw.split("\n"), kept.split("\n"))
    name = Path(record.origin).name
    record.title = record.title or found.title
    record.published = record.published or found.published or find_date(name)
    record.source = record.source or found.source
    record.author = record.author or found.author


def _title_from_name(origin: str) -> str:
    # A name in a foreign encoding holds lone surrogates (Python's surrogateescape): as "?".
    stem = Path(origin.split(":")[0]).stem.encode("utf-8", "replace").decode("utf-8")
    return re.sub(r"[_-]+", " ", stem).strip() or stem
