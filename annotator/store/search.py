"""The document list's search box: which documents a search finds, as SQL.

A search finds the documents in which every word of the query starts a word of the title or
the text, ignoring case (and, on SQLite, accents): "kreml" finds "Kremlin", "grain ports" finds
the documents that mention both. Words typed without a space between them, such as "U.S.",
"covid-19" or "3.5", must appear next to each other in that order. On SQLite an FTS5 index
answers it (migration 0004; the check that the index is complete when a project opens is in
`annotator.store.database`); PostgreSQL reads the texts with a regular expression of the same
meaning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, table
from sqlalchemy import column as table_column
from sqlalchemy.orm import Session

from annotator.store.models import Document

# At most this many chunks of a query are searched: each costs a condition (SQLite allows an
# expression tree 1,000 deep), and words beyond the first few rarely narrow a search further.
MAX_CHUNKS = 32


@dataclass(frozen=True)
class SearchQuery:
    """What a search box entry asks for.

    Every one of `phrases` (a chunk of the entry between spaces) must occur in the title or
    the text as its words next to each other, separated by anything but letters and digits,
    the first starting a word and the last as a word's start: "U.S." finds "U.S." and
    "U.S.A." but not a "U" here and an "S" there. Every one of `pieces` must occur anywhere.
    Either may be in the title or the text (not necessarily the same one for each), in any
    case.
    """

    phrases: tuple[str, ...] = ()
    pieces: tuple[str, ...] = ()


# Scripts written without spaces between words. The tokenizer makes a whole run of them one
# token, so a word inside a sentence could not be found by its start: such chunks are matched
# as substrings instead (a scan, as before the index, but a search that works).
_UNSPACED = re.compile(
    "["
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"  # Han
    "]"
)


def parse_search(query: str) -> SearchQuery:
    """Split a search box entry at spaces into phrases and substring pieces.

    Each chunk is kept from its first word to its last: a phrase, or in a script without spaces
    a piece. A chunk without a word (say "..." or "—") is dropped; an entry without any word at
    all is looked for as it is. Repeated chunks count once, and only the first `MAX_CHUNKS` chunks
    are searched: a pasted paragraph finds its documents by its start.
    """
    query = query.strip()
    chunks: dict[tuple[str, ...], str] = {}  # by their words in lower case: "Grain grain" is one
    for chunk in query.split():
        words = phrase_words(chunk)
        if words:
            chunks.setdefault(tuple(word.lower() for word in words), chunk)
        if len(chunks) == MAX_CHUNKS:
            break
    if not chunks:
        return SearchQuery(pieces=(query,) if query else ())
    phrases: list[str] = []
    pieces: list[str] = []
    for words, chunk in chunks.items():
        spans = _word_spans(chunk)
        trimmed = chunk[spans[0][0] : spans[-1][1]]  # "(U.S.)," is "U.S"
        if _UNSPACED.search("".join(words)):
            pieces.append(trimmed)
        else:
            phrases.append(trimmed)
    return SearchQuery(phrases=tuple(phrases), pieces=tuple(pieces))


def phrase_words(chunk: str) -> tuple[str, ...]:
    """The words of `chunk` as the index's tokenizer (unicode61) sees them.

    Words are runs of letters and digits, with their combining marks; "U.S." is "U" and "S".
    """
    return tuple(chunk[start:end] for start, end in _word_spans(chunk))


def _word_spans(chunk: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for position, character in enumerate(f"{chunk} "):
        category = unicodedata.category(character)
        if category[0] in "LNM" or category == "Co":
            continue
        # Marks alone are no word.
        if any(unicodedata.category(c)[0] != "M" for c in chunk[start:position]):
            spans.append((start, position))
        start = position + 1
    return spans


def fts_query(phrases: tuple[str, ...]) -> str:
    """An FTS5 query for documents with every phrase: `"u.s."* "grain"*`.

    Each chunk is quoted as one phrase, so nothing a user types (AND, NOT, -, *, :, parentheses)
    is FTS5 syntax; FTS5 tokenizes the quoted text itself, exactly as it tokenized the documents,
    so its words must be adjacent in that order, and the star makes the last one a prefix.
    """
    return " ".join('"' + phrase.replace('"', '""') + '"*' for phrase in phrases)


def search_condition(session: Session, term: str) -> ColumnElement[bool]:
    """Documents whose title or text has every phrase and piece of `term` (see `SearchQuery`)."""
    search = parse_search(term)
    sqlite = _on_sqlite(session)
    terms: list[ColumnElement[bool]] = []
    if search.phrases and sqlite:
        # The unary + keeps SQLite from fetching each match by rowid and sorting them all (300
        # ms for a word in every one of 100,000 documents): it walks the list's index instead,
        # checking each rowid against the matches, and stops at the page's end (under 35 ms).
        terms.append(literal_column("+documents.rowid").in_(_matching_rowids(search.phrases)))
    elif search.phrases:
        for phrase in search.phrases:
            pattern = _phrase_pattern(phrase_words(phrase))
            terms.append(
                or_(
                    Document.title.regexp_match(pattern, flags="i"),
                    Document.text.regexp_match(pattern, flags="i"),
                )
            )
    for piece in search.pieces:
        if sqlite:  # SQLite's LIKE already ignores ASCII case; ilike's lower() copies every text
            terms.append(
                or_(
                    Document.title.contains(piece, autoescape=True),
                    Document.text.contains(piece, autoescape=True),
                )
            )
        else:
            terms.append(
                or_(
                    Document.title.icontains(piece, autoescape=True),
                    Document.text.icontains(piece, autoescape=True),
                )
            )
    return and_(*terms)


def reads_every_text(session: Session, term: str) -> bool:
    """Whether searching for `term` scans the texts rather than asking the index."""
    if not term.strip():
        return False
    return not _on_sqlite(session) or bool(parse_search(term).pieces)


def count_in_index(session: Session, term: str) -> int | None:
    """How many documents `term` finds, counted in the index alone; None where it cannot be.

    The index has a row per document, so it can count a search of whole words on SQLite
    without looking up every match in documents (10 ms instead of 40 at 100,000 matches).
    """
    search = parse_search(term)
    if not search.phrases or search.pieces or not _on_sqlite(session):
        return None
    query = select(func.count()).select_from(_matching_rowids(search.phrases).subquery())
    return session.scalar(query) or 0


# The FTS5 table of migration 0004; its hidden column of the table's own name takes MATCH.
_SEARCH_INDEX = table("documents_search", table_column("rowid"), table_column("documents_search"))


def _matching_rowids(phrases: tuple[str, ...]) -> Select[Any]:
    return select(_SEARCH_INDEX.c.rowid).where(
        _SEARCH_INDEX.c.documents_search.match(fts_query(phrases))
    )


def _phrase_pattern(words: tuple[str, ...]) -> str:
    """PostgreSQL's regular expression for a phrase: what FTS5 makes of `"u.s."*`.

    The first word at the start of the text or after a character that is not a letter or
    digit, as the tokenizer sees it (so "_" separates too, unlike \\m); the others each after
    one or more such characters; the last may go on. ~* ignores case.
    """
    return "(^|[^[:alnum:]])" + "[^[:alnum:]]+".join(re.escape(word) for word in words)


def _on_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
