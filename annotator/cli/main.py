"""Running the command line: one line for every error meant for people, exit status 1."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from annotator.cli.gui import run as run_gui
from annotator.cli.parser import parse_arguments
from annotator.core.errors import AnnotatorError
from annotator.logs import log_file, setup_logging

log = logging.getLogger("annotator.cli")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = parse_arguments(argv)
        setup_logging(args.verbose)
        run: Callable[[argparse.Namespace], int] = getattr(args, "run", run_gui)
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
