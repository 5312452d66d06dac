"""The roles a project's people have: an annotator annotates; a reviewer also decides gold.

Qt- and SQLAlchemy-free, so the command line's parser can offer them without loading the store.
"""

from __future__ import annotations

ROLES = ("annotator", "reviewer")
