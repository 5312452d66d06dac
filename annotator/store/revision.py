"""The newest migration of the project database.

Opening an up-to-date file compares against this constant, so start-up never imports Alembic
(nor, for the first window, SQLAlchemy); tests/store/test_database.py checks it is the real
head. Add a migration: change it here.
"""

HEAD_REVISION = "0007"
