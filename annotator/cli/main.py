"""Running the command line: one line for every error meant for people, exit status 1."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.cli.failures import describe, printable
from annotator.cli.gui import run as run_gui
from annotator.cli.parser import parse_arguments
from annotator.core.errors import AnnotatorError
from annotator.logs import log_file, setup_logging

log = logging.getLogger("annotator.cli")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args: argparse.Namespace | None = None
    try:
        args = parse_arguments(argv)
        setup_logging(args.verbose)
        run: Callable[[argparse.Namespace], int] = getattr(args, "run", run_gui)
        return run(args)
    except AnnotatorError as error:
        print(printable(f"annotator: {error}"), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `annotator docs | head`: the reader left, which is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("annotator: interrupted; nothing half-done was kept", file=sys.stderr)
        return 130
    except Exception as error:  # a known failure, or a bug: one line, the traceback in the log
        known = describe(error, _project(args), _project_path(args))
        if known is not None:
            log.info("known failure", exc_info=True)  # to the log file only
            print(printable(f"annotator: {known}"), file=sys.stderr)
            return 1
        log.exception("internal error")
        print(
            printable(f"annotator: internal error: {error!r}; details in {log_file()}"),
            file=sys.stderr,
        )
        return 2


def _project_path(args: argparse.Namespace | None) -> Path | None:
    """The SQLite file of the project, if it is one (to name who holds its lock)."""
    from annotator.paths import project_file

    try:
        return project_file(getattr(args, "db", None) if args is not None else None)
    except Exception:  # only a courtesy for the message; it stands without it
        return None


def _project(args: argparse.Namespace | None) -> str:
    """The project as the user named it (or its default), for messages."""
    given = getattr(args, "db", None) if args is not None else None
    if given:
        return str(given)
    return os.environ.get("ANNOTATOR_DB") or "the project database"
