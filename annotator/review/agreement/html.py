"""The agreement report as one self-contained HTML page: inline SVG bars, a heat-map table.

No scripts, fonts, images or style sheets are fetched: the page opens from a USB stick on a
laptop without network and can be mailed as one file. Every string that came from the
database (annotator names, labels, titles, notes) goes through `html.escape`. The file
is written beside its target under a temporary name and renamed into place, so a failed
write never leaves half a report.
"""

from __future__ import annotations

import contextlib
import math
import os
from html import escape
from pathlib import Path

from annotator.core.agreement.bootstrap import Interval
from annotator.core.temp_files import cannot_write, create_file, temp_beside
from annotator.review.agreement.report import AgreementError, AgreementReport
from annotator.review.agreement.values import SCHEMA_VERSION
from annotator.store.project_file import project_clash

LEAST_AGREEMENT = 20  # documents listed in the "least agreement" table
TENTATIVE, RELIABLE = 0.667, 0.800  # Krippendorff's (2004) thresholds for alpha

STYLE = """
:root { color-scheme: light dark; --fg: #1d2228; --muted: #5d6670; --bg: #ffffff;
  --card: #f4f6f8; --line: #d5dbe1; --good: #2e7d32; --fair: #b7791f; --poor: #c62828;
  --exact: #4f5fbf; --overlap: #1f8f84; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ec; --muted: #a3acb6;
  --bg: #16191d; --card: #22272d; --line: #3a424b; --good: #5cb860; --fair: #e0a93b;
  --poor: #ef6461; --exact: #8c9cf0; --overlap: #4fc4b6; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); margin: 2em auto; max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 2em; }
.meta, .caption { color: var(--muted); } .caption { font-size: 0.9em; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1.2em 0; }
.card { background: var(--card); border-radius: 8px; padding: 0.6em 1em; min-width: 9em; }
.card b { display: block; font-size: 1.5em; font-variant-numeric: tabular-nums; }
.card small { display: block; color: var(--muted); font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3em 0.7em; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td.text { text-align: left; }
table.heat td { border: 1px solid var(--line); min-width: 3.2em; text-align: center; }
svg text { fill: var(--fg); font: 13px system-ui, sans-serif; }
svg .axis { stroke: var(--line); } svg .guide { stroke: var(--muted); stroke-dasharray: 3 3; }
.good { fill: var(--good); } .fair { fill: var(--fair); } .poor { fill: var(--poor); }
.exact { fill: var(--exact); } .overlap { fill: var(--overlap); }
.key { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em;
  border-radius: 2px; }
footer { margin-top: 3em; color: var(--muted); font-size: 0.85em; }
"""


