"""What a person sees when something fails inside the window: one line, and where the log is.

PySide6 hands an exception raised in a slot (a click, a key, a timer) to `sys.excepthook`,
whose default prints a traceback on a terminal nobody is looking at and carries on. The hook
here writes the traceback to the log file and shows one line in the window instead: the
message itself for an error meant for people (`AnnotatorError`), otherwise what failed and
where the details are.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from annotator.core.errors import AnnotatorError
from annotator.logs import log_file

log = logging.getLogger(__name__)


def install_exception_hook(show: Callable[[str], None]) -> None:
    """Route exceptions that reach the event loop to the log file and to `show` (one line)."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        if isinstance(error, AnnotatorError):
            log.info("refused: %s", error)
            show(str(error))
            return
        log.error("internal error in the window", exc_info=(kind, error, trace))
        show(f"Something went wrong ({kind.__name__}: {error}); the details are in {log_file()}")

    sys.excepthook = hook
