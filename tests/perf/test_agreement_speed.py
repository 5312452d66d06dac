"""On demand: `pytest tests/perf/test_agreement_speed.py` (tests/perf is not in the default run)."""

from __future__ import annotations

from tests.perf.bench_agreement import TARGET_SECONDS, measure


def test_agreement_report_over_ten_thousand_documents_is_fast() -> None:
    result = measure(10_000)
    print(result)
    elapsed = result["report_s"]
    assert isinstance(elapsed, float) and elapsed < TARGET_SECONDS, result