def check_html_target(path: Path, project: Path | None = None) -> None:
    """Raise AgreementError (one line, naming the path) when `path` cannot be written, or
    would overwrite the project file `project` (or its companions)."""
    path = Path(path)
    clash = project_clash(path, project)
    if clash is not None:
        raise AgreementError(f"{path}: {clash}")
    folder = path.parent
    if path.is_dir():
        raise AgreementError(
            f"{path}: is a folder; give a file name such as {path / 'agreement.html'}"
        )
    if not folder.is_dir():
        raise AgreementError(f"{path}: cannot write there, folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AgreementError(f"{path}: cannot write there, folder {folder} is read-only")
    if path.exists() and not os.access(path, os.W_OK):
        raise AgreementError(f"{path}: the file is read-only")


def write_html_report(report: AgreementReport, path: Path, *, project: Path | None = None) -> None:
    """Write the report as one self-contained HTML file at `path`, atomically (never over
    the project file `project`)."""
    path = Path(path)
    check_html_target(path, project)
    page = render_html(report)
    temp = temp_beside(path)
    try:
        descriptor = create_file(temp)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(page)
        temp.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise AgreementError(cannot_write(path, error)) from None


def number(value: float | None) -> str:
    """A coefficient for people: three decimals, "n/a" when undefined (the notes say why)."""
    return "n/a" if value is None else f"{value:.3f}"


def alpha_class(value: float | None) -> str:
    """good / fair / poor by Krippendorff's thresholds (.800 reliable, .667 tentative)."""
    if value is None or value < TENTATIVE:
        return "poor"
    return "good" if value >= RELIABLE else "fair"


def scale_start(values: list[float | None]) -> float:
    """Where an alpha scale starts: 0, or below the lowest value in steps of 0.5, down to −1.

    Alpha can be negative (systematic disagreement); a bar just below zero should not
    squeeze the scale to −1..1.
    """
    lowest = min((value for value in values if value is not None), default=0.0)
    return 0.0 if lowest >= 0 else max(-1.0, math.floor(lowest * 2) / 2)


def render_html(report: AgreementReport) -> str:
    """The whole page as a string."""
    names = ", ".join(report.annotators) or "none"
    filters = "; ".join(f"{key}: {value}" for key, value in report.filters.items() if value)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Agreement report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Agreement report</h1>",
        f'<p class="meta">{len(report.annotators)} annotators ({escape(names)}); '
        f"{report.documents_paired} of {report.documents_considered} documents compared, "
        f"{report.documents_all_annotators} with every annotator"
        + (f"; filters: {escape(filters)}" if filters else "")
        + "</p>",
        _cards(report),
        "<h2>Unitized alpha per label</h2>",
        '<p class="caption">Krippendorff\'s αU (2004) pooled over the documents with every '
        "annotator's layer (dashed lines: .667 tentative, .800 reliable).</p>",
        _alpha_bars(report),
        _label_table(report),
        "<h2>Span F1 per annotator pair</h2>",
        '<p class="caption"><span class="key exact"></span> exact (same start, end, label) '
        '&nbsp; <span class="key overlap"></span> overlap (same label, shared characters); '
        "micro-averaged over the documents both annotators worked on.</p>",
        _pair_bars(report),
        "<h2>Label confusion</h2>",
        '<p class="caption">Spans of two annotators matched one-to-one by overlap, whatever '
        "their labels, summed over pairs: symmetric, one annotator’s label against the "
        "other’s, whoever said which; “none”: no matching span.</p>",
        _confusion_table(report),
        "<h2>Stances and document labels</h2>",
        _agreement_table(report),
        _least_agreement(report),
        _notes(report),
        f"<footer>Made by Annotator {escape(report.tool_version)} on "
        f"{escape(report.generated_at.strftime('%Y-%m-%d %H:%M UTC'))}; report schema "
        f"{SCHEMA_VERSION}.</footer>",
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _cards(report: AgreementReport) -> str:
    cards: list[tuple[str, float | None, Interval | None]] = [
        ("Overlap F1", report.span_f1.overlap, None),
        ("Exact F1", report.span_f1.exact, None),
        ("αU pooled", report.unitized.pooled, report.unitized.interval),
        ("uα (2016) pooled", report.unitized_2016.pooled, report.unitized_2016.interval),
        ("Stance α", report.stances.alpha, report.stances.interval),
        ("Cohen's κ", report.document_labels.mean, None),
        ("Fleiss' κ", report.document_labels.fleiss, None),
    ]
    items = "".join(
        f'<div class="card">{escape(title)}<b>{number(value)}</b>'
        + (f"<small>{escape(interval.text())}</small>" if interval else "")
        + "</div>"
        for title, value, interval in cards
    )
    return f'<div class="cards">{items}</div>'


def _svg_text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'


def _bars(
    rows: list[tuple[str, list[tuple[float | None, str]]]],
    low: float,
    title: str,
    *,
    guides: bool,
) -> str:
    """Horizontal bars: one row per name, one bar per (value, css class) in the row.

    The scale runs from `low` (0 or −1) to 1; `guides` draws Krippendorff's thresholds.
    """
    label_width, chart, value_width, bar, gap = 170, 380, 50, 16, 10
    row_height = max(len(bars) for _, bars in rows) * bar + gap
    width = label_width + chart + value_width
    height = len(rows) * row_height + 24

    def x_of(value: float) -> float:
        clamped = min(max(value, low), 1.0)
        return label_width + (clamped - low) / (1.0 - low) * chart

    zero = x_of(0.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for guide in (TENTATIVE, RELIABLE) if guides else ():
        x = x_of(guide)
        parts.append(f'<line class="guide" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}"/>')
    parts.append(f'<line class="axis" x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height - 20}"/>')
    for tick in (low, 0.0, 0.5, 1.0) if low < 0 else (0.0, 0.5, 1.0):
        parts.append(_svg_text(x_of(tick), height - 6, f"{tick:g}", "middle"))
    for row, (name, bars) in enumerate(rows):
        top = row * row_height + gap / 2
        shown = name if len(name) <= 24 else name[:23] + "…"
        parts.append(_svg_text(label_width - 8, top + len(bars) * bar / 2 + 4, shown, "end"))
        for k, (value, css) in enumerate(bars):
            y = top + k * bar
            if value is None:
                parts.append(_svg_text(zero + 4, y + bar - 4, "no data"))
                continue
            left, right = sorted((zero, x_of(value)))
            parts.append(
                f'<rect class="{css}" x="{left:.1f}" y="{y + 1:.1f}" '
                f'width="{max(right - left, 1):.1f}" height="{bar - 2}" rx="2">'
                f"<title>{escape(name)}: {number(value)}</title></rect>"
            )
            parts.append(_svg_text(right + 5, y + bar - 4, number(value)))
    parts.append("</svg>")
    return "".join(parts)


def _alpha_bars(report: AgreementReport) -> str:
    unitized = report.unitized
    rows = [("all labels", [(unitized.pooled, alpha_class(unitized.pooled))])]
    for label in report.labels:
        value = unitized.pooled_per_label.get(label)
        rows.append((label, [(value, alpha_class(value))]))
    low = scale_start([value for _, bars in rows for value, _ in bars])
    return _bars(rows, low, "Unitized alpha per label", guides=True)


def _label_table(report: AgreementReport) -> str:
    """The per-label numbers behind the bars, with span F1 (mean over pairs)."""
    unitized = report.unitized
    rows = [
        ("all labels", report.span_f1, unitized.pooled, unitized.mean),
        *(
            (
                label,
                report.span_f1_per_label[label],
                unitized.pooled_per_label.get(label),
                unitized.mean_per_label.get(label),
            )
            for label in report.labels
        ),
    ]
    body = "".join(
        f"<tr><td class='text'>{escape(name)}</td><td>{number(f1.exact)}</td>"
        f"<td>{number(f1.overlap)}</td><td>{number(pooled)}</td><td>{number(average)}</td></tr>"
        for name, f1, pooled, average in rows
    )
    return (
        "<table><thead><tr><th>label</th><th>exact F1</th><th>overlap F1</th>"
        f"<th>αU pooled</th><th>αU mean over documents</th></tr></thead><tbody>{body}</tbody>"
        "</table>"
    )


def _pair_bars(report: AgreementReport) -> str:
    pairs = report.span_f1.pairs
    if not pairs:
        return '<p class="caption">No two annotators worked on the same document.</p>'
    rows = [
        (f"{pair.a} / {pair.b}", [(pair.exact, "exact"), (pair.overlap, "overlap")])
        for pair in pairs
    ]
    rows.append(("mean", [(report.span_f1.exact, "exact"), (report.span_f1.overlap, "overlap")]))
    return _bars(rows, 0.0, "Span F1 per annotator pair", guides=False)


def _heat(count: int, largest: int, diagonal: bool) -> str:
    """A cell style: blue for agreement (the diagonal), orange for confusion.

    Each hue is scaled to its own largest count: agreement dwarfs confusion, and on one
    scale every confusion would look alike.
    """
    if not count or not largest:
        return ""
    strength = 0.15 + 0.85 * count / largest
    colour = "47, 111, 191" if diagonal else "214, 104, 33"
    text = "#ffffff" if strength > 0.55 else "inherit"
    return f' style="background: rgba({colour}, {strength:.2f}); color: {text}"'


def _confusion_table(report: AgreementReport) -> str:
    confusion = report.confusion
    if not confusion.labels:
        return '<p class="caption">No spans to compare.</p>'
    keys = [*confusion.labels, None]
    size = len(keys)
    cells = [(i, j, confusion.matrix[i][j]) for i in range(size) for j in range(size)]
    largest_agreed = max((count for i, j, count in cells if i == j), default=0)
    largest_confused = max((count for i, j, count in cells if i != j), default=0)
    head = "".join(f"<th>{escape(key or 'none')}</th>" for key in keys)
    rows = []
    for i, (key, row) in enumerate(zip(keys, confusion.matrix, strict=True)):
        tds = "".join(
            f"<td{_heat(count, largest_agreed, True)}>{count}</td>"
            if i == j
            else f"<td{_heat(count, largest_confused, False)}>{count}</td>"
            for j, count in enumerate(row)
        )
        rows.append(f"<tr><th>{escape(key or 'none')}</th>{tds}</tr>")
    return (
        f'<table class="heat"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _agreement_table(report: AgreementReport) -> str:
    stances, labels = report.stances, report.document_labels
    rows = [
        (
            "Stance polarity α (nominal)",
            stances.alpha,
            f"{stances.pairable_units} of {stances.units} (document, actor, issue) units "
            f"coded by two or more annotators; {stances.stances} stances",
        ),
        (
            "Document labels, Cohen's κ (mean over pairs)",
            labels.mean,
            "labels: " + (", ".join(labels.labels) or "none"),
        ),
        (
            "Document labels, Fleiss' κ (mean over labels)",
            labels.fleiss,
            f"{labels.fleiss_documents} documents with every annotator",
        ),
        (
            "Document labels, Krippendorff's α with MASI (label sets)",
            labels.alpha_masi,
            f"{labels.alpha_documents} documents with two or more annotators",
        ),
    ]
    rows += [
        (
            f"Cohen's κ {pair.a} / {pair.b}",
            pair.kappa,
            f"{pair.documents} documents; Gwet's AC1 {number(pair.ac1)}",
        )
        for pair in labels.pairs
    ]
    body = "".join(
        f"<tr><td class='text'>{escape(title)}</td><td>{number(value)}</td>"
        f"<td class='text'>{escape(detail)}</td></tr>"
        for title, value, detail in rows
    )
    return f"<table><tbody>{body}</tbody></table>"


def _least_agreement(report: AgreementReport) -> str:
    measured = report.unitized.least_agreement(LEAST_AGREEMENT)
    if not measured:
        return ""
    rows = "".join(
        f"<tr><td class='text'>{escape(document.external_id or document.id)}</td>"
        f"<td class='text'>{escape(document.title)}</td><td>{document.spans}</td>"
        f"<td>{number(document.overall)}</td></tr>"
        for document in measured
    )
    return (
        f"<h2>Least agreement: {len(measured)} documents</h2>"
        "<table><thead><tr><th>document</th><th>title</th><th>spans</th><th>αU</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _notes(report: AgreementReport) -> str:
    if not report.notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in report.notes)
    return f"<h2>Notes</h2><ul>{items}</ul>"
