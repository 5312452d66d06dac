"""spaCy's binary training data (`.spacy`, a DocBin): entities, span groups and categories.

Each Doc is a document: `doc.ents` and every span group (`doc.spans[key]`) are spans
(`start_char`/`end_char` are code points), the label being the span's label; categories
scored 0.5 or more are document labels. A span in both the entities and a group is stored
once. Reading needs spaCy (whoever made the file has it); the vocabulary is a blank one,
no model is loaded.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.io.imports.records import ArticleRecord, BadInput, SpanRecord
from annotator.io.imports.spans import unique_spans

MAGIC = b"\x78"  # a DocBin is zlib-compressed msgpack


def read_docbin(data: bytes, origin: str) -> Iterator[ArticleRecord | BadInput]:
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        yield BadInput(origin, "a spaCy DocBin (.spacy); reading it needs spaCy: pip install spacy")
        return
    try:
        docs = list(DocBin().from_bytes(data).get_docs(spacy.blank("xx").vocab))
    except Exception as error:  # spaCy raises ValueError, KeyError, msgpack errors...
        yield BadInput(origin, f"not a spaCy DocBin that spaCy can read ({type(error).__name__})")
        return
    for number, doc in enumerate(docs, start=1):
        spans = [SpanRecord(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_]
        for group in doc.spans.values():
            spans += [SpanRecord(s.start_char, s.end_char, s.label_) for s in group if s.label_]
        labels = [name for name, score in doc.cats.items() if score >= 0.5]
        if not doc.text.strip():
            continue
        yield ArticleRecord(
            origin=f"{origin}: doc {number}",
            text=doc.text,
            raw=doc.text,
            format="spacy",
            spans=sorted(
                unique_spans(s for s in spans if s.start < s.end),
                key=lambda s: (s.start, s.end, s.label),
            ),
            doc_labels=labels,
        )
