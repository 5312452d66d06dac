"""Good files made bad, at every door: annotated JSONL, CSV, text, bundles, label schemas and
the command line's own options, each mutated from a seed, run as a user runs them.

A mutation may leave a file that is still fine (a changed title): then the command may
succeed. Whatever it does, it never ends in an internal error: exit 0, or exit 1 with one
line that names the file (or the option) and the project exactly as it was (the digest of
every table). `FIGURES` counts what happened, for the README's table.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.cli.failures import printable
from annotator.core.json_input import strict_json, unfit
from annotator.core.schema import default_schema, to_toml
from tests.reliability.test_bad_inputs import digest

SEED = 20261204
PER_DOOR = 70
FIGURES: Counter[str] = Counter()
TEXT = "Kyiv and Moscow talked on Monday. The Kremlin said no to foreign troops. " * 3

# Raw JSON put where a value was: each is something a careless or hostile writer emits.
HOSTILE = [
    "NaN",
    "-Infinity",
    '"half \\udc9f of a pair"',
    '"nul \\u0000 inside"',
    "9" * 4_500,
    "[" * 30_000 + "]" * 30_000,
    "-1",
    "1e309",
    "10000000000",
    "null",
    '""',
    "[]",
    "{}",
    "true",
    '"' + "x" * 5_000 + '"',
    '"ACTOR"',
    "3.5",
]


def mutate_json(value: Any, rng: random.Random) -> str:
    """`value` as JSON with one value somewhere inside it (or a key removed) made hostile."""
    marker = "\x1fMUTATION\x1f"
    paths: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in node:
                paths.append((node, key))
                walk(node[key])
        elif isinstance(node, list):
            for index in range(len(node)):
                paths.append((node, index))
                walk(node[index])

    walk(value)
    container, key = rng.choice(paths)
    if isinstance(container, dict) and rng.random() < 0.2:
        del container[key]
        return json.dumps(value)
    container[key] = marker
    return json.dumps(value).replace(json.dumps(marker), rng.choice(HOSTILE), 1)


def truncate_or_flip(data: bytes, rng: random.Random) -> bytes:
    """`data` cut short, or with a few bytes changed."""
    if rng.random() < 0.5:
        return data[: rng.randrange(max(1, len(data)))]
    changed = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        changed[rng.randrange(len(changed))] = rng.randrange(256)
    return bytes(changed)


def annotated_record(rng: random.Random) -> dict[str, Any]:
    kyiv, kremlin = TEXT.index("Kyiv"), TEXT.index("The Kremlin")
    return {
        "id": f"m{rng.randrange(10**9)}",
        "title": "Talks",
        "source": "Harbour Post",
        "story": "talks",
        "text": TEXT + f" Note {rng.randrange(10**6)}.",
        "annotator": "ana",
        "meta": {"section": "world", "tags": ["war", "talks"]},
        "spans": [
            {"id": "k", "start": kyiv, "end": kyiv + 4, "label": "ACTOR", "actor": "Ukraine"},
            {"id": "c", "start": kremlin, "end": kremlin + 47, "label": "CLAIM"},
        ],
        "stances": [
            {"actor": "Kremlin", "issue": "foreign-troops", "polarity": "oppose", "evidence": ["c"]}
        ],
        "doc_labels": ["news report"],
    }


# -- the doors: each writes its bad input into `folder` and returns the command's arguments


def door_jsonl(rng: random.Random, folder: Path, _bundle: Path) -> list[str]:
    path = folder / "records.jsonl"
    lines = [json.dumps(annotated_record(rng)) for _ in range(rng.randint(0, 2))]
    lines.insert(rng.randint(0, len(lines)), mutate_json(annotated_record(rng), rng))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["import", str(path)]


def door_csv(rng: random.Random, folder: Path, _bundle: Path) -> list[str]:
    path = folder / "sheet.csv"
    rows = ["id,title,text,source"]
    rows += [f'r{n},Talks {n},"{TEXT} {n}",Harbour Post' for n in range(rng.randint(1, 4))]
    data = "\n".join(rows).encode("utf-8")
    cut = rng.choice(["flip", "quote", "column", "nul", "bytes"])
    if cut == "flip":
        data = truncate_or_flip(data, rng)
    elif cut == "quote":
        data += b'\nr9,Open,"never closed'
    elif cut == "column":
        data = data.replace(b"id,title,text,source", b"id,title,body,source")
    elif cut == "nul":
        data += b"\nr9,Nul,a\x00b,Harbour Post"
    else:
        data += b"\nr9,Bytes," + bytes(rng.randrange(256) for _ in range(40))
    path.write_bytes(data)
    return ["import", str(path)]


def door_text(rng: random.Random, folder: Path, _bundle: Path) -> list[str]:
    suffix = rng.choice([".txt", ".md", ".html"])
    path = folder / f"page{suffix}"
    body = {
        ".txt": TEXT,
        ".md": f"# Talks\n\n{TEXT}\n\n* a\n* b\n",
        ".html": f"<html><head><title>Talks</title></head><body><p>{TEXT}</p></body></html>",
    }[suffix].encode()
    if rng.random() < 0.3:
        body = body[:10] + b"\x00" + body[10:]
    path.write_bytes(truncate_or_flip(body, rng))
    return ["import", str(path)]


def door_bundle(rng: random.Random, folder: Path, bundle: Path) -> list[str]:
    path = folder / "ana-bundle.zip"
    if rng.random() < 0.4:
        path.write_bytes(truncate_or_flip(bundle.read_bytes(), rng))
        return ["bundle", "import", str(path)]
    with zipfile.ZipFile(bundle) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    name = rng.choice(sorted(members))
    text = members[name].decode("utf-8")
    if name.endswith(".jsonl"):
        lines = [line for line in text.split("\n") if line]
        at = rng.randrange(len(lines))
        lines[at] = mutate_json(json.loads(lines[at]), rng)
        members[name] = ("\n".join(lines) + "\n").encode("utf-8")
    else:
        members[name] = mutate_json(json.loads(text), rng).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return ["bundle", "import", str(path)]


def door_schema(rng: random.Random, folder: Path, _bundle: Path) -> list[str]:
    path = folder / "labels.toml"
    lines = to_toml(default_schema()).splitlines()
    at = rng.randrange(len(lines))
    change = rng.choice(["cut", "drop", "twice", "value", "deep", "bytes"])
    if change == "cut":
        lines = lines[:at]
    elif change == "drop":
        del lines[at]
    elif change == "twice":
        lines.insert(at, lines[at])
    elif change == "value" and "=" in lines[at]:
        key = lines[at].split("=", 1)[0]
        lines[at] = key + "= " + rng.choice(['""', "-1", "[1, 2]", "{ a = 1 }", "nan", "true"])
    elif change == "deep":
        lines.append("x = " + "[" * 20_000 + "]" * 20_000)
    else:
        lines[at] += "\udcff"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))
    return ["schema", "load", str(path)]


def door_options(rng: random.Random, folder: Path, _bundle: Path) -> list[str]:
    """Arguments a person mistypes, with the file names they might give."""
    out = folder / rng.choice(["out.jsonl", "sub/../p.sqlite", "p.sqlite-wal", "missing/x.jsonl"])
    choices: list[list[str]] = [
        ["export", "--format", rng.choice(["json", "csv", "BRAT", ""]), "--out", str(out)],
        ["export", "--out", str(out), "--annotator", f"nobody{rng.randrange(99)}"],
        ["export", "--format", "brat", "--out", str(folder)],
        ["export", "--out", str(folder / "sub" / ".." / "p.sqlite")],
        ["bundle", "export", "--annotator", "ana", "--out", str(folder / "p.sqlite")],
        ["agreement", "--html", str(folder / "p.sqlite")],
        ["agreement", "--label", f"NOPE{rng.randrange(9)}"],
        ["import", str(folder / f"absent-{rng.randrange(99)}.jsonl")],
        ["import", str(folder), "--format", "jsonl"],
        ["annotators", "set-role", "ana", rng.choice(["boss", "", "REVIEWER!"])],
        ["docs", "--limit", rng.choice(["-3", "x", "1e9"])],
        ["import", str(folder / "records.jsonl"), "--story", "st\udcff"],
    ]
    (folder / "records.jsonl").write_text(json.dumps(annotated_record(rng)) + "\n")
    return rng.choice(choices)


DOORS: dict[str, Callable[[random.Random, Path, Path], list[str]]] = {
    "annotated JSONL": door_jsonl,
    "CSV": door_csv,
    "text, Markdown, HTML": door_text,
    "bundle": door_bundle,
    "label schema": door_schema,
    "options": door_options,
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A lead's project (the demo) and a bundle of ana's annotated layer to mutate."""
    folder = tmp_path_factory.mktemp("templates")
    lead = folder / "lead.sqlite"
    assert main(["demo", "--db", str(lead)]) == 0
    laptop = folder / "ana.sqlite"
    shutil.copy(lead, laptop)
    records = folder / "ana.jsonl"
    rng = random.Random(SEED)
    records.write_text("".join(json.dumps(annotated_record(rng)) + "\n" for _ in range(3)))
    assert main(["import", str(records), "--db", str(laptop)]) == 0
    bundle = folder / "ana.zip"
    assert (
        main(["bundle", "export", "--annotator", "ana", "--out", str(bundle), "--db", str(laptop)])
        == 0
    )
    checkpoint(lead)
    return lead, bundle


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    """With ANNOTATOR_RELIABILITY_FIGURES=FILE, what happened at each door, as JSON."""
    yield
    target = os.environ.get("ANNOTATOR_RELIABILITY_FIGURES")
    if target:
        Path(target).write_text(json.dumps(dict(sorted(FIGURES.items())), indent=1))


