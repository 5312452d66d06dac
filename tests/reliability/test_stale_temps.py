"""A killed export, bundle or report leaves a hidden temp beside its target; the next run
removes it, and never the temp of a run still writing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.temp_files import remove_stale, temp_beside


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX process check")
def test_only_temps_whose_writer_is_gone_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "data.jsonl"
    killed = tmp_path / f".data.jsonl.{dead_pid()}-0123456789ab.part"
    running = tmp_path / f".data.jsonl.{os.getpid()}-0123456789ab.part"
    old_style = tmp_path / ".data.jsonl.0123456789ab.part"
    fresh_old_style = tmp_path / ".data.jsonl.ba9876543210.part"
    moved_aside = tmp_path / f".data.jsonl.{dead_pid()}-00000000000f.old"
    someone_elses = tmp_path / ".notes.txt.0123456789ab.part"
    for path in (killed, running, old_style, fresh_old_style, someone_elses):
        path.write_text("half")
    (moved_aside / "previous").mkdir(parents=True)
    an_hour_ago = time.time() - 7200
    os.utime(old_style, (an_hour_ago, an_hour_ago))
    removed = remove_stale(target)
    assert sorted(removed) == sorted([killed, old_style, moved_aside])
    assert running.exists() and fresh_old_style.exists() and someone_elses.exists()
    made = temp_beside(target)
    assert made.parent == tmp_path and made.name.startswith(f".data.jsonl.{os.getpid()}-")


def test_the_next_export_cleans_up_after_a_killed_one(tmp_path: Path) -> None:
    project = tmp_path / "p.sqlite"
    assert main(["demo", "--db", str(project)]) == 0
    out = tmp_path / "all.jsonl"
    left = tmp_path / f".all.jsonl.{dead_pid()}-0123456789ab.part"
    left.write_text('{"half": ')
    assert (
        main(["export", "--format", "jsonl", "--all", "--out", str(out), "--db", str(project)]) == 0
    )
    assert not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
