"""`annotator gui` (the default command): open the app, or render its window to a PNG."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_command(commands: Any, database: argparse.ArgumentParser) -> None:
    """Add `gui` to `commands` (what `add_subparsers` returned)."""
    gui = commands.add_parser("gui", parents=[database], help="open the app (the default)")
    gui.add_argument(
        "--screenshot", metavar="PNG", type=Path, help="render the window to a PNG file and exit"
    )
    gui.add_argument("--document", metavar="ID", help="open this document (id or external id)")
    gui.add_argument("--compare", metavar="ID2", help="and this one beside it")
    gui.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.ui.app import run_app  # Qt is imported only here

    return run_app(
        db=getattr(args, "db", None),
        screenshot=getattr(args, "screenshot", None),
        document=getattr(args, "document", None),
        compare=getattr(args, "compare", None),
    )
