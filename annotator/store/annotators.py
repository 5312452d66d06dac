"""The project's annotators and their roles: who annotates, and who may decide gold.

A reviewer adjudicates the annotators' layers into the gold layer; an annotator (the role
every new name gets) annotates and, once a document is done, compares with the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.changes import ProjectChange
from annotator.core.errors import AnnotatorError
from annotator.core.roles import ROLES
from annotator.store.models import Annotator, Span
from annotator.store.project import find_annotator


@dataclass(frozen=True)
class AnnotatorRow:
    name: str
    role: str
    spans: int  # spans of theirs stored (not deleted)


def list_annotators(session: Session) -> list[AnnotatorRow]:
    """Every annotator by name, with their role and how many spans they stored."""
    counts = dict(
        session.execute(
            select(Span.annotator_id, func.count())
            .where(Span.deleted_at.is_(None))
            .group_by(Span.annotator_id)
        ).all()
    )
    rows = session.scalars(select(Annotator).order_by(Annotator.name))
    return [AnnotatorRow(a.name, a.role, counts.get(a.id, 0)) for a in rows]


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AnnotatorError(f"role '{role}': a role is one of {', '.join(ROLES)}")
    return role


def add_annotator(session: Session, name: str, role: str = "annotator") -> ProjectChange:
    """A new annotator named `name` with `role`; a name already taken is refused."""
    name = " ".join(name.split())
    check_role(role)
    if not name:
        raise AnnotatorError("an annotator needs a name")
    if find_annotator(session, name) is not None:
        raise AnnotatorError(f"there is an annotator named '{name}' already")
    session.add(Annotator(name=name, role=role))
    session.flush()
    return ProjectChange(annotators=True)


def set_role(session: Session, name: str, role: str) -> ProjectChange:
    """Give the annotator `name` the `role` (nothing changes if they have it)."""
    check_role(role)
    annotator = find_annotator(session, name)
    if annotator is None:
        known = ", ".join(row.name for row in list_annotators(session)) or "none yet"
        raise AnnotatorError(f"no annotator named '{name}' (annotators: {known})")
    if annotator.role == role:
        return ProjectChange()
    annotator.role = role
    session.flush()
    return ProjectChange(annotators=True)


def role_of(session: Session, name: str) -> str | None:
    annotator = find_annotator(session, name)
    return annotator.role if annotator is not None else None
