"""A wrong command line is one line naming what is wrong, and exit status 1."""

from __future__ import annotations

import argparse
from typing import NoReturn

from annotator.core.errors import AnnotatorError


class UsageError(AnnotatorError):
    """The command line itself is wrong."""


class Parser(argparse.ArgumentParser):
    """argparse, but a wrong option is a one-line message and exit status 1."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")
