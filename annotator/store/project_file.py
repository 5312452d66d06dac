"""Checks on a project file before anything opens it: what the user can fix, in one line.

Free of SQLAlchemy, so the first look (store.first_look) can make the same checks before the
first window is painted; `store.database.open_database` makes them before it opens a file.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from annotator.core.errors import AnnotatorError


class DatabaseError(AnnotatorError):
    """The database cannot be opened or used as asked."""


def check_project_file(path: Path, *, create: bool) -> None:
    """Raise DatabaseError (one line) if `path` cannot be a project Annotator may write to."""
    folder = path.parent
    if path.is_dir():
        raise DatabaseError(
            f"{path}: is a folder; give a file name such as {path / 'project.sqlite'}"
        )
    if not path.exists():
        if not create:
            raise DatabaseError(f"{path}: no such database")
        if not folder.is_dir():
            raise DatabaseError(
                f"{path}: cannot create the database, folder {folder} does not exist"
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise DatabaseError(f"{path}: cannot create the database, folder {folder} is read-only")
        return
    if not os.access(path, os.R_OK):
        raise DatabaseError(f"{path}: cannot be read (permission denied)")
    if not _is_sqlite(path):
        raise DatabaseError(f"{path}: is not an Annotator database (not an SQLite file)")
    # The write bits count even for root, who could write anyway: a file someone made
    # read-only is one they do not want changed. SQLite also needs the folder for its WAL.
    if not os.access(path, os.W_OK) or not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP):
        raise DatabaseError(f"{path}: the file is read-only; make it writable or copy it elsewhere")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(
            f"{path}: folder {folder} is read-only; SQLite needs to write beside the file"
        )


def _is_sqlite(path: Path) -> bool:
    """Does SQLite take `path` for a database (an empty file counts)?

    Asked of SQLite, never read with open(): closing any file descriptor of a database
    drops every POSIX lock this process holds on it, so a window that already has the
    project open (its change watch, the first look) would look closed to other programs,
    and the next one to close would delete the WAL under the window's feet, with the
    window's later commits in it. SQLite's own opens know of this and keep the locks.
    """
    try:
        # immutable: no locks taken, no -shm made, no waiting on a writer; it reads only
        # the file's header and schema page, which is all this asks.
        uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
        connection = sqlite3.connect(uri, uri=True, timeout=0)
    except sqlite3.Error:
        return True  # cannot open it read-only here: the checks below, or the store, say why
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        return "not a database" not in str(error)
    finally:
        connection.close()
    return True


# SQLite's files beside a project: what an output written over them would destroy.
COMPANIONS = ("-wal", "-shm", "-journal")


def project_clash(out: Path, project: Path | None, *, folder: bool = False) -> str | None:
    """Why writing the output `out` would destroy the project `project`, or None.

    The one guard every output (exports, split files and cards, brat folders, bundles, the
    HTML report, screenshots) asks before it writes. Paths are compared resolved (`..`,
    symlinks) and, when both exist, as files (a hard link is the same file): `out` must not
    be the project, its -wal, -shm or -journal, nor one of its backups
    (`NAME.backup-*`); a folder output (replaced whole) must not hold any of them.
    """
    if project is None:
        return None
    project = project.expanduser().resolve()
    target = out.expanduser().resolve()
    if target == project or _same_file(target, [project]):
        return "is the project database; choose another name"
    companions = [project.with_name(project.name + end) for end in COMPANIONS]
    if target in companions or _same_file(target, companions):
        return "is one of SQLite's files of the project database; choose another name"
    if target.parent == project.parent and target.name.startswith(f"{project.stem}.backup-"):
        return "is a backup of the project database; choose another name"
    if folder and project.is_relative_to(target):
        return "holds the project database, and this export replaces the whole folder"
    return None


def _same_file(target: Path, guarded: list[Path]) -> bool:
    if not target.exists():
        return False
    for path in guarded:
        try:
            if path.exists() and target.samefile(path):
                return True
        except OSError:
            continue
    return False
