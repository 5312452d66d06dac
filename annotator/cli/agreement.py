"""`annotator agreement`: the agreement report as a readable table, JSON or an HTML file.

`annotator.cli.parser` calls `add_command(commands, database)`. Nothing
heavy is imported until the command runs, so building the parser stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.review.agreement.report import AgreementReport

DESCRIPTION = (
    "Measure how far the annotators agree, on every document that two or more of them "
    "worked on: span F1 (exact and overlapping) per annotator pair, Krippendorff's unitized "
    "alpha per document and pooled over the corpus, alpha on stance polarities, Cohen's and "
    "Fleiss' kappa on document labels, and which labels get confused. Soft-deleted spans "
    "and stances do not count; reviewers are left out unless named with --annotator."
)
TOP_DOCUMENTS = 10  # documents listed under "least agreement"


def add_command(commands: Any, database_parent: argparse.ArgumentParser) -> None:
    """Add the `agreement` subcommand to `commands` (what `add_subparsers` returned)."""
    parser = commands.add_parser(
        "agreement",
        parents=[database_parent],
        help="inter-annotator agreement: F1, alpha, kappa, label confusion",
        description=DESCRIPTION,
    )
    parser.add_argument("--json", action="store_true", help="the whole report as JSON")
    parser.add_argument("--label", metavar="L", help="only spans of this label")
    parser.add_argument("--story", metavar="KEY", help="only documents of this story")
    parser.add_argument(
        "--annotator",
        dest="annotators",
        action="append",
        metavar="NAME",
        help="compare only these annotators (repeat the option; default: all annotators)",
    )
    parser.add_argument(
        "--html", metavar="OUT.html", type=Path, help="also write the report as an HTML page"
    )
    parser.set_defaults(run=run_agreement)


def run_agreement(args: argparse.Namespace) -> int:
    """Run `annotator agreement`."""
    from annotator.paths import project_file
    from annotator.review.agreement.html import check_html_target, write_html_report
    from annotator.review.agreement.report import agreement_report
    from annotator.store.database import open_database
    from annotator.terminal import TerminalProgress

    project = project_file(getattr(args, "db", None))
    if args.html is not None:
        check_html_target(args.html, project)  # before the work, so a typo costs nothing
    database = open_database(getattr(args, "db", None), create=False)
    bar = TerminalProgress()
    try:
        report = agreement_report(
            database,
            label=args.label,
            story=args.story,
            annotators=args.annotators,
            progress=bar,
            workers=None,  # a large project: one process per CPU
        )
    finally:
        bar.finish()
        database.close()
    if args.json:
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_report(report, database.display_name))
    if args.html is not None:
        write_html_report(report, args.html, project=project)
        # With --json, stdout stays pure JSON.
        print(f"wrote {args.html}", file=sys.stderr if args.json else sys.stdout)
    return 0


def number(value: float | None, digits: int = 3) -> str:
    """A coefficient for people: fixed decimals, "n/a" when undefined (the notes say why)."""
    return "n/a" if value is None else f"{value:.{digits}f}"


def _table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """Columns padded to their widest cell; `align` has "l" or "r" per column (default:
    the first column left, the others right)."""
    align = align or "l" + "r" * (len(header) - 1)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(row, widths, align, strict=True)
        ]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def format_report(report: AgreementReport, where: str = "") -> str:
    """The report as plain-text tables (what `annotator agreement` prints)."""
    names = ", ".join(report.annotators) or "none"
    lines = [
        f"Agreement{' in ' + where if where else ''}: {len(report.annotators)} annotators "
        f"({names}); {report.documents_paired} of {report.documents_considered} documents "
        f"compared, {report.documents_all_annotators} with every annotator",
    ]
    filters = [f"{key} {value}" for key, value in report.filters.items() if value]
    if filters:
        lines.append("Filters: " + "; ".join(str(item) for item in filters))
    unitized, later = report.unitized, report.unitized_2016
    rows = [
        [
            "all labels",
            number(report.span_f1.exact),
            number(report.span_f1.overlap),
            number(unitized.pooled),
            number(unitized.mean),
            number(later.pooled),
        ]
    ]
    for label in report.labels:
        summary = report.span_f1_per_label[label]
        rows.append(
            [
                label,
                number(summary.exact),
                number(summary.overlap),
                number(unitized.pooled_per_label.get(label)),
                number(unitized.mean_per_label.get(label)),
                number(later.pooled_per_label.get(label)),
            ]
        )
    lines += [
        "",
        "Spans (F1: mean over annotator pairs; αU, Krippendorff 2004 as DKPro and INCEpTION "
        "compute it: pooled and mean over documents; uα: Krippendorff et al. 2016, pooled)",
    ]
    lines += _table(["label", "exact F1", "overlap F1", "αU pooled", "αU mean", "uα pooled"], rows)
    intervals = [
        f"{name} {interval.text()}"
        for name, interval in (
            ("αU", unitized.interval),
            ("uα", later.interval),
            ("stance α", report.stances.interval),
        )
        if interval is not None
    ]
    if intervals:
        lines.append(
            "  bootstrap intervals (percentile; documents, or blocks of them, resampled; "
            "stance units for α): " + "; ".join(intervals)
        )

    kappas = {(pair.a, pair.b): pair.kappa for pair in report.document_labels.pairs}
    rows = [
        [
            f"{pair.a} / {pair.b}",
            str(pair.documents),
            f"{pair.spans_a}/{pair.spans_b}",
            number(pair.exact),
            number(pair.overlap),
            number(kappas.get((pair.a, pair.b))),
        ]
        for pair in report.span_f1.pairs
    ]
    if rows:
        lines += ["", "Annotator pairs"]
        lines += _table(["pair", "docs", "spans", "exact F1", "overlap F1", "label κ"], rows)

    rows = [
        [
            figure.name,
            number(figure.exact_f1),
            number(figure.overlap_f1),
            number(figure.label_kappa),
            number(figure.gold.f1_exact) if figure.gold else "n/a",
            number(figure.gold.f1_overlap) if figure.gold else "n/a",
            str(figure.gold.documents) if figure.gold else "0",
        ]
        for figure in report.annotator_figures
    ]
    if rows:
        lines += [
            "",
            "Annotators (against the others; against gold where a reviewer settled spans)",
        ]
        lines += _table(
            [
                "annotator",
                "exact F1",
                "overlap F1",
                "label κ",
                "gold exact",
                "gold overlap",
                "docs",
            ],
            rows,
        )

    stances = report.stances
    lines += [
        "",
        f"Stances: α {number(stances.alpha)} (nominal, on polarity) over "
        f"{stances.pairable_units} of {stances.units} (document, actor, issue) units coded by "
        f"two or more annotators; {stances.stances} stances",
    ]
    labels = report.document_labels
    lines.append(
        f"Document labels: Cohen's κ {number(labels.mean)} (mean over pairs), Fleiss' κ "
        f"{number(labels.fleiss)} over {labels.fleiss_documents} documents; labels: "
        f"{', '.join(labels.labels) or 'none'}"
    )

    confusion = report.confusion
    if confusion.labels:
        header = ["", *confusion.labels, "none"]
        keys = [*confusion.labels, "none"]
        rows = [
            [key, *(str(count) for count in row)]
            for key, row in zip(keys, confusion.matrix, strict=True)
        ]
        lines += [
            "",
            "Label confusion (symmetric: one annotator's label against the other's, "
            "whoever said which)",
        ]
        lines += _table(header, rows)

    measured = unitized.least_agreement(TOP_DOCUMENTS)
    if measured:
        lines += ["", f"Least agreement (αU), {len(measured)} documents"]
        lines += _table(
            ["document", "αU", "spans", "title"],
            [
                [
                    document.external_id or document.id,
                    number(document.overall),
                    str(document.spans),
                    document.title[:60],
                ]
                for document in measured
            ],
            "lrrl",
        )
    if report.notes:
        lines += ["", "Notes:"] + [f"  - {note}" for note in report.notes]
    return "\n".join(lines) + "\n"
