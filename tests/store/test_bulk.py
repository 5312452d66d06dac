"""store.bulk.insert_rows stores rows exactly as the ORM does, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text

from annotator.store.bulk import insert_rows
from annotator.store.database import open_database
from annotator.store.models import Annotator, Document, Span, now


def test_rows_inserted_in_bulk_read_back_like_the_orms(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.sessions.begin() as session:
            annotator = Annotator(name="ann", role="annotator")
            document = Document(title="t", text="Kyiv said yes.", text_sha256="0" * 64, length=14)
            session.add_all([annotator, document])
            session.flush()
            stamp = now()
            orm = Span(
                document_id=document.id,
                annotator_id=annotator.id,
                start=0,
                end=4,
                label="ACTOR",
                note="",
                created_at=stamp,
                updated_at=stamp,
            )
            session.add(orm)
            session.flush()
            bulk_ids = [uuid.uuid4() for _ in range(3)]
            insert_rows(
                session,
                Span,
                [
                    {
                        "id": identifier,
                        "document_id": document.id,
                        "annotator_id": annotator.id,
                        "start": 5 + n,
                        "end": 9,
                        "label": "ACTOR",
                        "actor_id": None,
                        "issue_id": None,
                        "note": "",
                        "created_at": stamp,
                        "updated_at": stamp,
                        "deleted_at": None,
                    }
                    for n, identifier in enumerate(bulk_ids)
                ],
            )
            insert_rows(session, Span, [])  # nothing to do
        with database.sessions() as session:
            spans = {s.id: s for s in session.scalars(select(Span))}
            assert set(spans) == {orm.id, *bulk_ids}
            for identifier in bulk_ids:
                assert spans[identifier].created_at == spans[orm.id].created_at
                assert spans[identifier].document_id == document.id
                assert spans[identifier].actor_id is None and spans[identifier].deleted_at is None
            # the stored form is the ORM's, so SQL comparing stored values finds both alike
            raw = session.execute(
                text("SELECT COUNT(DISTINCT created_at), COUNT(DISTINCT annotator_id) FROM spans")
            ).one()
            assert tuple(raw) == (1, 1)
            found = session.scalars(
                select(Span.id).where(Span.id == bulk_ids[0], Span.created_at == stamp)
            ).all()
            assert found == [bulk_ids[0]]
    finally:
        database.close()
