"""brat standoff: `<name>.txt` with `<name>.ann` beside it (and `annotation.conf` above).

- `T` lines are spans (`T1<TAB>TYPE start end[;start end...]<TAB>text`; the quoted text is
  checked, as brat does). A discontinuous span becomes one span from its first start to its
  last end (our brat export cuts spans at line breaks that way); joined ones are counted.
- `N` lines normalise: `Actors:<id>` names the span's actor (the line's text is its name),
  `Issues:<key>` its issue; other databases go into the span's note as `DB:ID`.
- `#` AnnotatorNotes are notes; `A`/`M` attributes on a span are added to its note
  (`Negated`, `Confidence=High`).
- A `Stance` event (our export: trigger, `Evidence` arguments, `Polarity` attribute, actor and
  issue as normalisations) is a stance, its trigger not a span. Other events, `R` relations
  and `*` equivalences are kept in the document's meta (Annotator has no relation layer) and
  counted in the summary.
- Type names: `annotation.conf` comments `# label TYPE = original` (our export writes them for
  labels brat cannot spell) give the labels back their names.
Offsets are code points of the .txt as it is on disk (CRLF counts two), which the import then
maps onto the stored text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotator.io.export.brat import OURS
from annotator.io.imports.encoding import NotText, decode
from annotator.io.imports.records import (
    ArticleRecord,
    BadInput,
    ReadNote,
    SpanRecord,
    StanceRecord,
    plural,
)
from annotator.io.imports.spans import checked_span

STANCE = "Stance"
CONFIGS = ("annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf")
_MAPPING = re.compile(r"^#\s*label\s+(\S+)\s+=\s+(.+?)\s*$")
_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")


def looks_like_ann(text: str) -> bool:
    """Most lines are brat annotation lines (`T1<TAB>TYPE 0 4<TAB>...`)."""
    lines = [line for line in text.split("\n")[:50] if line.strip()]
    if not lines:
        return False
    ann = sum(bool(re.match(r"^([TRENAM#]\d*|\*)\t\S", line)) for line in lines)
    return ann >= max(1, int(len(lines) * 0.8))


@dataclass(frozen=True)
class BratConf:
    """What the nearest annotation.conf says: brat type -> label, and whether we wrote it."""

    labels: dict[str, str] = field(default_factory=dict)
    ours: bool = False


def read_conf(folder: Path) -> BratConf:
    """The nearest annotation.conf: in the .ann's folder or one of the three above (brat's
    own search goes up the same way)."""
    for candidate in (folder, *list(folder.parents)[:3]):
        conf = candidate / "annotation.conf"
        if conf.is_file():
            try:
                lines = conf.read_text(encoding="utf-8", errors="replace").split("\n")
            except OSError:
                return BratConf()
            labels = {m[1]: m[2] for line in lines if (m := _MAPPING.match(line.strip()))}
            return BratConf(labels, any(line.strip() == OURS for line in lines))
    return BratConf()


@dataclass
class _Parsed:
    spans: dict[str, SpanRecord] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    actors: dict[str, str] = field(default_factory=dict)
    issues: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    events: dict[str, tuple[str, str, list[tuple[str, str]]]] = field(default_factory=dict)
    relations: list[dict[str, Any]] = field(default_factory=list)
    joined: int = 0


def read_pair(ann_path: Path, conf: BratConf) -> Iterator[ArticleRecord | BadInput | ReadNote]:
    """The document of one .ann file and its .txt. In a folder our export wrote with several
    layers, `<document>__<annotator>` names the layer."""
    origin = str(ann_path)
    text_path = ann_path.with_suffix(".txt")
    if not text_path.is_file():
        yield BadInput(
            origin, f"a brat annotation file without its text ({text_path.name} is missing)"
        )
        return
    try:
        text, _ = decode(text_path.read_bytes())
        ann, _ = decode(ann_path.read_bytes()) if ann_path.stat().st_size else ("", None)
    except NotText as problem:
        yield BadInput(origin, str(problem))
        return
    except OSError as error:
        yield BadInput(origin, f"cannot be read ({error.strerror})")
        return
    try:
        parsed = _parse(ann, text, origin, conf.labels)
    except BadInput as problem:
        yield problem
        return
    record = _record(parsed, text, str(text_path), origin)
    if conf.ours and "__" in ann_path.stem:
        record.annotator = ann_path.stem.rsplit("__", 1)[1]
    yield record
    if parsed.joined:
        yield ReadNote(
            origin, f"{plural(parsed.joined, 'discontinuous span')} read as one span each"
        )
    other = len(record.meta.get("brat_relations", []))
    if other:
        yield ReadNote(
            origin,
            f"{plural(other, 'relation, event or equivalence line')} kept in the document's meta "
            "(Annotator has no relation layer)",
        )


def _parse(ann: str, text: str, origin: str, labels: dict[str, str]) -> _Parsed:
    parsed = _Parsed()
    triggers: set[str] = set()
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        parts = line.split("\t", 2)
        if len(parts) < 2:
            raise BadInput(where, "not a brat annotation line (ID<TAB>annotation)")
        identifier, body = parts[0], parts[1]
        quoted = parts[2] if len(parts) > 2 else None
        kind = identifier[:1]
        fields = body.split(" ")
        if kind == "T":
            if len(fields) < 3 or not _OFFSETS.match(" ".join(fields[1:])):
                raise BadInput(where, f"a text-bound annotation needs TYPE start end, not {body!r}")
            pieces = [
                tuple(int(n) for n in piece.split(" ")) for piece in " ".join(fields[1:]).split(";")
            ]
            if quoted is not None and quoted != " ".join(text[s:e] for s, e in pieces):
                raise BadInput(
                    where,
                    f"its text {quoted!r} is not the text at {' '.join(fields[1:])} of the .txt",
                )
            start, end = pieces[0][0], pieces[-1][1]
            parsed.joined += len(pieces) > 1 and _joined_across_text(text, pieces)
            span = checked_span(text, start, end, labels.get(fields[0], fields[0]), where, "span")
            parsed.spans[identifier] = replace(span, id=identifier)
            if fields[0] == STANCE:
                triggers.add(identifier)
        elif kind == "N" and len(fields) >= 3:
            target, reference = fields[1], fields[2]
            database, _, key = reference.partition(":")
            name = (quoted or key).strip()
            if database == "Actors":
                parsed.actors[target] = name
            elif database == "Issues":
                parsed.issues[target] = key
            else:
                parsed.notes.setdefault(target, []).append(f"{reference} {name}".strip())
        elif kind == "#" and len(fields) >= 2:
            parsed.notes.setdefault(fields[1], []).append((quoted or "").strip())
        elif kind in "AM" and len(fields) >= 2:
            value = fields[2] if len(fields) > 2 else ""
            parsed.attributes.setdefault(fields[1], {})[fields[0]] = value
        elif kind == "E":
            trigger_type, _, trigger = fields[0].partition(":")
            roles = [
                (arg.partition(":")[0], arg.partition(":")[2]) for arg in fields[1:] if ":" in arg
            ]
            parsed.events[identifier] = (trigger_type, trigger, roles)
        elif kind == "R" or identifier == "*":
            parsed.relations.append({"id": identifier, "annotation": body})
        else:
            raise BadInput(where, f"not a brat annotation line ({identifier!r} is no brat id)")
    return parsed


def _joined_across_text(text: str, pieces: list[tuple[int, ...]]) -> bool:
    """Were fragments joined over more than line breaks (a true discontinuous span)?"""
    return any(text[a[1] : b[0]].strip() for a, b in itertools.pairwise(pieces))


def _record(parsed: _Parsed, text: str, text_origin: str, origin: str) -> ArticleRecord:
    stances: list[StanceRecord] = []
    used_triggers: set[str] = set()
    relations = list(parsed.relations)
    for event, (kind, trigger, roles) in parsed.events.items():
        polarity = parsed.attributes.get(event, {}).get("Polarity")
        actor, issue = parsed.actors.get(event), parsed.issues.get(event)
        evidence = tuple(target for _, target in roles if target in parsed.spans)
        if kind == STANCE and polarity and actor and issue:
            used_triggers.add(trigger)
            note, confidence = _stance_note(parsed.notes.get(event, []))
            stances.append(
                StanceRecord(
                    actor=actor,
                    issue=issue,
                    polarity=polarity,
                    evidence=evidence,
                    confidence=confidence,
                    note=note,
                )
            )
        else:
            relations.append(
                {
                    "id": event,
                    "type": kind,
                    "trigger": trigger,
                    "arguments": [list(r) for r in roles],
                }
            )
    spans = []
    for identifier, span in parsed.spans.items():
        if identifier in used_triggers:
            continue
        notes = list(parsed.notes.get(identifier, []))
        notes += [
            name if value in ("", "true") else f"{name}={value}"
            for name, value in parsed.attributes.get(identifier, {}).items()
        ]
        spans.append(
            replace(
                span,
                actor=parsed.actors.get(identifier),
                issue=parsed.issues.get(identifier),
                note="; ".join(n for n in notes if n),
            )
        )
    meta: dict[str, Any] = {"brat_relations": relations} if relations else {}
    return ArticleRecord(
        origin=origin,
        text=text,
        raw=text,
        format="brat",
        external_id=None,
        title=Path(text_origin).stem,
        meta=meta,
        spans=spans,
        stances=stances,
    )


def _stance_note(notes: list[str]) -> tuple[str, float | None]:
    """Our export writes a stance's confidence and note as `confidence 0.8; note`."""
    joined = "; ".join(notes)
    found = re.match(r"^confidence (\d+(?:\.\d+)?)(?:; (.*))?$", joined, re.S)
    if found is None:
        return joined, None
    value = float(found[1])
    return (found[2] or ""), value if 0 <= value <= 1 else None
