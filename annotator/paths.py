"""Where Annotator keeps its files by default (platformdirs), in one place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import platformdirs

APP_NAME = "annotator"
DATABASE_ENV_VAR = "ANNOTATOR_DB"  # the project to open when no --db is given


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def default_database() -> Path:
    return data_dir() / "annotator.sqlite"


def chosen_project(db: str | None) -> str:
    """The project named by `--db`, else by ANNOTATOR_DB, else the default file: a path or URL."""
    return db or os.environ.get(DATABASE_ENV_VAR) or str(default_database())


def project_file(db: str | None) -> Path | None:
    """The SQLite file `chosen_project(db)` names as a path, or None for a URL."""
    chosen = chosen_project(db)
    return None if "://" in chosen else Path(chosen).expanduser().absolute()


def project_key(path: Path | None, url: str | None) -> str:
    """The project as the settings name it: its file's full path, or the server's URL."""
    return str(path.resolve()) if path is not None else str(url)


NEARLY_FULL = 1 << 20  # SQLite needs room for its WAL index and journal beside the file


def nearly_full(path: Path | None) -> bool:
    """Whether the disk holding `path` has less than 1 MiB free: SQLite then reports only
    "disk I/O error" (it cannot create or grow the WAL index), which means a full disk."""
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent if not path.is_dir() else path).free < NEARLY_FULL
    except OSError:
        return False
