"""Reproducible train/dev/test splits, and the file names of split outputs.

A document's split comes from a hash of its story key (or, without a story, the hash of its
text) and the seed, so the same corpus and seed always give the same split, a different
seed a different one, every document of a story lands in the same split, and a document's
split does not depend on which other documents are exported. The shares are met in
expectation, not exactly (a small corpus can leave a split empty).

Files: `--out data.jsonl --split 80/10/10` writes `data.train.jsonl`, `data.dev.jsonl` and
`data.test.jsonl` (for brat: folders `corpus.train/`, ...). A split with a 0 share is not
written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotator.io.export.options import SPLIT_NAMES, ExportError
from annotator.io.export.records import ExportedDocument

BUCKETS = 10_000  # hash buckets; a share of p percent is p * 100 buckets


def parse_split(text: str) -> tuple[int, int, int]:
    """'80/10/10' -> (80, 10, 10); raises ExportError for anything else."""
    parts = text.replace(",", "/").split("/")
    try:
        numbers = tuple(int(part) for part in parts)
    except ValueError:
        raise ExportError(f"--split {text}: give three whole percentages, e.g. 80/10/10") from None
    if len(numbers) != 3 or any(number < 0 for number in numbers):
        raise ExportError(f"--split {text}: give three whole percentages, e.g. 80/10/10")
    if sum(numbers) != 100:
        raise ExportError(f"--split {text} adds up to {sum(numbers)}, not 100")
    return numbers[0], numbers[1], numbers[2]


def split_key(document: ExportedDocument) -> str:
    """What a document is split by: its story, else its text."""
    if document.story:
        return f"story:{document.story}"
    return f"text:{document.text_sha256}"


def assign_split(document: ExportedDocument, shares: tuple[int, int, int], seed: int) -> str:
    """'train', 'dev' or 'test' for this document, the same on every run with this seed."""
    digest = hashlib.sha256(f"{seed}\x00{split_key(document)}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % BUCKETS
    limit = 0
    for name, share in zip(SPLIT_NAMES, shares, strict=True):
        limit += share * BUCKETS // 100
        if bucket < limit:
            return name
    return SPLIT_NAMES[-1]  # unreachable when the shares add up to 100


def split_target(base: Path, suffix: str, split: str | None) -> Path:
    """`data` + `.jsonl` + `train` -> `data.train.jsonl`; without a split, `data.jsonl`."""
    middle = f".{split}" if split else ""
    return base.with_name(f"{base.name}{middle}{suffix}")
