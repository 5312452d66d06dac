"""A disk that is really full: a small tmpfs filled to the last few KiB (root only: it is
mounted for the test; elsewhere the simulated cases in test_failures.py stand in).

Import, export, bundle export and a new demo project each meet the full disk: one line
saying so, exit 1, the project exactly as it was, no partial output and no temp file left.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.test_bad_inputs import digest
from tests.reliability.test_mutations import checkpoint

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0, reason="mounts a tmpfs (root)"
)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill `disk` until only about `leave` bytes are free."""
    with (disk / "filler").open("wb") as filler:
        while shutil.disk_usage(disk).free > leave:
            filler.write(b"\0" * min(65536, max(4096, shutil.disk_usage(disk).free - leave)))
            filler.flush()
            with contextlib.suppress(OSError):
                os.fsync(filler.fileno())


def annotator(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *argv], capture_output=True, text=True, timeout=120
    )


def records(first: int, count: int) -> str:
    """Annotated articles of ana's: each with one span, so she has a layer to bundle."""
    return "".join(
        json.dumps(
            {
                "id": f"b{n}",
                "text": f"Article {n}: Kyiv and Moscow talked again. " * 20,
                "annotator": "ana",
                "spans": [{"start": 0, "end": 7, "label": "CLAIM"}],
            }
        )
        + "\n"
        for n in range(first, first + count)
    )


def test_a_full_disk_refuses_each_write_in_one_line_and_keeps_the_project(
    small_disk: Path, tmp_path: Path
) -> None:
    project = small_disk / "p.sqlite"
    assert annotator("demo", "--db", str(project)).returncode == 0
    first = tmp_path / "first.jsonl"  # on the roomy disk: only the project's is full
    first.write_text(records(0, 1500))
    assert annotator("import", str(first), "--db", str(project)).returncode == 0
    checkpoint(project)
    before = digest(project)
    more = tmp_path / "more.jsonl"
    more.write_text(records(5000, 1500))
    fill(small_disk, 160 << 10)  # room for SQLite's WAL index, not for what is written
    writes = {
        "import": ["import", str(more)],
        "export": ["export", "--all", "--out", str(small_disk / "all.jsonl")],
        "brat export": ["export", "--format", "brat", "--all", "--out", str(small_disk / "brat")],
        "bundle export": [
            "bundle",
            "export",
            "--annotator",
            "ana",
            "--out",
            str(small_disk / "a.zip"),
        ],
    }
    for what, argv in writes.items():
        done = annotator(*argv, "--db", str(project))
        assert done.returncode == 1, (what, done.stderr)
        assert len(done.stderr.splitlines()) == 1, (what, done.stderr)
        assert "disk is full" in done.stderr and "internal error" not in done.stderr, done.stderr
        left = sorted(p.name for p in small_disk.iterdir() if not p.name.startswith("p.sqlite"))
        assert left == ["filler"], (what, left)
    (small_disk / "filler").unlink()  # room again: nothing was lost, and the import works
    assert digest(project) == before
    assert annotator("import", str(more), "--db", str(project)).returncode == 0


def test_a_new_project_on_a_full_disk_is_not_left_behind(small_disk: Path) -> None:
    fill(small_disk, 16384)
    project = small_disk / "new.sqlite"
    done = annotator("demo", "--db", str(project))
    assert done.returncode == 1 and "disk is full" in done.stderr, done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
