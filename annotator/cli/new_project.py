"""A command that writes and then fails leaves the project as it was.

A demo or an import onto a full disk used to leave an empty, migrated project file that the
next start opened as if it were the user's; a rejected import into a file of an older
version used to leave it upgraded, with a backup beside it. Now, when the command fails, a
file that did not exist when it began is removed (with SQLite's -wal and -shm), and a file
this run upgraded is put back from its backup (store.database.undo_upgrade).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from annotator.paths import project_file
from annotator.store.database import Database, open_database, undo_upgrade


@contextlib.contextmanager
def project_for_writing(db: str | None) -> Iterator[Database]:
    """The project named by `db`, opened (created or upgraded if need be) and closed after."""
    path = project_file(db)
    existed = path is None or path.exists()
    database: Database | None = None
    try:
        database = open_database(db)
        yield database
    except BaseException:
        if database is not None and existed:
            undo_upgrade(database)
        if not existed and path is not None:
            if database is not None:
                database.close()
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise
    finally:
        if database is not None:
            database.close()
