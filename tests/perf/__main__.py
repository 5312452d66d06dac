"""The benchmark suite: `python -m tests.perf [--scale small|medium|large] [--only NAME...]`.

Each figure is measured against a baseline taken in the same run (the machines are shared
and noisy, so only ratios are compared across runs). Prints a readable table, then one JSON
object. Scales: small 1,000, medium 10,000, large 100,000 documents (3 annotators x 20
overlapping spans each, stances, story pairs; fixed seeds). Nothing here runs in the
default test run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCALES = {"small": 1_000, "medium": 10_000, "large": 100_000}


def _import(count: int, _db: Path) -> dict[str, Any]:
    from tests.perf import bench_import

    r = bench_import.measure(count)
    return {
        "value": r["import_s"],
        "baseline": r["baseline_s"],
        "ratio": r["ratio"],
        "target": "ratio <= 3",
        "ok": r["ratio"] <= 3.0,
        "unit": "s",
        "baseline_is": "sqlite3 executemany of the same rows",
    }


def _annotated(name: str) -> Callable[[int, Path], dict[str, Any]]:
    """The annotated import or the bundle merge (tests/perf/bench_annotated.py), measured
    once per run for both and kept for the second figure."""

    def figure(count: int, _db: Path) -> dict[str, Any]:
        from tests.perf import bench_annotated

        if count not in _ANNOTATED:
            _ANNOTATED[count] = bench_annotated.measure(count)
        r = _ANNOTATED[count]
        return {
            "value": r[f"{name}_s"],
            "baseline": r[f"{name}_baseline_s"],
            "ratio": r[f"{name}_ratio"],
            "target": "ratio <= 3",
            "ok": r[f"{name}_ratio"] <= 3.0,
            "unit": "s",
            "baseline_is": "sqlite3 + json storing the same documents, spans, stances, labels",
        }

    return figure


_ANNOTATED: dict[int, dict[str, Any]] = {}


def _export(count: int, _db: Path) -> dict[str, Any]:
    from tests.perf import bench_export

    r = bench_export.measure(count)
    return {
        "value": r["export_s"],
        "baseline": r["baseline_s"],
        "ratio": r["ratio"],
        "target": "ratio <= 2",
        "ok": r["ratio"] <= 2.0,
        "unit": "s",
        "baseline_is": "sqlite3 + json writing the same lines",
    }


def _agreement(_count: int, db: Path) -> dict[str, Any]:
    from annotator.review.agreement.report import agreement_report
    from annotator.store.database import open_database

    database = open_database(str(db), create=False)
    timings = {}
    for workers in (None, 1):  # as the app runs it (a process per CPU when large), then alone
        started = time.perf_counter()
        agreement_report(database, workers=workers)
        timings[workers] = time.perf_counter() - started
    database.close()
    elapsed, alone = timings[None], timings[1]
    return {
        "value": round(elapsed, 2),
        "baseline": round(alone, 2),
        "ratio": round(elapsed / alone, 2),
        "target": "< 30 s",
        "ok": elapsed < 30,
        "unit": "s",
        "baseline_is": "the same report in one process",
        "cpus": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
    }


def _startup(count: int, db: Path) -> dict[str, Any]:
    # In a process of its own: a child's peak RSS starts from its parent's (vfork shares the
    # memory until exec), and this process may have grown large measuring the other figures.
    # The app starts with its bytecode cached, as an installed copy does (pip compiles it);
    # at medium and large scale a 1,000-document project is started too, to show that the
    # project's size does not slow the start.
    command = [sys.executable, "-m", "tests.perf.bench_startup", "--cache-bytecode"]
    with tempfile.TemporaryDirectory() as folder:
        if count > SCALES["small"]:
            from tests.perf import bench_agreement

            small = Path(folder) / "small.sqlite"
            bench_agreement.build(small, SCALES["small"])
            command += ["--db", str(small), "--large-db", str(db)]
        else:
            command += ["--db", str(db)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    r = json.loads(done.stdout.splitlines()[0])
    prefix = "large_" if "large_app_start_s" in r else ""
    # Start to first painted window: until each process reports its window painted and
    # saved, not until it has exited (tearing down Qt and Python is not part of starting).
    painted, bare = r[f"{prefix}app_painted_s"], r["bare_painted_s"]
    return {
        "value": painted,
        "baseline": bare,
        "ratio": round(painted / bare, 2),
        "target": "ratio <= 2",
        "ok": painted / bare <= 2.0,
        "unit": "s",
        "baseline_is": "a bare PySide6 window script, offscreen",
        "bare_with_orm_s": r["bare_orm_painted_s"],
        "orm_floor_ratio": r["orm_floor_ratio"],
        # Painted from the first look, the app then opens the project's store (SQLAlchemy):
        # until then a click waits for it.
        "store_open_s": r[f"{prefix}app_ready_s"],
        "to_exit_s": r[f"{prefix}app_start_s"],
        "to_exit_ratio": r[f"{prefix}start_ratio"],
        "size_ratio": r.get("size_ratio"),
        "gui_peak_rss_mb": r[f"{prefix}gui_peak_rss_mb"],
        "rss_ok": r[f"{prefix}gui_peak_rss_mb"] < 400,
    }


def _workspace(_count: int, _db: Path) -> dict[str, Any]:
    from tests.perf import bench_workspace

    r = bench_workspace.measure()
    key_press = bench_workspace.window_key_press()
    window_open = bench_workspace.window_open()
    # The performance issue's targets: open + paint within 5x the plain widget, a span
    # added, stored and repainted within 8 ms (5,000 spans).
    ok = r["open_ratio_to_plain"] <= 5 and r["add_span_and_repaint_ms"] <= 8
    return {
        "value": r["open_and_paint_ms"],
        "baseline": r["plain_widget_baseline_ms"],
        "ratio": r["open_ratio_to_plain"],
        "target": "open <= 5x plain, add span <= 8 ms",
        "ok": ok,
        "unit": "ms",
        "baseline_is": "a QPlainTextEdit with the same text",
        "add_span_ms": r["add_span_and_repaint_ms"],
        "window_key_press_ms": key_press,
        "window_open_ms": window_open,
    }


def _document_list(count: int, _db: Path) -> dict[str, Any]:
    from tests.perf import bench_document_list

    r = bench_document_list.measure(count, 3000, False)
    filters = [
        "story",
        "source",
        "status_done",
        *bench_document_list.SEARCHES,
        bench_document_list.COMBINED,
    ]
    took = {name: float(r[f"{name}_ms"]) for name in filters}  # type: ignore[arg-type]
    worst = max(took, key=took.__getitem__)
    return {
        "value": took[worst],
        "baseline": r.get(f"{worst}_sqlite3_ms"),
        "ratio": None,
        "target": "filters and searches < 100 ms",
        "ok": took[worst] < 100,
        "unit": "ms",
        "baseline_is": "the same count + page in plain sqlite3",
        "slowest": worst,
        **{f"{name}_ms": value for name, value in took.items()},
    }


STANDARD_KEYS = {"value", "baseline", "ratio", "target", "ok", "unit", "baseline_is"}

FIGURES: dict[str, Callable[[int, Path], dict[str, Any]]] = {
    "import": _import,
    "annotated_import": _annotated("import"),
    "bundle_merge": _annotated("merge"),
    "export": _export,
    "agreement": _agreement,
    "startup": _startup,
    "workspace": _workspace,
    "document_list": _document_list,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--only", nargs="*", choices=FIGURES, default=list(FIGURES))
    args = parser.parse_args()
    count = SCALES[args.scale]
    results: dict[str, Any] = {"scale": args.scale, "documents": count}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "project.sqlite"
        if {"agreement", "startup"} & set(args.only):
            from tests.perf import bench_agreement

            started = time.perf_counter()
            bench_agreement.build(db, count)  # 3 annotators' layers: the shared project
            print(
                f"built a {count:,}-document project in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        for name in args.only:
            print(f"measuring {name}…", file=sys.stderr)
            try:
                results[name] = FIGURES[name](count, db)
            except Exception as error:  # one broken figure must not lose the others
                results[name] = {
                    "value": "error",
                    "baseline": None,
                    "ratio": None,
                    "target": str(error)[:200],
                    "ok": False,
                    "unit": "",
                }
            print(f"  {name}: {json.dumps(results[name])}", file=sys.stderr)
    print(f"\n{'figure':<15}{'value':>12}{'baseline':>12}{'ratio':>8}  target")
    for name in args.only:
        r = results[name]
        baseline = "-" if r["baseline"] is None else f"{r['baseline']}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']}x"
        mark = "ok" if r["ok"] else "MISSED"
        print(
            f"{name:<15}{r['value']:>10} {r['unit']:<2}{baseline:>11}{ratio:>8}  "
            f"{r['target']} [{mark}]"
        )
        extra = {key: value for key, value in r.items() if key not in STANDARD_KEYS}
        if extra:
            print(
                f"{'':<15}baseline: {r.get('baseline_is', '-')}; "
                + ", ".join(f"{key} {value}" for key, value in extra.items())
            )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
