"""Failures that are not bugs, in words for people: a busy, full, damaged or unknown database,
input too deep or too large for Python, text that is not text.

The command line turns these into one line and exit status 1; anything else is an internal
error (exit 2, the traceback in the log). Every write is one transaction, so a failure here
has stored nothing.
"""

from __future__ import annotations

import errno
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from annotator.paths import nearly_full


def _chain(error: BaseException) -> Iterator[BaseException]:
    """`error`, the driver error SQLAlchemy wraps (`.orig`), and what it was raised from."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([getattr(current, "orig", None), current.__cause__, current.__context__])


def describe(error: BaseException, project: str, path: Path | None = None) -> str | None:
    """One line for a known failure while working on `project` (the SQLite file `path`),
    or None for a bug."""
    for cause in _chain(error):
        text = str(cause).lower()
        name = type(cause).__name__
        if isinstance(cause, sqlite3.Error) or name in ("OperationalError", "DatabaseError"):
            if "locked" in text or "busy" in text:
                return (
                    f"{project}: another program{_holder(path)} is writing to this project "
                    "and did not finish within 10 seconds; nothing was changed, try again when "
                    "it is done"
                )
            # On a full disk SQLite in WAL mode often says only "disk I/O error".
            if "full" in text or ("disk i/o" in text and nearly_full(path)):
                return f"{project}: the disk is full; nothing was changed (free some space)"
            if "disk i/o" in text:
                return (
                    f"{project}: the disk could not be written or read (disk I/O error: the "
                    "disk may be full, or the drive gone); nothing was changed"
                )
            if "malformed" in text or "not a database" in text:
                return (
                    f"{project}: the database file is damaged (SQLite says: {cause}); restore "
                    "it from a copy (an upgrade leaves NAME.backup-* files beside it)"
                )
            if "readonly" in text or "read-only" in text:
                return f"{project}: the project file is read-only; nothing was changed"
        if name == "NoSuchModuleError":
            return (
                f"{project}: not a database Annotator can open (use a file path, or a "
                "sqlite:// or postgresql+psycopg:// URL)"
            )
        if isinstance(cause, RecursionError):
            return "the input is nested too deeply to be read; nothing was changed"
        if isinstance(cause, MemoryError):
            return "the input is too large to be read in memory; nothing was changed"
        if isinstance(cause, UnicodeEncodeError) and "surrogate" in text:
            return (
                "a name or argument holds bytes that are not valid text in this system's "
                "encoding (a lone surrogate); rename the file or retype the argument"
            )
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return f"{cause.filename or project}: the disk is full; nothing was kept"
    return None


def _holder(path: Path | None) -> str:
    """' (process 1234 (annotator import a.jsonl))' when the lock's holder can be named."""
    from annotator.store.lock_holder import lock_holder

    holder = lock_holder(path) if path is not None else None
    return f", {holder}," if holder else ""


# Characters that would break the one line or steer the terminal (an escape sequence in a
# file name or a CSV header echoed back): control characters and line separators.
UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def printable(line: str) -> str:
    """`line` with anything the terminal cannot show as one line of text (a lone surrogate
    from a file name in a foreign encoding, a control character from a file) written as an
    escape, so printing the message cannot fail and stays one line."""
    line = line.encode("utf-8", "backslashreplace").decode("utf-8")
    return UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode(), line)
