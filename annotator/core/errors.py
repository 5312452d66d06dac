"""Errors meant for people: each carries a one-line message naming the file and line."""

from __future__ import annotations


class AnnotatorError(Exception):
    """A problem the user can fix; the CLI prints `str(error)` and exits with status 1."""


class SchemaError(AnnotatorError):
    """A label schema or actor registry file is malformed."""

    def __init__(self, path: str, key: str | None, message: str, line: int | None = None) -> None:
        self.path = path
        self.key = key
        self.line = line
        self.reason = message
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


class StaleEdit(AnnotatorError):
    """An edit met a layer that was changed elsewhere (another window or program) since the
    window read it: nothing of the edit is stored, and the window reads the layer again."""
