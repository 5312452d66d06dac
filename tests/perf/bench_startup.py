"""App start to first painted window, and the GUI's peak memory, on a given project.

The baseline is a bare PySide6 script that opens a window of the same size with a text
widget and paints it, both offscreen, each in its own fresh process (start-up includes
Python, imports and Qt). Peak RSS comes from the kernel (wait4), not from sampling.
Run: python -m tests.perf.bench_startup --db PATH
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
"""


def _run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        error = child.stderr.read().decode() if child.stderr else ""
        raise RuntimeError(f"{command[:4]} failed ({status}): {error[-500:]}")
    return elapsed, usage.ru_maxrss // 1024  # Linux reports kilobytes


def measure(db: Path, runs: int = 5) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": folder,
            "XDG_STATE_HOME": folder,
        }
        settings = Path(folder) / "annotator" / "settings.toml"
        settings.parent.mkdir(parents=True)
        settings.write_text('format = 1\nannotator = "bench"\n', encoding="utf-8")
        png = str(Path(folder) / "shot.png")
        app = [sys.executable, "-m", "annotator", "gui", "--db", str(db), "--screenshot", png]
        bare = [sys.executable, "-c", BARE_WINDOW, png]
        _run(app, env)  # warm the file cache and .pyc files once
        _run(bare, env)
        app_times, bare_times, app_rss = [], [], []
        for _ in range(runs):
            seconds, rss = _run(app, env)
            app_times.append(seconds)
            app_rss.append(rss)
            bare_times.append(_run(bare, env)[0])
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    return {
        "app_start_s": round(app_s, 3),
        "bare_window_s": round(bare_s, 3),
        "start_ratio": round(app_s / bare_s, 2),
        "gui_peak_rss_mb": max(app_rss),
        "targets": {"start_ratio": 2.0, "gui_peak_rss_mb": 400},
    }  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    result = measure(parser.parse_args().db)
    print(json.dumps(result))
    print(
        f"app start {result['app_start_s']} s vs bare window {result['bare_window_s']} s: "
        f"{result['start_ratio']}x; GUI peak RSS {result['gui_peak_rss_mb']} MB"
    )


if __name__ == "__main__":
    main()
