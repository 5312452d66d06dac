"""A command that creates the project file and then fails leaves no project behind.

A demo or an import onto a full disk used to leave an empty, migrated project file that the
next start opened as if it were the user's. If the file did not exist when the command
began, a failure removes it (and SQLite's -wal and -shm beside it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from annotator.paths import project_file


@contextlib.contextmanager
def removed_if_failed(db: str | None) -> Iterator[None]:
    path: Path | None = project_file(db)
    existed = path is None or path.exists()
    try:
        yield
    except BaseException:
        if not existed and path is not None:
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise
