"""Finding article files and reading them into `ArticleRecord`s, one format at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator.core.json_input import unfit
from annotator.core.markdown import markdown_to_text
from annotator.core.text import normalise
from annotator.io.imports.archives import is_zip, read_zip
from annotator.io.imports.encoding import NotText, decode
from annotator.io.imports.peers import (
    BRAT_CONFIGS,
    PEER_EXTENSIONS,
    PEER_FORMATS,
    TYPE_SYSTEM_NAMES,
    not_an_article,
    read_peer,
    sniff,
)
from annotator.io.imports.records import ArticleRecord, BadInput, ReadNote

FORMATS = ("auto", "txt", "md", "html", "jsonl", "csv", *PEER_FORMATS)
EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    **PEER_EXTENSIONS,
}
# One article per file is never this big; a JSONL or CSV corpus of 100,000 articles is.
MAX_ARTICLE_BYTES = 200 * 1024 * 1024
MAX_CORPUS_BYTES = 4 * 1024 * 1024 * 1024
CORPUS_FORMATS = ("jsonl", "csv", "labelstudio", "doccano", "prodigy", "conll", "spacy")
Item = ArticleRecord | BadInput | ReadNote


def find_files(paths: Sequence[Path], fmt: str) -> tuple[list[Path], list[BadInput], list[Path]]:
    """(files to read, problems, files passed over) for the given files and folders.

    Folders are walked (hidden files and folders skipped); there, with --format auto, only
    files with a known extension are taken and the others are listed as passed over. A brat
    document is its .ann file (which reads the .txt beside it); brat's .conf files are not
    articles and are passed over.
    """
    files: list[Path] = []
    problems: list[BadInput] = []
    passed_over: list[Path] = []
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path).parts
                if not found.is_file() or any(part.startswith(".") for part in relative):
                    continue
                if brat_text(found) or _companion(found, fmt):
                    continue  # read with its .ann, or with the files it describes
                if fmt == "auto" and found.suffix.lower() not in EXTENSIONS:
                    passed_over.append(found)
                else:
                    files.append(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(BadInput(str(path), "is not a regular file"))
        else:
            problems.append(BadInput(str(path), "no such file or folder"))
    return files, problems, passed_over


def _companion(path: Path, fmt: str) -> bool:
    """A file that describes others, not an article: brat's configuration, the type system
    of .xmi files beside it, and the dataset card and features of our exports."""
    name = path.name
    if name in BRAT_CONFIGS and fmt in ("auto", "brat"):
        return True
    if name in TYPE_SYSTEM_NAMES and fmt in ("auto", "xmi"):
        return any(path.parent.glob("*.xmi"))
    return name.endswith((".card.json", ".card.md", ".features.json")) and fmt == "auto"


def brat_text(path: Path) -> bool:
    """A .txt with an .ann of the same name beside it: the text of a brat document."""
    return path.suffix == ".txt" and path.with_suffix(".ann").is_file()


def format_of(path: Path, data: bytes, fmt: str) -> str:
    """The format to read `path` as: the one asked for, else what its content and name say."""
    if fmt != "auto":
        return fmt
    found = sniff(path, data)
    if found is not None:
        return found
    if path.suffix.lower() in EXTENSIONS:
        return EXTENSIONS[path.suffix.lower()]
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "txt"


def read_file(path: Path, fmt: str = "auto", offsets: str = "codepoints") -> Iterator[Item]:
    """The articles in one file, or the problems that stop them from being read, and notes
    for the summary. What is let in here every export and bundle can carry (see
    `core.json_input.unfit`)."""
    for item in _read_file(path, fmt, offsets):
        yield _fit(item) if isinstance(item, ArticleRecord) else item


def _fit(record: ArticleRecord) -> ArticleRecord | BadInput:
    """The record, or why it cannot be kept: a NUL, a lone surrogate, a NaN in any field."""
    # The raw input is kept for audit only; its text is what `text` was made from.
    fields = {
        name: value
        for name, value in vars(record).items()
        if name not in ("origin", "raw", "format") and value
    }
    reason = unfit(fields)
    return record if reason is None else BadInput(record.origin, reason)


def _read_file(path: Path, fmt: str, offsets: str) -> Iterator[Item]:
    origin = str(path)
    try:
        size = path.stat().st_size
        corpus = (fmt if fmt != "auto" else EXTENSIONS.get(path.suffix.lower())) in CORPUS_FORMATS
        limit = MAX_CORPUS_BYTES if corpus else MAX_ARTICLE_BYTES
        if size > limit:
            yield BadInput(origin, f"is larger than {limit // 2**20} MB")
            return
        data = path.read_bytes()
    except OSError as error:
        yield BadInput(origin, f"cannot be read ({error.strerror})")
        return
    if is_zip(data):
        yield from read_zip(
            path,
            data,
            MAX_CORPUS_BYTES,
            find=lambda root: find_files([root], fmt)[0],
            read=lambda member: _read_file(member, fmt, offsets),
        )
        return
    kind = format_of(path, data, fmt)
    if kind == "html":
        yield _html(data, origin)
        return
    if kind in PEER_FORMATS or kind in ("jsonl", "csv"):
        yield from read_peer(kind, path, data, offsets)
        return
    try:
        text, _encoding = decode(data)
    except NotText as problem:
        yield BadInput(origin, str(problem))
        return
    refused = not_an_article(text)
    if refused is not None:
        yield BadInput(origin, refused)
        return
    if kind == "md":
        plain = markdown_to_text(normalise(text).text)
        front = plain.front_matter
        yield ArticleRecord(
            origin=origin,
            text=plain.text,
            raw=text,
            format="md",
            title=front.get("title"),
            published=front.get("date"),
            author=front.get("author"),
            source=front.get("source"),
            url=front.get("url"),
        )
    else:
        yield ArticleRecord(origin=origin, text=text, raw=text, format="txt")


def _html(data: bytes, origin: str) -> ArticleRecord | BadInput:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return BadInput(origin, "looks like a binary file (it contains NUL bytes), not HTML")
    import trafilatura  # slow to import; only HTML needs it

    # Text and metadata only: nothing of the page is rendered, fetched or run.
    document = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    if document is not None and not isinstance(document, dict):
        document = document.as_dict()
    if not isinstance(document, dict) or not (document.get("text") or "").strip():
        return BadInput(origin, "no article text found in this HTML page")
    try:
        raw, _ = decode(data)
    except NotText:
        raw = data.decode("utf-8", errors="replace")
    paragraphs = [line for line in str(document["text"]).split("\n") if line.strip()]
    return ArticleRecord(
        origin=origin,
        text="\n\n".join(paragraphs),
        raw=raw,
        format="html",
        title=document.get("title") or None,
        published=document.get("date") or None,
        author=document.get("author") or None,
        source=document.get("sitename") or None,
        url=document.get("url") or None,
        meta={
            k: document[k]
            for k in ("hostname", "description", "categories", "tags")
            if document.get(k)
        },
    )
