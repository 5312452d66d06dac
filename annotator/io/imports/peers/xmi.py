"""UIMA CAS XMI (INCEpTION, DKPro, cTAKES...) with its type system, read with dkpro-cassis.

The type system is the `TypeSystem.xml` (or `typesystem.xml`) beside the .xmi; cassis
converts XMI's UTF-16 offsets to code points. The document's text is the sofa's. Spans
are the annotations of every type under `uima.tcas.Annotation` that is not DKPro's
segmentation, metadata or morphology and has no Governor/Dependent (those are relations):
the label is the `label` or `value` feature (a NamedEntity's), else the first text
feature with a value, else the type's short name; our `actor`, `issue`, `note` and `id`
features are read back. Relations are stances when they are ours (`webanno.custom.Stance`:
polarity, actor, issue, one `stance_id` per stance); others are kept in the document's
meta and counted. `webanno.custom.DocumentLabel` annotations are document labels. The
annotator is DocumentMetaData's `collectionId` where our export put it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.io.imports.records import (
    ArticleRecord,
    BadInput,
    ReadNote,
    SpanRecord,
    StanceRecord,
    plural,
)

NOT_SPANS = (
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.",
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.",
    "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.",
    "de.tudarmstadt.ukp.dkpro.core.api.syntax.type.",
    "uima.tcas.DocumentAnnotation",
    "de.tudarmstadt.ukp.clarin.webanno.api.type.",
    "de.tudarmstadt.ukp.inception.",
    "webanno.custom.DocumentLabel",
)
OWN_FEATURES = ("label", "value", "actor", "actor_type", "issue", "note", "id")
STANCE = "webanno.custom.Stance"
TYPE_SYSTEM_NAMES = ("TypeSystem.xml", "typesystem.xml")


def read_xmi(path: Path, data: bytes) -> Iterator[ArticleRecord | BadInput | ReadNote]:
    origin = str(path)
    try:
        from cassis import load_cas_from_xmi, load_typesystem
    except ImportError:
        yield BadInput(origin, "a UIMA CAS XMI file; reading it needs dkpro-cassis")
        return
    system_path = next(
        (path.with_name(n) for n in TYPE_SYSTEM_NAMES if path.with_name(n).is_file()), None
    )
    try:
        system = None
        if system_path is not None:
            with system_path.open("rb") as handle:
                system = load_typesystem(handle)
        cas = load_cas_from_xmi(io.BytesIO(data), typesystem=system, lenient=True)
    except Exception as error:
        where = f" with {system_path.name}" if system_path else " (no TypeSystem.xml beside it)"
        reason = str(error)[:200] or type(error).__name__
        yield BadInput(origin, f"a UIMA CAS XMI file that cannot be read{where}: {reason}")
        return
    text = cas.sofa_string
    if not text or not text.strip():
        yield BadInput(origin, "a UIMA CAS XMI file without document text")
        return
    spans: list[SpanRecord] = []
    ids: dict[int, str] = {}
    relations: list[Any] = []
    labels: list[str] = []
    title = annotator = None
    for annotation in cas.select_all_fs():
        name = annotation.type.name
        features = {f.name for f in annotation.type.all_features}
        if name.endswith(".DocumentMetaData"):
            title = _text(annotation, "documentTitle")
            annotator = _text(annotation, "collectionId") if _ours(cas) else None
            continue
        if name == "webanno.custom.DocumentLabel":
            label = _text(annotation, "label")
            if label:
                labels.append(label)
            continue
        if "Governor" in features and "Dependent" in features:
            relations.append(annotation)
            continue
        if not _is_span(annotation, name):
            continue
        label = _label(annotation, features)
        if annotation.begin >= annotation.end or not label:
            continue
        identifier = _text(annotation, "id") or f"xmi-{annotation.xmiID}"
        ids[annotation.xmiID] = identifier
        spans.append(
            SpanRecord(
                annotation.begin,
                annotation.end,
                label,
                id=identifier,
                actor=_text(annotation, "actor"),
                actor_type=_text(annotation, "actor_type"),
                issue=_text(annotation, "issue"),
                note=_text(annotation, "note") or "",
            )
        )
    stances, other = _stances(relations, ids)
    meta: dict[str, Any] = {"xmi_relations": other} if other else {}
    yield ArticleRecord(
        origin=origin,
        text=text,
        raw=text,
        format="xmi",
        title=title or path.stem,
        meta=meta,
        annotator=annotator,
        spans=spans,
        stances=stances,
        doc_labels=list(dict.fromkeys(labels)),
    )
    if other:
        yield ReadNote(
            origin,
            f"{plural(len(other), 'relation')} kept in the document's meta "
            "(Annotator has no relation layer)",
        )


def _ours(cas: Any) -> bool:
    try:
        cas.typesystem.get_type(STANCE)
    except Exception:
        return False
    return True


def _is_span(annotation: Any, name: str) -> bool:
    if any(name.startswith(prefix) for prefix in NOT_SPANS) or name.startswith("uima."):
        return False
    return hasattr(annotation, "begin") and hasattr(annotation, "end")


def _label(annotation: Any, features: set[str]) -> str | None:
    for name in ("label", "value"):
        if name in features and _text(annotation, name):
            return _text(annotation, name)
    for feature in annotation.type.all_features:
        if feature.name in OWN_FEATURES or feature.name in ("begin", "end", "sofa"):
            continue
        value = annotation.get(feature.name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return str(annotation.type.name).rsplit(".", 1)[-1]


def _text(annotation: Any, name: str) -> str | None:
    try:
        value = annotation.get(name)
    except Exception:
        return None
    return value.strip() or None if isinstance(value, str) else None


def _stances(relations: list[Any], ids: dict[int, str]) -> tuple[list[StanceRecord], list[Any]]:
    grouped: dict[str, list[Any]] = {}
    other: list[dict[str, Any]] = []
    for relation in relations:
        governor, dependent = relation.get("Governor"), relation.get("Dependent")
        stance_id = _text(relation, "stance_id")
        ours = relation.type.name == STANCE and stance_id and _text(relation, "polarity")
        if ours and _text(relation, "actor") and _text(relation, "issue"):
            grouped.setdefault(str(stance_id), []).append(relation)
            continue
        other.append(
            {
                "type": relation.type.name,
                "governor": ids.get(getattr(governor, "xmiID", -1)),
                "dependent": ids.get(getattr(dependent, "xmiID", -1)),
                "features": {
                    f.name: relation.get(f.name)
                    for f in relation.type.all_features
                    if isinstance(relation.get(f.name), str | int | float | bool)
                    and f.name not in ("begin", "end")
                },
            }
        )
    stances = []
    for stance_id, parts in grouped.items():
        first = parts[0]
        evidence: list[str] = []
        for part in parts:
            for end in (part.get("Governor"), part.get("Dependent")):
                found = ids.get(getattr(end, "xmiID", -1))
                if found and found not in evidence:
                    evidence.append(found)
        confidence = _text(first, "confidence")
        try:
            value = float(confidence) if confidence else None
        except ValueError:
            value = None
        stances.append(
            StanceRecord(
                actor=str(_text(first, "actor")),
                issue=str(_text(first, "issue")),
                polarity=str(_text(first, "polarity")),
                evidence=tuple(evidence),
                id=stance_id,
                confidence=value if value is not None and 0 <= value <= 1 else None,
                note=_text(first, "note") or "",
            )
        )
    return stances, other
