"""The whole command line as an argparse parser: every command, its options and its help."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.cli import annotators, demo, docs, gui, imports, schema
from annotator.cli.usage import Parser, UsageError


def build_parser() -> Parser:
    """The whole command line, every command included."""
    return _build_parser(every_command=True)


def _build_parser(*, every_command: bool) -> Parser:
    """The command line; without `every_command`, the commands whose modules import more than
    argparse (export, bundle, agreement) are left out, and so are their imports."""
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
    gui.add_command(commands, database)
    demo.add_command(commands, database)
    docs.add_command(commands, database)
    imports.add_command(commands, database)
    if every_command:
        from annotator.cli import agreement, bundle, export

        export.add_command(commands, database)
        bundle.add_command(commands, database)
        agreement.add_command(commands, database)
    schema.add_command(commands, database)
    annotators.add_command(commands, database)
    return parser


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
