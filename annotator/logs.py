"""Logging to a file in the user log dir; internal errors go there with their traceback."""

from __future__ import annotations

import logging
from pathlib import Path

from annotator.paths import log_dir


def log_file() -> Path:
    return log_dir() / "annotator.log"


def setup_logging(verbose: bool = False) -> None:
    """Log to the log file (when it can be written) and warnings or more to stderr."""
    root = logging.getLogger()
    if root.handlers:
        return
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        log_file().parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_file(), encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    except OSError:
        pass  # a read-only home must not stop the app; messages still reach stderr
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(_OneLine("annotator: %(message)s"))
    if not verbose:
        console.addFilter(_OursOnly())
    root.addHandler(console)


class _OursOnly(logging.Filter):
    """The terminal hears Annotator's own warnings, not those of the libraries it uses (an
    HTML extractor's "discarding data: None"); they all still reach the log file. An
    internal error is said once by the command line itself, so its log record stays there."""

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name == "annotator" or record.name.startswith("annotator.")
        return ours and record.name != "annotator.cli"


class _OneLine(logging.Formatter):
    """The terminal gets the message only; tracebacks belong in the log file."""

    def format(self, record: logging.LogRecord) -> str:
        return self._style.format(record)
