"""What code that reads or writes a project needs of it: sessions, now or once the store opens.

Its own module so that the layer store (`store.annotations`) and the deferred project
(`store.deferred`) can both name it without importing each other.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class Sessions(Protocol):
    """What the widgets need of a project: a project's `sessionmaker` or `DeferredSessions`."""

    def __call__(self) -> Session: ...
    def begin(self) -> AbstractContextManager[Session]: ...
