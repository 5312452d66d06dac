"""The `annotator` command line. It never imports Qt unless the GUI is asked for."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.logs import log_file, setup_logging
from annotator.terminal import TerminalProgress

log = logging.getLogger(__name__)


class UsageError(AnnotatorError):
    """The command line itself is wrong."""


class Parser(argparse.ArgumentParser):
    """argparse, but a wrong option is a one-line message and exit status 1."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> Parser:
    """The whole command line, every command included."""
    return _build_parser(every_command=True)


def _build_parser(*, every_command: bool) -> Parser:
    """The command line; without `every_command`, the commands defined outside this module
    (export, bundle, agreement) are left out, and so are their imports."""
    database = Parser(add_help=False)
    database.add_argument(
        "--db",
        metavar="PATH|URL",
        default=argparse.SUPPRESS,
        help="project database: a file path or a SQLAlchemy URL "
        "(default: $ANNOTATOR_DB, else a file in your user data folder)",
    )
    parser = Parser(
        prog="annotator",
        description="Label news articles: spans, actors, issues and stances, side by side.",
        parents=[database],
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("--verbose", action="store_true", help="print debug messages")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    gui = commands.add_parser("gui", parents=[database], help="open the app (the default)")
    gui.add_argument(
        "--screenshot", metavar="PNG", type=Path, help="render the window to a PNG file and exit"
    )
    gui.add_argument("--document", metavar="ID", help="open this document (id or external id)")
    gui.add_argument("--compare", metavar="ID2", help="and this one beside it")
    gui.set_defaults(run=_run_gui)

    demo = commands.add_parser(
        "demo", parents=[database], help="load the demo articles, schema and actor registry"
    )
    demo.add_argument("--schema", metavar="TOML", type=Path, help="use this label schema")
    demo.set_defaults(run=_run_demo)

    docs = commands.add_parser("docs", parents=[database], help="list the documents")
    docs.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    docs.add_argument("--text", action="store_true", help="include each document's text")
    docs.add_argument(
        "--annotator",
        metavar="NAME",
        help="whose status to show (default: the annotator set up on this computer)",
    )
    docs.set_defaults(run=_run_docs)

    importing = commands.add_parser(
        "import",
        parents=[database],
        help="import articles: files or folders",
        description="Import articles from text, Markdown, HTML, JSONL or CSV files; folders "
        "are walked. The whole command is one transaction: a bad file stops it and nothing "
        "is stored (unless --skip-bad).",
    )
    importing.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    importing.add_argument(
        "--format", default="auto", choices=("auto", "txt", "md", "html", "jsonl", "csv")
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
    importing.set_defaults(run=_run_import)

    if every_command:
        from annotator.cli.agreement import add_agreement_command
        from annotator.cli.bundle import add_bundle_command
        from annotator.cli.export import add_export_command

        add_export_command(commands, database)
        add_bundle_command(commands, database)
        add_agreement_command(commands, database)

    schema = commands.add_parser("schema", help="check or load a label schema (TOML)")
    schema_commands = schema.add_subparsers(
        dest="schema_command", metavar="ACTION", parser_class=Parser, required=True
    )
    check = schema_commands.add_parser("check", help="validate a schema file")
    check.add_argument("path", metavar="TOML", type=Path)
    check.set_defaults(run=_run_schema_check)
    load = schema_commands.add_parser(
        "load", parents=[database], help="validate a schema file and make it the project's"
    )
    load.add_argument("path", metavar="TOML", type=Path)
    load.set_defaults(run=_run_schema_load)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = parse_arguments(argv)
        setup_logging(args.verbose)
        run: Callable[[argparse.Namespace], int] = getattr(args, "run", _run_gui)
        return run(args)
    except AnnotatorError as error:
        print(f"annotator: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `annotator docs | head`: the reader left, which is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("annotator: interrupted; nothing half-done was kept", file=sys.stderr)
        return 130
    except Exception as error:  # an internal bug: one line here, the traceback in the log
        log.exception("internal error")
        print(f"annotator: internal error: {error!r}; details in {log_file()}", file=sys.stderr)
        return 2


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line as `build_parser()` does, building less of it when it can.

    The export command's module imports the export options and formats, which `annotator gui`
    (the default) has no use for before its window is up. So the parser without the commands
    defined elsewhere tries first. Help, and anything it rejects (such as one of the commands
    it lacks), goes to the whole parser: every help text, error and result is the same.
    """
    given = sys.argv[1:] if argv is None else list(argv)
    if not any(arg.startswith(("-h", "--h")) for arg in given):  # --he is --help too
        try:
            return _build_parser(every_command=False).parse_args(given)
        except UsageError:
            pass  # the whole parser decides, and words the message
    return build_parser().parse_args(given)


def _run_gui(args: argparse.Namespace) -> int:
    from annotator.ui.app import run_app  # Qt is imported only here

    return run_app(
        db=getattr(args, "db", None),
        screenshot=getattr(args, "screenshot", None),
        document=getattr(args, "document", None),
        compare=getattr(args, "compare", None),
    )


def _run_demo(args: argparse.Namespace) -> int:
    from annotator.core.schema import load_schema
    from annotator.io.demo import load_demo
    from annotator.store.database import open_database

    schema = load_schema(args.schema) if args.schema else None
    database = open_database(getattr(args, "db", None))
    try:
        summary = load_demo(database, schema)
    finally:
        database.close()
    print(
        f"demo: {summary.documents_added} documents added, {summary.documents_present} "
        f"already there, {summary.actors_added} actors added, in {database.display_name}"
    )
    return 0


def _run_docs(args: argparse.Namespace) -> int:
    from annotator.settings import Settings
    from annotator.store.database import open_database
    from annotator.store.documents import list_documents
    from annotator.store.project import find_annotator

    database = open_database(getattr(args, "db", None), create=False)
    try:
        with database.sessions() as session:
            name = args.annotator or Settings.load().annotator
            annotator = find_annotator(session, name) if name else None
            if args.annotator and annotator is None:
                raise UsageError(
                    f"--annotator: no annotator named '{args.annotator}' in {database.display_name}"
                )
            rows = list_documents(
                session, annotator_id=annotator.id if annotator else None, with_text=args.text
            )
    finally:
        database.close()
    if args.json:
        json.dump([row.as_json() for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        published = row.published or "-"
        print(
            f"{row.id}  {row.story or '-':<22} {published:<10} {row.source or '-':<20} "
            f"{row.status:<11} {row.length:>7}  {row.title}"
        )
        if row.text is not None:
            print("\n".join("    " + line for line in row.text.splitlines()) + "\n")
    if not rows:
        print(
            f"no documents in {database.display_name}; try 'annotator demo' or 'annotator import'",
            file=sys.stderr,
        )
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from annotator.io.imports.importer import store_plan
    from annotator.io.imports.planning import ImportOptions, plan_import
    from annotator.store.database import open_database

    options = ImportOptions(
        format=args.format,
        story=args.story,
        source=args.source,
        clean=args.clean,
        skip_bad=args.skip_bad,
        annotator=args.annotator,
    )
    bar = TerminalProgress()
    plan = plan_import(args.paths, options, bar)  # read and check before opening the database
    database = open_database(getattr(args, "db", None))
    try:
        summary = store_plan(database, plan, options, bar)
    finally:
        bar.finish()
        database.close()
    for line in summary.lines():
        print(line)
    if args.show_dropped:
        for article in plan.articles:
            for dropped in article.dropped:
                print(f"dropped from {article.record.origin}: [{dropped.reason}] {dropped.text}")
    return 0


def _run_schema_check(args: argparse.Namespace) -> int:
    from annotator.core.schema import load_schema

    schema = load_schema(args.path)
    print(
        f"{args.path}: schema '{schema.name}' {schema.version}: {len(schema.labels)} labels, "
        f"{len(schema.issues)} issues, {len(schema.polarities)} polarities"
    )
    return 0


def _run_schema_load(args: argparse.Namespace) -> int:
    from annotator.core.schema import load_schema
    from annotator.store.database import open_database
    from annotator.store.project import install_schema

    schema = load_schema(args.path)  # validate before the database is touched
    database = open_database(getattr(args, "db", None))
    try:
        with database.sessions.begin() as session:
            install_schema(session, schema)
    finally:
        database.close()
    print(f"schema '{schema.name}' {schema.version} is now the schema of {database.display_name}")
    return 0
