"""Train/dev/test splits: reproducible by seed, stories kept together, files named by split."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.io.export import ExportOptions, export
from annotator.io.export.records import ExportedDocument
from annotator.io.export.split import assign_split
from annotator.store.database import Database
from tests.io.test_export_support import build_project, read_jsonl


@pytest.fixture
def project(db_url: str, tmp_path: Path) -> Iterator[Database]:
    database = build_project(db_url, tmp_path, plain=40)
    yield database
    database.close()


def document(number: int, story: str | None = None) -> ExportedDocument:
    return ExportedDocument(
        id=f"id-{number}",
        external_id=None,
        title="",
        source=None,
        url=None,
        published=None,
        story=story,
        text=f"text {number}",
        text_sha256=f"{number:064x}",
        meta={},
    )


def test_the_same_seed_gives_the_same_split_and_another_seed_another() -> None:
    documents = [document(number) for number in range(2000)]
    first = [assign_split(d, (80, 10, 10), seed=1) for d in documents]
    assert first == [assign_split(d, (80, 10, 10), seed=1) for d in documents]
    other = [assign_split(d, (80, 10, 10), seed=2) for d in documents]
    assert sum(a != b for a, b in zip(first, other, strict=True)) > 300
    shares = Counter(first)
    assert 1500 < shares["train"] < 1700
    assert 120 < shares["dev"] < 280 and 120 < shares["test"] < 280
    assert {assign_split(d, (0, 100, 0), seed=5) for d in documents} == {"dev"}


def test_a_story_stays_in_one_split_whatever_else_is_exported() -> None:
    for seed in range(20):
        story = {assign_split(document(n, story="talks"), (34, 33, 33), seed) for n in range(30)}
        assert len(story) == 1


def test_split_files_cover_the_export_once_and_keep_stories_together(
    project: Database, tmp_path: Path
) -> None:
    whole = export(project, options=ExportOptions(), out=tmp_path / "data.jsonl")
    summary = export(
        project, options=ExportOptions(split=(60, 20, 20), seed=7), out=tmp_path / "data.jsonl"
    )
    names = {path.name for path in tmp_path.iterdir() if path.name.startswith("data.")}
    assert {"data.train.jsonl", "data.dev.jsonl", "data.test.jsonl"} <= names
    unsplit = {(line["id"], line["annotator"]) for line in read_jsonl(tmp_path / "data.jsonl")}
    stories: dict[str, set[str]] = {}
    seen: set[tuple[str, str]] = set()
    counts: dict[str, int] = {}
    for split in ("train", "dev", "test"):
        lines = read_jsonl(tmp_path / f"data.{split}.jsonl")
        counts[split] = len(lines)
        for line in lines:
            assert json.loads(line["meta"])["split"] == split  # text in split files
            seen.add((line["id"], line["annotator"]))
            if line["story"]:
                stories.setdefault(line["story"], set()).add(split)
    assert seen == unsplit and sum(counts.values()) == whole.records
    assert all(len(splits) == 1 for splits in stories.values())
    assert len([story for story in stories if story.startswith("story-")]) == 20  # pairs
    assert summary.per_split == counts and min(counts.values()) > 0
    card = json.loads((tmp_path / "data.jsonl.card.json").read_text(encoding="utf-8"))
    assert card["split"]["seed"] == 7
    assert {name: c["document_layers"] for name, c in card["split"]["counts"].items()} == counts
    again = export(
        project, options=ExportOptions(split=(60, 20, 20), seed=7), out=tmp_path / "again.jsonl"
    )
    assert again.per_split == counts
    for split in ("train", "dev", "test"):
        first = [line["id"] for line in read_jsonl(tmp_path / f"data.{split}.jsonl")]
        assert first == [line["id"] for line in read_jsonl(tmp_path / f"again.{split}.jsonl")]


def test_a_zero_share_writes_no_file_and_brat_splits_into_folders(
    project: Database, tmp_path: Path
) -> None:
    export(
        project,
        options=ExportOptions(format="conll", split=(90, 10, 0)),
        out=tmp_path / "tok.conll",
    )
    assert sorted(p.name for p in tmp_path.glob("tok.*")) == [
        "tok.conll.card.json",
        "tok.conll.card.md",
        "tok.dev.conll",
        "tok.train.conll",
    ]
    export(
        project, options=ExportOptions(format="brat", split=(50, 50, 0)), out=tmp_path / "corpus"
    )
    assert (tmp_path / "corpus.train" / "annotation.conf").exists()
    assert (tmp_path / "corpus.dev" / "annotation.conf").exists()
    assert not (tmp_path / "corpus.test").exists() and not (tmp_path / "corpus").exists()


def test_an_empty_split_writes_no_file_and_the_card_says_why(
    project: Database, tmp_path: Path
) -> None:
    """Three documents' stories cannot fill 98/1/1: no 0-byte dev or test file."""
    summary = export(
        project, options=ExportOptions(split=(98, 1, 1), seed=1), out=tmp_path / "data.jsonl"
    )
    written = {path.name for path in tmp_path.glob("data.*.jsonl")}
    empty = [name for name in ("train", "dev", "test") if f"data.{name}.jsonl" not in written]
    assert empty and all((tmp_path / name).stat().st_size > 0 for name in written)
    card = json.loads((tmp_path / "data.jsonl.card.json").read_text(encoding="utf-8"))
    for name in empty:
        assert any(note.startswith(f"split {name}: no document fell") for note in card["notes"])
        assert any(note.startswith(f"split {name}: no document fell") for note in summary.notes)
    assert f"data.{empty[0]}.jsonl" not in card["files"]


def test_hugging_face_datasets_loads_the_split_files_together(
    project: Database, tmp_path: Path
) -> None:
    datasets = pytest.importorskip("datasets")
    export(project, options=ExportOptions(split=(60, 20, 20), seed=7), out=tmp_path / "data.jsonl")
    features_file = tmp_path / "data.jsonl.features.json"
    features = datasets.Features.from_dict(json.loads(features_file.read_text(encoding="utf-8")))
    files = {name: str(tmp_path / f"data.{name}.jsonl") for name in ("train", "dev", "test")}
    loaded = datasets.load_dataset(
        "json", data_files=files, features=features, cache_dir=str(tmp_path / "cache")
    )
    assert set(loaded) == {"train", "dev", "test"}
    for name, path in files.items():
        lines = read_jsonl(Path(path))
        assert loaded[name].num_rows == len(lines)
        assert loaded[name].features == features
        for row, line in zip(loaded[name], lines, strict=True):
            assert row["text"] == line["text"] and row["spans"] == line["spans"]
            for span in row["spans"]:
                assert row["text"][span["start"] : span["end"]] == span["text"]
    # Without the features too: every line has one shape, so the columns agree.
    plain = datasets.load_dataset("json", data_files=files, cache_dir=str(tmp_path / "c2"))
    assert {name: part.num_rows for name, part in plain.items()} == {
        name: part.num_rows for name, part in loaded.items()
    }
