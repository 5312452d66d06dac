"""`annotator import`: read article files and folders into the project, in one transaction."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

# The names `--format` takes (io.imports.readers.FORMATS, which is slower to import).
IMPORT_FORMATS: tuple[str, ...] = (
    "auto",
    "txt",
    "md",
    "html",
    "jsonl",
    "csv",
    "labelstudio",
    "doccano",
    "brat",
)
IMPORT_FORMATS += ("conll", "prodigy", "spacy", "xmi", "webanno-tsv")


def add_command(commands: Any, database: argparse.ArgumentParser) -> None:
    """Add `import` to `commands` (what `add_subparsers` returned)."""
    importing = commands.add_parser(
        "import",
        parents=[database],
        help="import articles: files or folders",
        description="Import articles from text, Markdown, HTML, JSONL or CSV files, and "
        "annotated documents from Label Studio, doccano, brat, CoNLL, Prodigy, spaCy, "
        "INCEpTION (UIMA CAS XMI, WebAnno TSV); the format is found from each file's content. "
        "Folders are walked. The whole command is one transaction: a bad file stops it and "
        "nothing is stored (unless --skip-bad).",
    )
    importing.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    importing.add_argument("--format", default="auto", choices=IMPORT_FORMATS)
    importing.add_argument(
        "--offsets",
        default="codepoints",
        choices=("codepoints", "utf16"),
        help="how the file counts span offsets: code points (Python, spaCy, Label Studio) or "
        "UTF-16 units (spans made in doccano's web UI)",
    )
    importing.add_argument("--story", metavar="KEY", help="story key for side-by-side pairing")
    importing.add_argument("--source", metavar="NAME", help="the outlet, for every article")
    importing.add_argument(
        "--annotator", metavar="NAME", help="layer for spans in records that name no annotator"
    )
    cleaning = importing.add_mutually_exclusive_group()
    cleaning.add_argument(
        "--clean",
        dest="clean",
        action="store_true",
        default=None,
        help="remove page chrome from JSONL/CSV text too",
    )
    cleaning.add_argument(
        "--no-clean",
        dest="clean",
        action="store_false",
        help="keep scraped text as it is (no chrome removal)",
    )
    importing.add_argument(
        "--skip-bad", action="store_true", help="import the good files and lines, list the bad ones"
    )
    importing.add_argument(
        "--show-dropped", action="store_true", help="list every line that cleaning removed"
    )
    importing.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.cli.new_project import project_for_writing
    from annotator.cli.usage import UsageError
    from annotator.core.json_input import unfit
    from annotator.io.imports.importer import ImportFailed, check_plan, store_plan
    from annotator.io.imports.planning import ImportOptions, plan_import
    from annotator.terminal import TerminalProgress

    for option in ("story", "source", "annotator"):
        value = getattr(args, option)
        problem = unfit(value) if value else None
        if problem is not None:  # it would be stored on every document, then break exports
            raise UsageError(f"--{option}: {problem}")
    options = ImportOptions(
        format=args.format,
        story=args.story,
        source=args.source,
        clean=args.clean,
        skip_bad=args.skip_bad,
        annotator=args.annotator,
        offsets=args.offsets,
    )
    bar = TerminalProgress()
    plan = plan_import(args.paths, options, bar)  # read and check before opening the database
    try:
        check_plan(plan, options)  # bad input creates, upgrades or backs up no project file
    except ImportFailed:
        bar.finish()
        raise
    db = getattr(args, "db", None)
    with project_for_writing(db) as database:
        try:
            summary = store_plan(database, plan=plan, options=options, progress=bar)
        finally:
            bar.finish()
    for line in summary.lines():
        print(line)
    if args.show_dropped:
        for article in plan.articles:
            for dropped in article.dropped:
                print(f"dropped from {article.record.origin}: [{dropped.reason}] {dropped.text}")
    return 0
