"""Where Annotator keeps its files by default (platformdirs), in one place."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "annotator"


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def default_database() -> Path:
    return data_dir() / "annotator.sqlite"
