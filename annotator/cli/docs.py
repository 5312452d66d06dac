"""`annotator docs`: list the project's documents, as a table or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_command(commands: Any, database: argparse.ArgumentParser) -> None:
    """Add `docs` to `commands` (what `add_subparsers` returned)."""
    docs = commands.add_parser("docs", parents=[database], help="list the documents")
    docs.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    docs.add_argument("--text", action="store_true", help="include each document's text")
    docs.add_argument(
        "--annotator",
        metavar="NAME",
        help="whose status to show (default: the annotator set up on this computer)",
    )
    docs.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.cli.usage import UsageError
    from annotator.settings import Settings
    from annotator.store.database import open_database
    from annotator.store.documents import list_documents
    from annotator.store.project import find_annotator

    database = open_database(getattr(args, "db", None), create=False)
    try:
        with database.sessions() as session:
            name = args.annotator or Settings.load().annotator
            annotator = find_annotator(session, name) if name else None
            if args.annotator and annotator is None:
                raise UsageError(
                    f"--annotator: no annotator named '{args.annotator}' in {database.display_name}"
                )
            rows = list_documents(
                session, annotator_id=annotator.id if annotator else None, with_text=args.text
            )
    finally:
        database.close()
    if args.json:
        json.dump([row.as_json() for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        published = row.published or "-"
        print(
            f"{row.id}  {row.story or '-':<22} {published:<10} {row.source or '-':<20} "
            f"{row.status:<11} {row.length:>7}  {row.title}"
        )
        if row.text is not None:
            print("\n".join("    " + line for line in row.text.splitlines()) + "\n")
    if not rows:
        print(
            f"no documents in {database.display_name}; try 'annotator demo' or 'annotator import'",
            file=sys.stderr,
        )
    return 0
