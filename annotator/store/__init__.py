"""Storage: SQLAlchemy 2 models, opening and migrating databases, queries shared by CLI and GUI."""
