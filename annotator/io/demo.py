"""The demo project: the default schema, the demo actor registry and the demo articles.

The articles in `resources/demo/articles.jsonl` were written for Annotator; their outlets are
fictional. Loading the demo twice changes nothing the second time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from annotator.core.actors import parse_actor_registry
from annotator.core.resources import resource
from annotator.core.schema import LabelSchema, default_schema
from annotator.core.text import normalise
from annotator.store.database import Database
from annotator.store.documents import add_document
from annotator.store.project import install_actors, install_schema

DEMO = resource("demo")


@dataclass(frozen=True)
class DemoSummary:
    documents_added: int
    documents_present: int
    actors_added: int


def load_demo(project: Database, *, schema: LabelSchema | None = None) -> DemoSummary:
    """Install the schema, actors and articles of the demo in one transaction."""
    schema = schema or default_schema()
    registry = parse_actor_registry(
        DEMO.joinpath("actors.toml").read_text("utf-8"), "demo/actors.toml", schema.actor_types
    )
    added = present = 0
    with project.sessions.begin() as session:
        install_schema(session, schema)
        actors_added = install_actors(session, registry)
        lines = DEMO.joinpath("articles.jsonl").read_text("utf-8").splitlines()
        for line in lines:
            record = json.loads(line)
            _, created = add_document(
                session,
                normalise(record["text"]),
                external_id=record["id"],
                title=record["title"],
                source=record["source"],
                url=record["url"],
                published=record["published"],
                story=record["story"],
                meta={"demo": True},
            )
            added += created
            present += not created
    return DemoSummary(added, present, actors_added)
