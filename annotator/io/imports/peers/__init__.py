"""Files other annotation tools wrote: Label Studio, doccano, brat, CoNLL, Prodigy, spaCy,
UIMA CAS XMI (INCEpTION, via dkpro-cassis) and WebAnno TSV 3.

`sniff` names the format of a file from its content (and name): a JSON file of Label
Studio tasks is Label Studio's whatever its extension, a `.txt` of CoNLL lines is CoNLL.
`read_peer` reads one file in a format. `not_an_article` is asked before a text file is
taken as an article: an annotation file is refused naming the format it looks like, never
imported as a text. One module per format; each says what it reads and where it goes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.json_input import JsonProblem, strict_json
from annotator.io.imports.encoding import NotText, decode
from annotator.io.imports.peers import brat, conll, doccano, labelstudio, prodigy
from annotator.io.imports.peers.xmi import TYPE_SYSTEM_NAMES as TYPE_SYSTEM_NAMES
from annotator.io.imports.records import ArticleRecord, BadInput, ReadNote
from annotator.io.imports.structured import parse_record, read_csv, read_jsonl

PEER_FORMATS = (
    "labelstudio",
    "doccano",
    "brat",
    "conll",
    "prodigy",
    "spacy",
    "xmi",
    "webanno-tsv",
)
PEER_EXTENSIONS = {
    ".ann": "brat",
    ".conll": "conll",
    ".conllu": "conll",
    ".conll03": "conll",
    ".bio": "conll",
    ".iob": "conll",
    ".iobes": "conll",
    ".bilou": "conll",
    ".spacy": "spacy",
    ".xmi": "xmi",
}
BRAT_CONFIGS = frozenset(brat.CONFIGS)
NAMES = {
    "labelstudio": "a Label Studio export",
    "doccano": "a doccano export",
    "brat": "a brat annotation file",
    "conll": "a CoNLL token file",
    "prodigy": "a Prodigy export",
    "spacy": "a spaCy DocBin",
    "xmi": "a UIMA CAS XMI file",
    "webanno-tsv": "a WebAnno TSV file",
}
Item = ArticleRecord | BadInput | ReadNote


def sniff(path: Path, data: bytes) -> str | None:
    """The annotation format `data` is in, from its content, or None (an article or ours)."""
    suffix = path.suffix.lower()
    if suffix == ".spacy":
        return "spacy"
    if suffix == ".ann" or (path.suffix == ".txt" and path.with_suffix(".ann").is_file()):
        return "brat"
    head = data[:4096]
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith("#FORMAT=WebAnno TSV"):
        return "webanno-tsv"
    if stripped.startswith("<") and ("http://www.omg.org/XMI" in text or "<xmi:XMI" in text):
        return "xmi"
    if suffix in (".csv", ".tsv"):
        header = text.split("\n", 1)[0].rstrip("\r")
        columns = [c.strip().strip('"') for c in header.split("\t" if suffix == ".tsv" else ",")]
        return "labelstudio" if labelstudio.is_csv_header(columns) else None
    if stripped.startswith(("[", "{")):
        return None  # JSON: which tool's is decided on its records (`read_peer`)
    if suffix in PEER_EXTENSIONS:
        return PEER_EXTENSIONS[suffix]
    if suffix in ("", ".txt", ".text", ".tsv", ".tab") and conll.looks_like_conll(text):
        return "conll"
    return None


def not_an_article(text: str) -> str | None:
    """Why a text file must not become an article (it is another tool's file), or None."""
    head = text[:4096]
    if "[entities]" in head and ("[relations]" in head or "[events]" in head):
        return "a brat configuration file (annotation.conf), not an article; import the folder"
    if brat.looks_like_ann(head):
        return "looks like a brat annotation file, but its .txt is not beside it"
    return None


def read_peer(kind: str, path: Path, data: bytes, offsets: str) -> Iterator[Item]:
    """The records of one file in format `kind` (jsonl and csv: which tool's, by content)."""
    origin = str(path)
    if kind == "spacy":
        from annotator.io.imports.peers.spacy_docbin import read_docbin

        yield from read_docbin(data, origin)
        return
    if kind == "brat":
        ann = path if path.suffix == ".ann" else path.with_suffix(".ann")
        if ann.is_file():
            yield from brat.read_pair(ann, brat.read_conf(ann.parent))
        else:  # --format brat on a text nobody annotated: brat reads it as no annotations
            yield from _plain_brat_text(path, data)
        return
    if kind == "xmi":
        from annotator.io.imports.peers.xmi import read_xmi

        yield from read_xmi(path, data)
        return
    try:
        text, _ = decode(data)
    except NotText as problem:
        yield BadInput(origin, str(problem))
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if kind == "webanno-tsv":
        from annotator.io.imports.peers.webanno_tsv import read_tsv

        annotator = _card_detail(path.parent, "webanno_tsv_annotators").get(path.name)
        for item in read_tsv(text, origin):
            if isinstance(item, ArticleRecord) and isinstance(annotator, str):
                item.annotator = annotator
            yield item
    elif kind == "conll":
        if not text.strip():
            yield BadInput(origin, "an empty CoNLL file")
            return
        yield from conll.read_conll(text, origin, conll.card_documents(path))
    elif kind == "csv" or (kind == "labelstudio" and path.suffix.lower() in (".csv", ".tsv")):
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        if kind == "labelstudio":
            yield from labelstudio.read_csv(text, origin, delimiter)
        else:
            yield from read_csv(text, origin, delimiter)
    else:
        yield from _json_records(kind, text, origin, offsets)


def _card_detail(folder: Path, key: str) -> dict[str, Any]:
    """A format detail of the card our export wrote beside the folder `folder`."""
    try:
        card = json.loads(folder.with_name(folder.name + ".card.json").read_text("utf-8"))
        found = card["format_details"][key]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def _plain_brat_text(path: Path, data: bytes) -> Iterator[Item]:
    try:
        text, _ = decode(data)
    except NotText as problem:
        yield BadInput(str(path), str(problem))
        return
    yield ArticleRecord(origin=str(path), text=text, raw=text, format="brat")


def _json_records(kind: str, text: str, origin: str, offsets: str) -> Iterator[Item]:
    """A JSON array or JSONL file: ours, or Label Studio's, doccano's or Prodigy's."""
    items = _json_items(text, origin)
    if isinstance(items, BadInput):
        yield items
        return
    good = [(where, item) for where, item in items if not isinstance(item, BadInput)]
    flavour = kind if kind != "jsonl" else _flavour(good[0][1] if good else None)
    if flavour == "jsonl" and offsets == "codepoints":
        yield from read_jsonl(text, origin)
        return
    yield from (item for _, item in items if isinstance(item, BadInput))
    if flavour == "jsonl":
        for where, item in good:
            try:
                yield parse_record(item, where, "jsonl", offsets)
            except BadInput as problem:
                yield problem
        return
    if flavour == "labelstudio":
        values = [item for _, item in good]
        if values and labelstudio.is_task(values[0]):
            yield from labelstudio.read_tasks(values, origin)
        elif values and labelstudio.is_min_row(values[0]):
            yield from labelstudio.read_min_rows(values, origin)
        else:
            yield BadInput(
                good[0][0] if good else origin,
                "not a Label Studio export: expected tasks with 'data' and 'annotations' "
                "(JSON) or rows with 'text' and labelled regions (JSON_MIN)",
            )
    elif flavour == "prodigy":
        yield from prodigy.read_items(good, origin)
    elif flavour in ("doccano", "jsonl"):
        yield from doccano.read_items(good, origin, offsets)


def _flavour(first: object) -> str:
    if labelstudio.is_task(first) or labelstudio.is_min_row(first):
        return "labelstudio"
    if prodigy.is_prodigy(first):
        return "prodigy"
    if doccano.is_doccano(first):
        return "doccano"
    return "jsonl"


def _json_items(text: str, origin: str) -> list[tuple[str, Any]] | BadInput:
    if text.lstrip().startswith("["):
        try:
            value = strict_json(text)
        except JsonProblem as error:
            return BadInput(f"{origin}:{error.line}", f"not valid JSON ({error.reason})")
        if not isinstance(value, list):
            return BadInput(origin, "a JSON file must hold a list of records")
        return [(f"{origin}: item {n}", item) for n, item in enumerate(value, start=1)]
    items: list[tuple[str, Any]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            items.append((where, strict_json(line)))
        except JsonProblem as error:
            items.append(
                (where, BadInput(where, f"not valid JSON ({error.reason}{error.where()})"))
            )
    return items
