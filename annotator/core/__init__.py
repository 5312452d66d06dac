"""Pure-Python domain layer: text and offsets, label schema, actor registry.

Nothing here imports Qt or opens a database session, so it is usable from scripts and tests
without a display and is checked by `tests/core/test_no_qt.py`.
"""
