"""Removing page chrome from scraped article text, auditable and offset-preserving.

Scraped news pages come with navigation ("Left Menu"), trending and related lists, "Also
read" inserts, share bars, cookie and newsletter prompts, contact footers and copyright lines.
`clean_article` drops such *whole lines* and nothing else, so every body sentence is kept
verbatim; each dropped line is reported with its reason, and an `OffsetMap` moves offsets
given against the input onto the cleaned text. Lines that overlap `protected` ranges (text
somebody already annotated) are never dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.offsets import OffsetMap

# Lines that are chrome whatever the site: navigation, inserts, prompts, section labels.
CHROME_LINES = frozenset(
    {
        "left menu",
        "menu",
        "main menu",
        "skip to content",
        "skip to main content",
        "back to top",
        "also read",
        "read also",
        "read more",
        "see also",
        "others are reading now",
        "advertisement",
        "sponsored",
        "sponsored content",
        "share",
        "share this",
        "share this article",
        "share this story",
        "follow us",
        "connect us on",
        "connect with us",
        "connect",
        "subscribe",
        "subscribe now",
        "subscribe to our newsletter",
        "sign up for our newsletter",
        "newsletter",
        "give feedback",
        "feedback",
        "sectors",
        "editions",
        "other links",
        "other products",
        "comments",
        "leave a comment",
        "print",
        "cookie settings",
        "accept cookies",
        "accept all cookies",
        "devshots",
    }
)
# Headings that open a trailing block of other stories' headlines.
TAIL_HEADINGS = frozenset(
    {
        "trending",
        "trending now",
        "latest news",
        "related",
        "related articles",
        "related stories",
        "related news",
        "more stories",
        "more from this section",
        "recommended",
        "recommended for you",
        "most read",
        "most popular",
        "top stories",
        "you may also like",
        "you might also like",
        "opinion / blog / interview",
        "editor's picks",
        "editors picks",
    }
)
SOCIAL = frozenset(
    {
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "quora",
        "youtube",
        "rss",
        "instagram",
        "whatsapp",
        "telegram",
        "reddit",
        "pinterest",
        "email",
        "tiktok",
        "threads",
        "mastodon",
        "bluesky",
        "flipboard",
        "copy",
        "link",
        "share",
        "on",
    }
)

_COPYRIGHT = re.compile(r"^(©|\(c\)\s|copyright\b)|all rights reserved", re.IGNORECASE)
_CONTACT = re.compile(
    r"^(e-?mail|phone|tel|telephone|fax|contact us|whatsapp)\s*[:|]", re.IGNORECASE
)
_LEGAL = re.compile(
    r"privacy policy|terms of (use|service)|disclaimer|cookie policy|imprint", re.IGNORECASE
)
_COOKIE = re.compile(r"cookie", re.IGNORECASE)
_COOKIE_CONTEXT = re.compile(
    r"accept|consent|we use|this (web)?site uses|by continuing", re.IGNORECASE
)
_NEWSLETTER = re.compile(
    r"(subscribe|sign up|signup).{0,60}(newsletter|inbox|updates|alerts)", re.IGNORECASE
)
_CAPTION = re.compile(
    r"^(this image is ai-generated|image:|photo:|image credit|photo credit|file photo|"
    r"representative image|picture:)",
    re.IGNORECASE,
)
_TIMESTAMP_LINE = re.compile(r"\b(updated|created|published|posted)\s*:", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\d{1,3}[.)]?$")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_KEY_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True)
class DroppedLine:
    """A line removed by cleaning: where it was in the input, its text and why."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class CleanedText:
    text: str
    dropped: tuple[DroppedLine, ...]
    offsets: OffsetMap


def line_key(line: str) -> str:
    """A line compared loosely: lower case, single spaces, no punctuation at the ends."""
    return _KEY_PUNCTUATION.sub("", " ".join(line.lower().split()))


def is_sentence(line: str, min_words: int = 8) -> bool:
    """Body-like prose: enough words and a sentence end (possibly inside quotes)."""
    stripped = line.strip()
    return len(stripped.split()) >= min_words and bool(_SENTENCE_END.search(stripped))


def template_lines(texts: Iterable[str], *, min_share: float = 0.5) -> frozenset[str]:
    """Keys of short, non-sentence lines found in at least two and `min_share` of `texts`.

    Pass the texts of one source: its site template (section names, footer, site name) repeats
    across articles while the articles' sentences do not.
    """
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        total += 1
        counts.update(
            {line_key(line) for line in text.split("\n") if line.strip() and not is_sentence(line)}
        )
    needed = max(2, int(total * min_share + 0.999))
    return frozenset(key for key, count in counts.items() if key and count >= needed)


