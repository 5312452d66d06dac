"""The tree in the README's development section is the tree of the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_tree() -> set[str]:
    """Every folder and file the tree names, as a path from the repository root."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Development", 1)[1].split("```", 2)[1]
    named: set[str] = set()
    parents: list[tuple[int, str]] = []
    for line in block.splitlines():
        match = re.match(r"( *)([\w.]+/?(?:, [\w.]+)*)(?:\s|$)", line)
        if not match or len(match.group(1)) % 2 or len(match.group(1)) > 2 * len(parents):
            continue  # a wrapped description
        depth = len(match.group(1)) // 2
        parents = parents[:depth]
        prefix = parents[-1][1] if parents else ""
        for name in match.group(2).split(", "):
            named.add(prefix + name.rstrip("/"))
        if match.group(2).endswith("/"):
            parents.append((depth, prefix + match.group(2)))
    return named


def test_every_folder_the_readme_names_exists() -> None:
    missing = sorted(path for path in readme_tree() if not (ROOT / path).exists())
    assert missing == []


def test_the_readme_names_every_package() -> None:
    named = readme_tree()
    packages = {
        str(init.parent.relative_to(ROOT))
        for init in (ROOT / "annotator").rglob("__init__.py")
        if "migrations" not in init.parts
    }
    assert sorted(packages - named) == []
