"""The document list's search box: which documents a search finds, as SQL.

A search finds the documents in which every word of the query starts a word of the title or
the text, ignoring case (and, on SQLite, accents): "kreml" finds "Kremlin", "grain ports" finds
the documents that mention both. On SQLite an FTS5 index answers it (migration 0004; the
check that the index is complete when a project opens is in `annotator.store.database`);
PostgreSQL reads the texts with a regular expression of the same meaning.
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


@dataclass(frozen=True)
class SearchQuery:
    """What a search box entry asks for.

    Every one of `words` must start a word, and every one of `pieces` must occur anywhere, in
    the title or the text (not necessarily the same one for each), ignoring case.
    """

    words: tuple[str, ...] = ()
    pieces: tuple[str, ...] = ()


# Scripts written without spaces between words. The tokenizer makes a whole run of them one
# token, so a word inside a sentence could not be found by its start: such words are matched
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
    """Split a search box entry into words (matched at word starts) and substring pieces.

    Words are what the index's tokenizer (unicode61) sees as words: runs of letters and digits,
    with their combining marks. An entry without any (say "..." or "—") is looked for as it is.
    """
    query = query.strip()
    words: dict[str, str] = {}  # by lower case: "Grain grain" is one word
    word: list[str] = []
    for character in f"{query} ":
        category = unicodedata.category(character)
        if category[0] in "LNM" or category == "Co":
            word.append(character)
            continue
        if any(unicodedata.category(c)[0] != "M" for c in word):  # marks alone are no word
            words.setdefault("".join(word).lower(), "".join(word))
        word = []
    if not words:
        return SearchQuery(pieces=(query,) if query else ())
    return SearchQuery(
        words=tuple(w for w in words.values() if not _UNSPACED.search(w)),
        pieces=tuple(w for w in words.values() if _UNSPACED.search(w)),
    )


def fts_query(words: tuple[str, ...]) -> str:
    """An FTS5 query for documents where every word starts a word: `"grain"* "ports"*`.

    Each word is quoted, so nothing a user types (AND, NOT, -, *, :, parentheses) is FTS5
    syntax; FTS5 tokenizes the quoted text itself, exactly as it tokenized the documents.
    """
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def search_condition(session: Session, term: str) -> ColumnElement[bool]:
    """Documents whose title or text has every word of `term` (see `SearchQuery`)."""
    search = parse_search(term)
    sqlite = _on_sqlite(session)
    terms: list[ColumnElement[bool]] = []
    if search.words and sqlite:
        # The unary + keeps SQLite from fetching each match by rowid and sorting them all (300
        # ms for a word in every one of 100,000 documents): it walks the list's index instead,
        # checking each rowid against the matches, and stops at the page's end (under 35 ms).
        terms.append(literal_column("+documents.rowid").in_(_matching_rowids(search.words)))
    elif search.words:
        for word in search.words:
            # Start of the text or after a character that is not a letter or digit, as the
            # tokenizer sees it (so "_" separates too, unlike \m). ~* ignores case.
            start = f"(^|[^[:alnum:]]){re.escape(word)}"
            terms.append(
                or_(
                    Document.title.regexp_match(start, flags="i"),
                    Document.text.regexp_match(start, flags="i"),
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
    if not search.words or search.pieces or not _on_sqlite(session):
        return None
    query = select(func.count()).select_from(_matching_rowids(search.words).subquery())
    return session.scalar(query) or 0


# The FTS5 table of migration 0004; its hidden column of the table's own name takes MATCH.
_SEARCH_INDEX = table("documents_search", table_column("rowid"), table_column("documents_search"))


def _matching_rowids(words: tuple[str, ...]) -> Select[Any]:
    return select(_SEARCH_INDEX.c.rowid).where(
        _SEARCH_INDEX.c.documents_search.match(fts_query(words))
    )


def _on_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