def checkpoint(project: Path) -> None:
    """Fold the WAL into the file, so a copy of the file alone is the whole project."""
    connection = sqlite3.connect(project)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def cases() -> list[tuple[str, int]]:
    rng = random.Random(SEED)
    return [(door, rng.randrange(2**32)) for door in DOORS for _ in range(PER_DOOR)]


@pytest.mark.parametrize(("door", "seed"), cases())
def test_a_mutated_input_is_refused_in_one_line_or_taken_whole(
    door: str,
    seed: int,
    templates: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lead, bundle = templates
    project = tmp_path / "p.sqlite"
    shutil.copy(lead, project)
    argv = DOORS[door](random.Random(seed), tmp_path, bundle)
    before = digest(project)
    capsys.readouterr()
    status = main([*argv, "--db", str(project)])
    _, err = capsys.readouterr()
    assert status in (0, 1), (door, argv[:3], err)
    assert "internal error" not in err and "Traceback" not in err
    if status == 0:
        FIGURES[f"{door}: taken"] += 1
        assert sqlite3.connect(project).execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # What got in gets out: every document exports as JSON a strict reader takes.
        out = tmp_path / "everything.jsonl"
        assert main(["export", "--all", "--out", str(out), "--db", str(project)]) == 0
        for line in out.read_text(encoding="utf-8").splitlines():
            assert unfit(strict_json(line)) is None, line[:200]
        return
    FIGURES[f"{door}: refused"] += 1
    assert len(err.strip().splitlines()) == 1 and err.startswith("annotator: "), err
    # The line names what is wrong: the file (or folder) given, an option or value, or the
    # project (argv[0] is the command: "import" is in every "nothing was imported").
    names = [Path(a).name if "/" in a else a for a in argv[1:] if len(a) > 1]
    assert any(name in printable(err) for name in [*names, str(project)]), err
    assert digest(project) == before, (door, argv[:3])
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("p.")) in (
        ["p.sqlite"],
        ["p.sqlite", "p.sqlite-shm", "p.sqlite-wal"],
    ), "an output file beside the project"
