"""Metadata found in plain article text: a headline, a date, a byline, the outlet.

Only what is plainly there is taken: a dated header line, an "Updated: 27-08-2025" line, a
"By Jane Roe" line, a "<Outlet> News Desk" byline, a short first line as the headline.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Digit lookarounds, not \b: file names glue dates to words with "_" ("2025-08-30_kyiv").
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?!\d)")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_DATED_LINE = re.compile(r"\b(date|dated|updated|published|created|posted)\b", re.IGNORECASE)
_BY_LINE = re.compile(r"^[Bb]y\s+([A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|,))*)\s*$")
_DESK = re.compile(r"^([A-Z][\w&.'’ -]{1,40}?)\s+(news desk|desk|staff|bureau)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ArticleMetadata:
    title: str | None = None
    published: str | None = None  # ISO date
    author: str | None = None
    source: str | None = None


def find_date(text: str) -> str | None:
    """The first full calendar date in `text`, as ISO yyyy-mm-dd."""
    candidates: list[tuple[int, date]] = []
    for match in _ISO.finditer(text):
        _add(candidates, match.start(), int(match[1]), int(match[2]), int(match[3]))
    for match in _DMY.finditer(text):
        first, second = int(match[1]), int(match[2])
        # Day first unless that is impossible (dates from the sites we see are day-first).
        day, month = (first, second) if second <= 12 else (second, first)
        _add(candidates, match.start(), int(match[3]), month, day)
    for match in _DAY_MONTH_YEAR.finditer(text):
        _add(candidates, match.start(), int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    for match in _MONTH_DAY_YEAR.finditer(text):
        _add(candidates, match.start(), int(match[3]), MONTHS[match[1].lower()], int(match[2]))
    return min(candidates)[1].isoformat() if candidates else None


def _add(found: list[tuple[int, date]], position: int, year: int, month: int, day: int) -> None:
    with contextlib.suppress(ValueError):  # 31-02-2025 and the like are not dates
        found.append((position, date(year, month, day)))


def extract_metadata(raw_lines: list[str], kept_lines: list[str]) -> ArticleMetadata:
    """Metadata from the input's lines (chrome included) and the lines cleaning kept."""
    published = None
    for line in raw_lines[:40]:
        if _DATED_LINE.search(line) and (published := find_date(line)):
            break
    if published is None:
        published = next((d for line in raw_lines[:5] if (d := find_date(line))), None)
    author = source = None
    for line in raw_lines[:40]:
        stripped = line.strip()
        if author is None and (by := _BY_LINE.match(stripped)) and len(stripped.split()) <= 8:
            author = by[1].strip(" ,")
        head = stripped.split("|")[0].strip()
        if source is None and (desk := _DESK.match(head)) and len(head.split()) <= 6:
            source = desk[1].strip()
    title = None
    first = next((line.strip() for line in kept_lines if line.strip()), None)
    # A headline is short and is not a sentence: "Talks stall", not "Talks stalled today."
    if first and len(first.split()) <= 20 and not first.endswith("."):
        title = first
    return ArticleMetadata(title=title, published=published, author=author, source=source)
