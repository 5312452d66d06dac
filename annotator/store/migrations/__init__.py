"""Alembic migrations. The app runs them itself when it opens a database (see database.py)."""
