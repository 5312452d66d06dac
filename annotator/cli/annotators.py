"""`annotator annotators`: who works on the project, and who is a reviewer.

annotator annotators list
annotator annotators add NAME --role reviewer
annotator annotators set-role NAME reviewer
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from annotator.core.roles import ROLES


def add_command(commands: Any, database: argparse.ArgumentParser) -> None:
    """Add `annotators` to `commands` (what `add_subparsers` returned)."""
    from annotator.cli.usage import Parser

    annotators = commands.add_parser(
        "annotators",
        parents=[database],
        help="list the annotators, add one, or make one a reviewer",
        description="A reviewer adjudicates the annotators' layers into gold (Review › "
        "Review and adjudicate in the app); every new name is an annotator.",
    )
    actions = annotators.add_subparsers(
        dest="annotators_action", metavar="ACTION", parser_class=Parser, required=True
    )
    listing = actions.add_parser("list", parents=[database], help="every annotator and role")
    listing.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    add = actions.add_parser("add", parents=[database], help="add an annotator")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=ROLES, default="annotator", help="default: annotator")
    role = actions.add_parser("set-role", parents=[database], help="change someone's role")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", metavar="ROLE", choices=ROLES, help=" or ".join(ROLES))
    annotators.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.store.annotators import add_annotator, list_annotators, set_role
    from annotator.store.database import open_database

    action = args.annotators_action
    database = open_database(getattr(args, "db", None), create=action == "add")
    try:
        if action == "list":
            with database.sessions() as session:
                rows = list_annotators(session)
            if args.json:
                print(json.dumps([row.__dict__ for row in rows], ensure_ascii=False))
            elif not rows:
                print(f"no annotators yet in {database.display_name}")
            for row in [] if args.json else rows:
                print(f"{row.name}\t{row.role}\t{row.spans} spans")
            return 0
        with database.sessions.begin() as session:
            if action == "add":
                add_annotator(session, args.name, args.role)
                print(f"added {args.name} as {args.role} in {database.display_name}")
            else:
                change = set_role(session, args.name, args.role)
                verb = "is now" if change else "was already"
                print(f"{args.name} {verb} {args.role} in {database.display_name}")
    finally:
        database.close()
    return 0
