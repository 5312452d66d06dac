"""`annotator schema check|load`: validate a label schema (TOML), or make it the project's."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_command(commands: Any, database: argparse.ArgumentParser) -> None:
    """Add `schema` with its actions to `commands` (what `add_subparsers` returned)."""
    schema = commands.add_parser("schema", help="check or load a label schema (TOML)")
    actions = schema.add_subparsers(
        dest="schema_command", metavar="ACTION", parser_class=type(schema), required=True
    )
    check = actions.add_parser("check", help="validate a schema file")
    check.add_argument("path", metavar="TOML", type=Path)
    check.set_defaults(run=run_check)
    load = actions.add_parser(
        "load", parents=[database], help="validate a schema file and make it the project's"
    )
    load.add_argument("path", metavar="TOML", type=Path)
    load.set_defaults(run=run_load)


def run_check(args: argparse.Namespace) -> int:
    from annotator.core.schema import load_schema

    schema = load_schema(args.path)
    print(
        f"{args.path}: schema '{schema.name}' {schema.version}: {len(schema.labels)} labels, "
        f"{len(schema.issues)} issues, {len(schema.polarities)} polarities"
    )
    return 0


def run_load(args: argparse.Namespace) -> int:
    from annotator.cli.new_project import project_for_writing
    from annotator.core.schema import load_schema
    from annotator.store.project import install_schema

    schema = load_schema(args.path)  # validate before the database is touched
    with (
        project_for_writing(getattr(args, "db", None)) as database,
        database.sessions.begin() as session,
    ):
        install_schema(session, schema)
    print(f"schema '{schema.name}' {schema.version} is now the schema of {database.display_name}")
    return 0
