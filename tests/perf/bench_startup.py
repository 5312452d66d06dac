"""App start to first painted window, and the GUI's peak memory, on a given project.

The baseline is a bare PySide6 script that opens a window of the same size with a text
widget and paints it, both offscreen, each in its own fresh process (start-up includes
Python, imports and Qt). Peak RSS comes from the kernel (wait4), not from sampling.

Three times per process: until its PNG is written (`*_painted_s`: the window is painted, the
suite's headline figure), until the app has opened the project's store after painting from
the first look (`*_ready_s`: from then on clicks are answered at once; see store.first_look),
and until it exits (`*_start_s`: includes tearing down Qt and Python, which a user looking at
the window does not wait for).

With `--large-db` the app also starts on a second, larger project, interleaved with the
other runs, to show whether project size matters (`size_ratio`: large over small).

Run: python -m tests.perf.bench_startup --db PATH [--large-db PATH] [--cache-bytecode]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit, QSplitter, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
splitter = QSplitter()
splitter.addWidget(QTableView())
editor = QPlainTextEdit()
editor.setPlainText("A bare window. " * 200)
splitter.addWidget(editor)
window.setCentralWidget(splitter)
window.resize(1440, 880)
window.show()
app.processEvents()
window.grab().save(sys.argv[1], "PNG")
print("screenshot written to", sys.argv[1])
"""
# The same bare window after importing SQLAlchemy's ORM (first, as the app does): the floor
# for any window that shows data through it, so the app's own share is app / this.
BARE_WITH_ORM = "import sqlalchemy.orm\n" + BARE_WINDOW
PAINTED = b"screenshot written"  # what both print once the PNG is saved
# What the app prints once it has opened the project's store after painting from the first
# look (store.first_look): from then on every click is answered at once.
READY = b"project opened"


class Run:
    """One child process: wall seconds to its PNG and to its exit, and its peak RSS in MB."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout is not None
        painted = ready = None
        for line in child.stdout:  # unbuffered (see the environment): arrives as printed
            if painted is None and line.startswith(PAINTED):
                painted = time.perf_counter() - started
            if ready is None and line.startswith(READY):
                ready = time.perf_counter() - started
        _, status, usage = os.wait4(child.pid, 0)
        self.exited = time.perf_counter() - started
        if status != 0 or painted is None:
            error = child.stderr.read().decode() if child.stderr else ""
            raise RuntimeError(f"{command[:4]} failed ({status}): {error[-500:]}")
        self.painted = painted
        # Painted through the store (no first look), or a bare window: ready when painted.
        self.ready = ready if ready is not None else painted
        self.rss_mb = usage.ru_maxrss // 1024  # Linux reports kilobytes


def documents_in(db: Path) -> int:
    """How many documents the project holds (read-only; the app has brought it up to date)."""
    connection = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        connection.close()


def measure(
    db: Path, runs: int = 5, *, large_db: Path | None = None, cache_bytecode: bool = False
) -> dict[str, Any]:
    """Medians of `runs` starts of the app (on `db`, and on `large_db` if given) and the bare
    window, interleaved so that load from other work on the machine hits them alike.

    `cache_bytecode`: where PYTHONDONTWRITEBYTECODE is set, every run compiles every module
    of the app from source again, which no installed copy does (pip compiles at install). This
    lets the warm-up run write .pyc files to a private folder (not into the checkout) for the
    timed runs to use.
    """
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": folder,
            "XDG_STATE_HOME": folder,
            "PYTHONUNBUFFERED": "1",  # the "screenshot written" line arrives when printed
        }
        if cache_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        settings = Path(folder) / "annotator" / "settings.toml"
        settings.parent.mkdir(parents=True)
        settings.write_text('format = 1\nannotator = "bench"\n', encoding="utf-8")
        png = str(Path(folder) / "shot.png")
        commands = {
            "app": _app(db, png),
            "bare": [sys.executable, "-c", BARE_WINDOW, png],
            "bare_orm": [sys.executable, "-c", BARE_WITH_ORM, png],
        }
        if large_db is not None:
            commands["large"] = _app(large_db, png)
        for command in commands.values():
            Run(command, env)  # warm the file cache (and .pyc files, see above) once
        measured: dict[str, list[Run]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                measured[name].append(Run(command, env))

    def median(name: str, field: str) -> float:
        return statistics.median(getattr(run, field) for run in measured[name])

    app_s, bare_s = median("app", "exited"), median("bare", "exited")
    result: dict[str, Any] = {
        "app_start_s": round(app_s, 3),
        "bare_window_s": round(bare_s, 3),
        "start_ratio": round(app_s / bare_s, 2),
        "gui_peak_rss_mb": max(run.rss_mb for run in measured["app"]),
        "targets": {"painted_ratio": 2.0, "gui_peak_rss_mb": 400},
        "app_painted_s": round(median("app", "painted"), 3),
        "bare_painted_s": round(median("bare", "painted"), 3),
        "painted_ratio": round(median("app", "painted") / median("bare", "painted"), 2),
        "bare_orm_painted_s": round(median("bare_orm", "painted"), 3),
        "orm_floor_ratio": round(median("bare_orm", "painted") / median("bare", "painted"), 2),
        "painted_over_orm_floor": round(
            median("app", "painted") / median("bare_orm", "painted"), 2
        ),
        "app_ready_s": round(median("app", "ready"), 3),
        "documents": documents_in(db),
        "bytecode_cached": cache_bytecode or not os.environ.get("PYTHONDONTWRITEBYTECODE"),
    }
    if large_db is not None:
        large_s = median("large", "exited")
        result |= {
            "large_documents": documents_in(large_db),
            "large_app_start_s": round(large_s, 3),
            "large_app_painted_s": round(median("large", "painted"), 3),
            "large_app_ready_s": round(median("large", "ready"), 3),
            "large_start_ratio": round(large_s / bare_s, 2),
            "large_gui_peak_rss_mb": max(run.rss_mb for run in measured["large"]),
            "size_ratio": round(large_s / app_s, 2),
        }
    return result


def _app(db: Path, png: str) -> list[str]:
    return [sys.executable, "-m", "annotator", "gui", "--db", str(db), "--screenshot", png]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument(
        "--large-db", type=Path, help="a larger project: does its size slow the start?"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed starts of each (default: 5)")
    parser.add_argument(
        "--cache-bytecode",
        action="store_true",
        help="let .pyc files be written (to a temp folder) even if PYTHONDONTWRITEBYTECODE is set",
    )
    args = parser.parse_args()
    result = measure(args.db, args.runs, large_db=args.large_db, cache_bytecode=args.cache_bytecode)
    print(json.dumps(result))
    print(
        f"app start {result['app_start_s']} s vs bare window {result['bare_window_s']} s: "
        f"{result['start_ratio']}x; GUI peak RSS {result['gui_peak_rss_mb']} MB"
    )
    print(
        f"painted after {result['app_painted_s']} s vs {result['bare_painted_s']} s: "
        f"{result['painted_ratio']}x ({result['documents']:,} documents); project store open "
        f"after {result['app_ready_s']} s"
    )
    print(
        f"the bare window after importing sqlalchemy.orm: {result['bare_orm_painted_s']} s "
        f"({result['orm_floor_ratio']}x the bare window); the app is "
        f"{result['painted_over_orm_floor']}x that"
    )
    if args.large_db is not None:
        print(
            f"on {result['large_documents']:,} documents: start {result['large_app_start_s']} s "
            f"({result['large_start_ratio']}x the bare window), painted after "
            f"{result['large_app_painted_s']} s; {result['size_ratio']}x the smaller project"
        )


if __name__ == "__main__":
    main()
