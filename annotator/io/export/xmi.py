"""UIMA CAS XMI for INCEpTION (and DKPro, cassis): a folder with `<name>.xmi` per document
layer and `TypeSystem.xml`, what INCEpTION's "UIMA CAS XMI" format imports and exports.

Types (INCEpTION's custom layers are named `webanno.custom.*`; create them in the project,
with these features, before importing, as INCEpTION imports annotations only of layers it
has):
- `webanno.custom.Span` (span layer): `label`, `actor`, `actor_type`, `issue`, `note`, `id`.
- `webanno.custom.Stance` (relation layer on Span): `Governor` and `Dependent` are evidence
  spans (the first one, and each other one; a stance with one evidence span points at it
  twice), features `polarity`, `actor`, `issue`, `confidence` (text), `note`, `stance_id`
  (one id for the relations of one stance). A stance without evidence has no span to attach
  to and is counted in the card, not written.
- `webanno.custom.DocumentLabel` (document metadata layer): `label`.
- DKPro's `DocumentMetaData` (title, id), `Sentence` and `Token` (the CoNLL tokenizer's, see
  `conll`), so INCEpTION shows the text as we cut it.
XMI counts offsets in UTF-16 units (Java); dkpro-cassis converts from and to the code points
we store, so every span's covered text is its text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.io.export.brat import layer_file_name
from annotator.io.export.conll import sentences, tokenize
from annotator.io.export.context import Counts, ExportContext, WriterReport
from annotator.io.export.options import WrittenFile
from annotator.io.export.records import LayerRecord

SPAN = "webanno.custom.Span"
STANCE = "webanno.custom.Stance"
DOCUMENT_LABEL = "webanno.custom.DocumentLabel"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
STRING = "uima.cas.String"
SPAN_FEATURES = ("label", "actor", "actor_type", "issue", "note", "id")
STANCE_FEATURES = ("polarity", "actor", "issue", "confidence", "note", "stance_id")
TYPE_SYSTEM = "TypeSystem.xml"


def type_system() -> Any:
    """The cassis TypeSystem of our export."""
    from cassis import TypeSystem

    system = TypeSystem()
    metadata = system.create_type(METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId"):
        system.create_feature(metadata, name, STRING)
    system.create_type(SENTENCE)
    system.create_type(TOKEN)
    span = system.create_type(SPAN)
    for name in SPAN_FEATURES:
        system.create_feature(span, name, STRING)
    stance = system.create_type(STANCE)
    system.create_feature(stance, "Governor", SPAN)
    system.create_feature(stance, "Dependent", SPAN)
    for name in STANCE_FEATURES:
        system.create_feature(stance, name, STRING)
    label = system.create_type(DOCUMENT_LABEL, supertypeName="uima.cas.AnnotationBase")
    system.create_feature(label, "label", STRING)
    return system


class XmiWriter:
    """Writes one .xmi per layer record into the temp folder, TypeSystem.xml last."""

    def __init__(self, folder: Path, target: Path, context: ExportContext) -> None:
        self.folder = folder
        self.target = target
        self.multi_layer = context.options.layers == "all"
        self.system = type_system()
        self.counts = Counts()
        self.unanchored = 0
        self.names: dict[str, None] = {}

    def write(self, record: LayerRecord) -> None:
        from cassis import Cas

        system = self.system
        document = record.document
        text = document.text
        cas = Cas(typesystem=system)
        cas.sofa_string = text
        cas.sofa_mime = "text"
        name = layer_file_name(record, multi_layer=self.multi_layer)
        cas.add(
            system.get_type(METADATA)(
                begin=0,
                end=len(text),
                documentTitle=document.title,
                documentId=document.name,
                documentUri=f"{name}.xmi",
                collectionId=record.annotator,
            )
        )
        cuts = frozenset(o for span in record.spans for o in (span.start, span.end))
        tokens = tokenize(text, cuts)
        token_type, sentence_type = system.get_type(TOKEN), system.get_type(SENTENCE)
        for sentence in sentences(text, tokens, ["O"] * len(tokens)):
            cas.add(sentence_type(begin=sentence[0][0], end=sentence[-1][1]))
            cas.add_all([token_type(begin=start, end=end) for start, end, _ in sentence])
        span_type = system.get_type(SPAN)
        made: dict[str, Any] = {}
        for span in record.spans:
            made[span.id] = annotation = span_type(
                begin=span.start,
                end=span.end,
                label=span.label,
                actor=span.actor.name if span.actor else None,
                actor_type=span.actor.type if span.actor else None,
                issue=span.issue.key if span.issue else None,
                note=span.note or None,
                id=span.id,
            )
            cas.add(annotation)
        stance_type = system.get_type(STANCE)
        for stance in record.stances:
            evidence = [made[span.id] for span in stance.evidence if span.id in made]
            if not evidence:
                self.unanchored += 1
                continue
            for dependent in evidence[1:] or evidence:
                cas.add(
                    stance_type(
                        begin=dependent.begin,
                        end=dependent.end,
                        Governor=evidence[0],
                        Dependent=dependent,
                        polarity=stance.polarity,
                        actor=stance.actor.name,
                        issue=stance.issue.key,
                        confidence=None if stance.confidence is None else str(stance.confidence),
                        note=stance.note or None,
                        stance_id=stance.id,
                    )
                )
        label_type = system.get_type(DOCUMENT_LABEL)
        for label in record.doc_labels:
            cas.add(label_type(label=label))
        cas.to_xmi(self.folder / f"{name}.xmi")
        self.counts.add(record)

    def finish(self) -> WriterReport:
        self.system.to_xml(self.folder / TYPE_SYSTEM)
        notes = []
        if self.unanchored:
            notes.append(
                f"xmi: {self.unanchored} stances without evidence spans have no span to "
                "attach a relation to and were not written"
            )
        return WriterReport(
            files=[
                WrittenFile(self.target, f"{self.counts.describe('.xmi files')}, {TYPE_SYSTEM}")
            ],
            notes=notes,
            card={
                "xmi_types": {
                    SPAN: list(SPAN_FEATURES),
                    STANCE: ["Governor", "Dependent", *STANCE_FEATURES],
                    DOCUMENT_LABEL: ["label"],
                },
                "xmi_inception": "create a span layer Span, a relation layer Stance on it and a "
                "document metadata layer DocumentLabel with these string features in the "
                "INCEpTION project (names exactly as here: INCEpTION imports leniently and "
                "drops annotations of types the project lacks), then upload the .xmi files "
                "alone as UIMA CAS XMI (TypeSystem.xml is for other UIMA tools and cassis; "
                "INCEpTION uses the project's layers)",
                "xmi_stances_not_written": self.unanchored,
            },
        )
