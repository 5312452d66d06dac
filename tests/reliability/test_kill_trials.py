"""kill -9 in the middle of an import, a bundle import or an export: the project is whole
(SQLite's integrity check), holds all of the import or none of it, and the next run works."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.cli import main

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX signals")
SEED, TRIALS = 7, 9


def documents(project: Path) -> int:
    connection = sqlite3.connect(project)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        connection.close()


def killed(command: list[str], after: float) -> int | None:
    """Run `command`, kill -9 it `after` seconds in; its exit status if it ended first."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(60)
    return process.returncode


def bundle_whole(project: Path, now: int) -> bool:
    """ana's bundle landed whole: every one of its documents has her span."""
    connection = sqlite3.connect(project)
    try:
        spans = connection.execute(
            "SELECT count(*) FROM spans s JOIN annotators a ON a.id = s.annotator_id "
            "WHERE a.name = 'ana'"
        ).fetchone()[0]
        return int(spans) == 3000
    finally:
        connection.close()


def test_killed_runs_leave_the_project_whole_and_all_or_nothing(tmp_path: Path) -> None:
    project = tmp_path / "p.sqlite"
    assert main(["demo", "--db", str(project)]) == 0
    base = documents(project)
    count = 20_000

    def batch(trial: int) -> Path:
        path = tmp_path / f"batch-{trial}.jsonl"
        path.write_text(
            "\n".join(
                json.dumps({"id": f"t{trial}-{n}", "text": f"Trial {trial}, article {n}. " * 8})
                for n in range(count)
            )
            + "\n"
        )
        return path

    rng = random.Random(SEED)
    annotator = [sys.executable, "-m", "annotator"]
    laptop = tmp_path / "laptop.sqlite"  # ana's: a layer on 3,000 documents of her own
    layered = tmp_path / "layered.jsonl"
    layered.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"L{n}",
                    "text": f"Layer {n}: Kyiv and Moscow talked. " * 8,
                    "annotator": "ana",
                    "spans": [{"start": 0, "end": 5, "label": "CLAIM"}],
                }
            )
            + "\n"
            for n in range(3000)
        )
    )
    assert main(["import", str(layered), "--db", str(laptop)]) == 0
    bundle = tmp_path / "ana.zip"
    assert (
        main(["bundle", "export", "--annotator", "ana", "--out", str(bundle), "--db", str(laptop)])
        == 0
    )
    outcomes = []
    for trial in range(TRIALS):
        after = rng.uniform(0.5, 4.0)
        if trial % 3 == 2:
            status = killed(
                [*annotator, "bundle", "import", str(bundle), "--db", str(project)], after
            )
            now = documents(project)
            assert now == base or (now == base + 3000 and bundle_whole(project, now)), now
            outcomes.append(("bundle import", status, now != base))
            base = now
        elif trial % 3 == 0:
            status = killed([*annotator, "import", str(batch(trial)), "--db", str(project)], after)
            now = documents(project)
            assert now in (base, base + count), (trial, after, now)
            outcomes.append(("import", status, now == base + count))
            base = now
        else:
            out = tmp_path / "all.jsonl"
            status = killed(
                [
                    *annotator,
                    "export",
                    "--format",
                    "jsonl",
                    "--all",
                    "--out",
                    str(out),
                    "--db",
                    str(project),
                ],
                after,
            )
            assert documents(project) == base
            if out.exists():  # a finished export is whole: every line is JSON
                for line in out.read_text().splitlines():
                    json.loads(line)
            outcomes.append(("export", status, out.exists()))
    # Whatever was killed, the next runs work and leave no temp behind.
    before = documents(project)
    assert main(["import", str(batch(TRIALS)), "--db", str(project)]) == 0
    assert documents(project) == before + count
    out = tmp_path / "final.jsonl"
    assert (
        main(["export", "--format", "jsonl", "--all", "--out", str(out), "--db", str(project)]) == 0
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith((".part", ".old"))] == []
    print(outcomes)


GUI_TRIALS = 4


def live_spans(project: Path) -> list[tuple[int, int, int]]:
    """ana's live spans (start, end, the text's length) after a trial, integrity checked."""
    connection = sqlite3.connect(project)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return connection.execute(
            'SELECT s.start, s."end", d.length FROM spans s JOIN documents d '
            "ON d.id = s.document_id JOIN annotators a ON a.id = s.annotator_id "
            "WHERE a.name = 'ana' AND s.deleted_at IS NULL"
        ).fetchall()
    finally:
        connection.close()


def test_a_window_killed_while_marking_keeps_every_span_it_had_stored(tmp_path: Path) -> None:
    """kill -9 the real window (offscreen) while a person's keys mark word after word: the
    project is whole, holds every span the window had acknowledged (and at most the one
    being written), and opens again."""
    project = tmp_path / "p.sqlite"
    assert main(["demo", "--db", str(project)]) == 0
    assert main(["annotators", "add", "ana", "--db", str(project)]) == 0
    rng = random.Random(SEED)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    acknowledged = 0
    for trial in range(GUI_TRIALS):
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.gui_writer", str(project)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=environment,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n", f"trial {trial}: the window did not open"
        time.sleep(rng.uniform(0.3, 2.5))
        writer.send_signal(signal.SIGKILL)
        lines = writer.stdout.read().split("\n")
        writer.wait(30)
        counts = [int(line.split()[1]) for line in lines if line.startswith("stored ")]
        acknowledged = max([acknowledged, *counts])
        spans = live_spans(project)
        assert acknowledged <= len(spans) <= acknowledged + 1, (trial, acknowledged, len(spans))
        assert all(0 <= start < end <= length for start, end, length in spans)
        acknowledged = len(spans)
        print(f"GUI trial {trial}: killed with {acknowledged} spans stored")
    assert acknowledged > 0, "the trials marked nothing: the writer did not work"
    # The next start opens the project and the layer as if nothing had happened.
    from annotator.store.database import open_database

    database = open_database(str(project), create=False)
    database.close()
