"""The demo project: the default schema, the demo actor registry and the demo articles.

The articles in `resources/demo/articles.jsonl` were written for Annotator; their outlets are
fictional. Loading the demo twice changes nothing the second time.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from annotator.core.actors import parse_actor_registry
from annotator.core.changes import ProjectChange
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
    document_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)  # those added

    @property
    def change(self) -> ProjectChange:
        # The schema and the demo registry are installed each time: the vocabulary (which
        # the views read whole, actors with it) may differ.
        return ProjectChange(documents=self.document_ids, vocabulary=True)


def load_demo(project: Database, *, schema: LabelSchema | None = None) -> DemoSummary:
    """Install the schema, actors and articles of the demo in one transaction."""
    schema = schema or default_schema()
    registry = parse_actor_registry(
        DEMO.joinpath("actors.toml").read_text("utf-8"), "demo/actors.toml", schema.actor_types
    )
    added: list[uuid.UUID] = []
    present = 0
    with project.sessions.begin() as session:
        install_schema(session, schema)
        actors_added = install_actors(session, registry)
        lines = DEMO.joinpath("articles.jsonl").read_text("utf-8").splitlines()
        for line in lines:
            record = json.loads(line)
            document, created = add_document(
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
            if created:
                added.append(document.id)
            present += not created
    return DemoSummary(len(added), present, actors_added, frozenset(added))
