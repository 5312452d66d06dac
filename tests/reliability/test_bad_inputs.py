"""Bad input at the door, generated from a seed: every case is one line naming the file (and
line), exit status 1, and the project exactly as it was (a digest of every table)."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main

SEED = 20261203
CASES = 60


def digest(project: Path) -> str:
    """Every table's rows, in order: what a user's project holds."""
    connection = sqlite3.connect(project)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        hashed = hashlib.sha256()
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                hashed.update(repr(row).encode("utf-8", "backslashreplace"))
        return hashed.hexdigest()
    finally:
        connection.close()


def _article(rng: random.Random) -> dict[str, object]:
    return {
        "id": f"a{rng.randrange(10**6)}",
        "text": "Kyiv and Moscow talked. " * rng.randint(1, 5),
    }


# Each maker writes one bad line (JSONL) into an otherwise good file.
def _lone_surrogate(rng: random.Random) -> str:
    where = rng.choice(["text", "title", "meta"])
    item = _article(rng)
    escaped = '"half \\ud83d of a pair"'
    line = json.dumps(item)
    if where == "meta":
        return line[:-1] + f', "meta": {{"note": {escaped}}}}}'
    return line[:-1] + f', "{where}": {escaped}}}'.replace('"text": "K', '"x": "K', where == "text")


def _nan(rng: random.Random) -> str:
    constant = rng.choice(["NaN", "Infinity", "-Infinity"])
    return json.dumps(_article(rng))[:-1] + f', "meta": {{"score": {constant}}}}}'


def _deep(rng: random.Random) -> str:
    depth = rng.randint(20_000, 60_000)
    return json.dumps(_article(rng))[:-1] + ', "meta": {"x": ' + "[" * depth + "]" * depth + "}}"


def _huge_integer(rng: random.Random) -> str:
    digits = "9" * rng.randint(4_400, 9_000)
    return json.dumps(_article(rng))[:-1] + f', "meta": {{"n": {digits}}}}}'


def _nul(rng: random.Random) -> str:
    item = _article(rng)
    item["text"] = str(item["text"]) + "\x00" + "tail"
    return json.dumps(item)


def _not_json(rng: random.Random) -> str:
    return rng.choice(
        ['{"text": ', '{"text": "x",}', '{"text": "x"', '{"text": "x"} trailing', "\x7f{"]
    )


def _wrong_types(rng: random.Random) -> str:
    item = _article(rng)
    item[rng.choice(["title", "meta", "spans", "doc_labels"])] = rng.choice([3, [1], True])
    return json.dumps(item)


def _bad_span(rng: random.Random) -> str:
    item = _article(rng)
    start = rng.choice([-1, 5, 10**6])
    item["spans"] = [{"start": start, "end": start - 1, "label": "ACTOR"}]
    return json.dumps(item)


MAKERS: dict[str, Callable[[random.Random], str]] = {
    "lone surrogate": _lone_surrogate,
    "NaN or Infinity": _nan,
    "nesting": _deep,
    "huge integer": _huge_integer,
    "NUL": _nul,
    "not JSON": _not_json,
    "wrong type": _wrong_types,
    "bad span": _bad_span,
}


def cases() -> list[tuple[str, int]]:
    rng = random.Random(SEED)
    kinds = sorted(MAKERS)
    return [(kinds[n % len(kinds)], rng.randrange(2**32)) for n in range(CASES)]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("project")
    path = folder / "p.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    return path


@pytest.mark.parametrize(("kind", "seed"), cases())
def test_a_bad_line_is_one_message_exit_1_and_nothing_changes(
    kind: str, seed: int, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    good = [json.dumps(_article(rng)) for _ in range(rng.randint(0, 3))]
    at = rng.randint(0, len(good))
    lines = [*good[:at], MAKERS[kind](rng), *good[at:]]
    source = tmp_path / f"batch-{seed}.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    before = digest(project)
    capsys.readouterr()
    status = main(["import", str(source), "--db", str(project)])
    out, err = capsys.readouterr()
    assert status == 1, (kind, out, err)
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"annotator: {source}:{at + 1}"), (kind, err)
    assert "internal error" not in err
    assert digest(project) == before