def chrome_reason(line: str) -> str | None:
    """Why a single line is page chrome on its own, or None if it may be content."""
    stripped = line.strip()
    key = line_key(stripped)
    words = stripped.split()
    if not key:
        return None
    if key in CHROME_LINES or key in TAIL_HEADINGS or ("left menu" in key and len(words) <= 8):
        return "navigation or insert"
    if _COPYRIGHT.search(stripped) and len(words) <= 20:
        return "copyright line"
    if _COOKIE.search(stripped) and _COOKIE_CONTEXT.search(stripped) and len(words) <= 40:
        return "cookie notice"
    if _NEWSLETTER.search(stripped) and len(words) <= 25:
        return "newsletter prompt"
    if _CONTACT.search(stripped):
        return "contact footer"
    if (_LEGAL.search(stripped) and len(words) <= 15) or (
        stripped.count("|") >= 2
        and all(len(p.split()) <= 4 for p in stripped.split("|"))
        and not _TIMESTAMP_LINE.search(stripped)
    ):
        return "footer links"
    if all(word.strip(".,:;|").lower() in SOCIAL for word in words):
        return "share bar"
    if _CAPTION.search(stripped):
        return "image caption"
    if _TIMESTAMP_LINE.search(stripped) and not is_sentence(stripped):
        return "byline and date (kept as metadata)"
    return None


def clean_article(
    text: str,
    *,
    template: frozenset[str] = frozenset(),
    protected: Sequence[tuple[int, int]] = (),
) -> CleanedText:
    """Drop chrome lines from normalised `text` (LF line ends) and tidy the blank lines."""
    lines = _lines(text)
    reasons: list[str | None] = [None] * len(lines)
    # Template lines count only outside the body (before its first sentence, after its
    # last): a heading inside the article may recur in other articles of the same outlet.
    sentences = [n for n, (s, e) in enumerate(lines) if is_sentence(text[s:e])]
    body = range(sentences[0], sentences[-1] + 1) if sentences else range(0)
    seen: set[str] = set()
    in_tail = body_started = False
    for number, (start, end) in enumerate(lines):
        line = text[start:end]
        key = line_key(line)
        if not key:
            continue
        reason = chrome_reason(line)
        if key in TAIL_HEADINGS and body_started:
            in_tail = True  # other stories' headlines follow until the prose comes back
        elif in_tail and is_sentence(line, min_words=12):
            in_tail = False
        body_started = body_started or is_sentence(line)
        if reason is None and in_tail:
            reason = "trending or related list"
        if reason is None and key in template and number not in body:
            reason = "repeated in other articles of this source"
        if reason is None and key in seen and len(line.split()) <= 30:
            reason = "repeated line"
        if reason is not None and _overlaps(start, end, protected):
            reason = None
        reasons[number] = reason
        if reason is None:
            seen.add(key)
    return _apply(text, lines, reasons)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the LF."""
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _overlaps(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any((s < end and start < e) or s == e == start for s, e in ranges)


def _apply(text: str, lines: list[tuple[int, int]], reasons: list[str | None]) -> CleanedText:
    deletions: list[tuple[int, int]] = []
    dropped: list[DroppedLine] = []
    for (start, end), reason in zip(lines, reasons, strict=True):
        if reason is not None:
            # The line and its LF (the last line has none: take the LF before it instead).
            deletions.append((start, min(end + 1, len(text))))
            dropped.append(DroppedLine(start, end, text[start:end], reason))
    # Tidy the layout the drops leave behind: at most one blank line between paragraphs and
    # none at the ends. Blank means empty or only spaces; those are whitespace, not content.
    kept = [(s, e) for (s, e), r in zip(lines, reasons, strict=True) if r is None]
    blank_run: list[tuple[int, int]] = []
    seen_content = False
    for start, end in kept:
        if text[start:end].strip():
            if blank_run and seen_content:
                blank_run = blank_run[1:]  # keep one blank line as the paragraph break
            deletions.extend((s, min(e + 1, len(text))) for s, e in blank_run)
            blank_run = []
            seen_content = True
        else:
            blank_run.append((start, end))
    deletions.extend((s, min(e + 1, len(text))) for s, e in blank_run)
    mapping = OffsetMap.from_deletions(deletions)
    cleaned = _delete(text, mapping.deleted)
    if cleaned.endswith("\n"):  # the final LF of the last kept line, once nothing follows
        mapping = mapping.then(OffsetMap.from_deletions([(len(cleaned) - 1, len(cleaned))]))
        cleaned = cleaned[:-1]
    return CleanedText(cleaned, tuple(dropped), mapping)


def _delete(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    parts = []
    position = 0
    for start, end in ranges:
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return "".join(parts)
