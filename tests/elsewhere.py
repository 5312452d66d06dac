"""Another program at work on the project: `annotator` run in a process of its own."""

from __future__ import annotations

import subprocess
import sys


def annotator_elsewhere(*argv: str) -> str:
    """Run `annotator ARGV...` as another program would; it must succeed. Its output."""
    done = subprocess.run(
        [sys.executable, "-m", "annotator", *argv], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
