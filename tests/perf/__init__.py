"""Benchmarks: run on demand (`python -m tests.perf.<name>`), never in the default test run.

Each benchmark measures a baseline in the same run and reports the ratio, because the
machines are shared and absolute times are noisy.
"""
