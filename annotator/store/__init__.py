"""Storage: SQLAlchemy 2 models, opening and migrating projects, and the services on them.

One convention for every function here and in the layers above (`io`, `review`):

* A **service** is what the command line or the window asks for as one piece of work (import,
  export, a bundle merge, the agreement report, the demo). It takes the project (an open
  `store.database.Database`) first and keyword-only options after, runs its own
  transaction, and returns what it did (a summary value), or raises an `AnnotatorError` with
  a one-line message and leaves the project as it was.
* A **step** runs inside a caller's transaction (the registry dialog's one edit per user
  action, an import's many inserts): it takes the `Session` first and keyword-only options
  after, and never commits. Streaming readers (export, agreement, bundles) take a
  `Connection` the same way.

Soft-deleted rows are left out by `store.layers.live`, and annotators' layers are read as
values by `store.layers.read_layers`; nothing else spells either out.
"""
