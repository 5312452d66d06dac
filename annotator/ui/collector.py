"""Keeping Python's cycle collector out of the moments a person waits for.

The collector's oldest generation walks every object alive; after start-up that is the
window's, Qt's wrappers' and SQLAlchemy's, and a pass took 45-65 ms, set off now and then by
what opening a long document allocates (tests/perf/bench_workspace.py). Once the window is
up and the project's store open, `settle_after_start` collects once and moves what exists
into the permanent generation (`gc.freeze`), so later passes walk only what was made since:
a few milliseconds. Nothing is held back from collection that start-up did not make.
"""

from __future__ import annotations

import gc


def settle_after_start() -> None:
    """Collect once, then keep what start-up made out of later passes."""
    gc.collect()
    gc.freeze()
