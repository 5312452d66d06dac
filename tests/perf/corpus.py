"""Synthetic news-like articles with a fixed seed, for benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator

WORDS = [
    "the",
    "talks",
    "ministry",
    "said",
    "on",
    "monday",
    "security",
    "guarantees",
    "troops",
    "ceasefire",
    "negotiators",
    "proposal",
    "officials",
    "europe",
    "kremlin",
    "kyiv",
    "washington",
    "brussels",
    "london",
    "treaty",
    "territory",
    "sanctions",
    "summit",
    "envoy",
    "statement",
    "rejected",
    "welcomed",
    "agreed",
    "insisted",
    "warned",
    "spokesman",
    "president",
    "minister",
    "delegation",
    "border",
    "line",
    "monitoring",
    "force",
    "peace",
    "plan",
    "draft",
    "week",
    "government",
    "parliament",
    "vote",
    "support",
    "oppose",
    "deal",
    "grain",
    "ports",
    "ships",
    "escort",
    "insurance",
]


def article_text(rng: random.Random, length: int) -> str:
    """About `length` characters of sentences in paragraphs."""
    paragraphs: list[str] = []
    size = 0
    while size < length:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:length].rstrip() + "."


def articles(count: int, length: int = 3000, seed: int = 7) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    outlets = ["Meridian Wire", "Harbour Post", "The Baltic Ledger", "Continental Daily"]
    for number in range(count):
        yield {
            "id": f"bench-{number}",
            "title": f"Article {number}",
            "source": outlets[number % 4],
            "published": f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "story": f"story-{number // 2}",
            "text": article_text(rng, length),
        }
