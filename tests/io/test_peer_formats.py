"""Other tools' files in, our files checked by the other tools: spaCy's own converter and
DocBin, dkpro-cassis, and what the import does with files it must not take as articles."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from annotator.cli.imports import IMPORT_FORMATS
from annotator.io.export import ExportOptions, export
from annotator.io.imports.importer import ImportFailed, import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.io.imports.readers import FORMATS
from annotator.store.database import Database, open_database
from annotator.store.models import Annotator, Document, DocumentLabel, Span

TEXT = "Kyiv 🇺🇦 said the grain deal 👍🏽 must go on.\nMoscow disagreed."


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'target.sqlite'}")
    yield database
    database.close()


def spans_of(database: Database) -> dict[str, set[tuple[str, str, str]]]:
    """annotator -> (span text, label, note) of every span."""
    with database.sessions() as session:
        names = {a.id: a.name for a in session.scalars(select(Annotator))}
        texts = dict(session.execute(select(Document.id, Document.text)).all())
        found: dict[str, set[tuple[str, str, str]]] = {}
        for span in session.scalars(select(Span)):
            text = texts[span.document_id][span.start : span.end]
            found.setdefault(names[span.annotator_id], set()).add((text, span.label, span.note))
    return found


def test_the_command_line_offers_every_import_format() -> None:
    assert IMPORT_FORMATS == FORMATS


def test_spacy_convert_reads_one_doc_per_document_layer(source: Database, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    summary = export(source, options=ExportOptions(format="conll"), out=tmp_path / "data.conll")
    out = tmp_path / "converted"
    out.mkdir()
    subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(tmp_path / "data.conll"), str(out)],
        check=True,
        capture_output=True,
    )
    docs = list(DocBin().from_disk(out / "data.spacy").get_docs(spacy.blank("xx").vocab))
    assert len(docs) == summary.records  # one per -DOCSTART- block, none split or merged
    lines = (tmp_path / "data.conll").read_text(encoding="utf-8").split("\n")
    rows = [line.split("\t") for line in lines if "\t" in line]
    assert [token.text for doc in docs for token in doc] == [row[0] for row in rows]
    assert {token.tag_ for doc in docs for token in doc} == {"-"}  # no offsets read as POS
    tagged = [row[5] for row in rows]
    from_spacy = [
        (f"{'B' if t.ent_iob_ == 'B' else 'I'}-{t.ent_type_}" if t.ent_type_ else "O")
        for doc in docs
        for t in doc
    ]
    assert from_spacy == tagged


def test_cassis_loads_our_xmi_and_every_span_covers_its_text(
    source: Database, tmp_path: Path
) -> None:
    cassis = pytest.importorskip("cassis")
    export(source, options=ExportOptions(format="xmi"), out=tmp_path / "inception")
    folder = tmp_path / "inception"
    with (folder / "TypeSystem.xml").open("rb") as handle:
        system = cassis.load_typesystem(handle)
    jsonl = tmp_path / "all.jsonl"
    export(source, options=ExportOptions(format="jsonl"), out=jsonl)
    expected = {}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        expected[(record["text"], record["annotator"])] = {
            (s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]
        }
    seen = 0
    for path in sorted(folder.glob("*.xmi")):
        with path.open("rb") as handle:
            cas = cassis.load_cas_from_xmi(handle, typesystem=system)
        text = cas.sofa_string
        meta = next(
            iter(cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"))
        )
        spans = {
            (a.begin, a.end, a.label, a.get_covered_text())
            for a in cas.select("webanno.custom.Span")
        }
        assert all(covered == text[b:e] for b, e, _, covered in spans)
        assert spans == expected[(text, meta.collectionId)]
        for stance in cas.select("webanno.custom.Stance"):
            assert stance.Governor.type.name == "webanno.custom.Span" and stance.polarity
        # XMI itself counts UTF-16 units (Java's): an emoji before a span moves it by two.
        raw = path.read_text(encoding="utf-8")
        for begin, _, _, _covered in spans:
            units = len(text[:begin].encode("utf-16-le")) // 2
            assert f'begin="{units}"' in raw
        seen += 1
    assert seen == len(expected)


def test_a_spacy_docbin_imports_its_entities_groups_and_categories(
    target: Database, tmp_path: Path
) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin
    from spacy.tokens import Span as SpacySpan

    nlp = spacy.blank("xx")
    doc = nlp.make_doc(TEXT)
    kyiv = doc.char_span(0, 4, label="ACTOR")
    deal = doc.char_span(TEXT.index("grain"), TEXT.index("grain") + 10, label="ISSUE")
    moscow = doc.char_span(TEXT.index("Moscow"), TEXT.index("Moscow") + 6, label="ACTOR")
    doc.ents = [kyiv, deal, moscow]
    quote = SpacySpan(doc, deal.start, deal.end + 2, label="QUOTE")
    doc.spans["quotes"] = [quote, kyiv]
    doc.cats = {"news": 1.0, "opinion": 0.0}
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    bin_.to_disk(tmp_path / "train.spacy")
    summary = import_paths(
        target, paths=[tmp_path / "train.spacy"], options=ImportOptions(annotator="ann")
    )
    assert summary.spans == 4  # Kyiv in both the entities and the group: once
    found = spans_of(target)["ann"]
    assert {(text, label) for text, label, _ in found} == {
        ("Kyiv", "ACTOR"),
        ("grain deal", "ISSUE"),
        ("Moscow", "ACTOR"),
        (quote.text, "QUOTE"),
    }
    assert quote.text.startswith("grain deal 👍")
    with target.sessions() as session:
        assert session.scalars(select(DocumentLabel.label)).all() == ["news"]


def _prodigy(answer: str, annotator: str, **extra: Any) -> dict[str, Any]:
    start = TEXT.index("Moscow")
    return {
        "text": TEXT,
        "_input_hash": 11,
        "_task_hash": 22,
        "spans": [{"start": start, "end": start + 6, "label": "ACTOR", "token_start": 9}],
        "answer": answer,
        "_annotator_id": f"news-{annotator}",
        "_session_id": f"news-{annotator}",
        **extra,
    }


def test_prodigy_takes_accepted_answers_only_and_names_the_annotator(
    target: Database, tmp_path: Path
) -> None:
    lines = [
        _prodigy("accept", "alice"),
        _prodigy("reject", "bob"),
        _prodigy("ignore", "carol"),
        {
            "text": TEXT,
            "label": "NEWS",
            "answer": "accept",
            "_input_hash": 3,
            "_annotator_id": "cats-dan",
        },
        {
            "text": TEXT,
            "options": [{"id": "o1", "text": "opinion"}, {"id": "o2", "text": "news"}],
            "accept": ["o2"],
            "answer": "accept",
            "_input_hash": 4,
            "_session_id": "choice-erin",
        },
    ]
    path = tmp_path / "db-out.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    summary = import_paths(target, paths=[path], options=ImportOptions())
    assert spans_of(target) == {"news-alice": {("Moscow", "ACTOR", "")}}
    with target.sessions() as session:
        names = {a.id: a.name for a in session.scalars(select(Annotator))}
        labels = {(names[d.annotator_id], d.label) for d in session.scalars(select(DocumentLabel))}
    assert labels == {("cats-dan", "NEWS"), ("choice-erin", "news")}
    assert any("1 task answered ignore, 1 task answered reject" in line for line in summary.lines())


def test_doccano_spans_made_in_its_ui_come_back_with_offsets_utf16(
    target: Database, tmp_path: Path
) -> None:
    units = lambda s: len(s.encode("utf-16-le")) // 2  # noqa: E731  (JavaScript's count)
    start = TEXT.index("Moscow")
    line = {"text": TEXT, "label": [[units(TEXT[:start]), units(TEXT[:start]) + 6, "ACTOR"]]}
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    import_paths(target, paths=[path], options=ImportOptions(annotator="a", offsets="utf16"))
    assert spans_of(target) == {"a": {("Moscow", "ACTOR", "")}}


def test_doccano_relation_format_gives_spans_and_keeps_relations(
    target: Database, tmp_path: Path
) -> None:
    line = {
        "id": 7,
        "text": TEXT,
        "entities": [
            {"id": 1, "label": "ACTOR", "start_offset": 0, "end_offset": 4},
            {
                "id": 2,
                "label": "ISSUE",
                "start_offset": TEXT.index("grain"),
                "end_offset": TEXT.index("grain") + 10,
            },
        ],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "supports"}],
    }
    path = tmp_path / "relations.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = import_paths(target, paths=[path], options=ImportOptions(annotator="a"))
    assert spans_of(target) == {"a": {("Kyiv", "ACTOR", ""), ("grain deal", "ISSUE", "")}}
    assert any("1 relation kept in the documents' meta" in line for line in summary.lines())
    with target.sessions() as session:
        (meta,) = session.scalars(select(Document.meta)).all()
    assert meta["doccano_relations"][0]["type"] == "supports"


def test_brat_labels_brat_cannot_spell_come_back_by_name(target: Database, tmp_path: Path) -> None:
    records = {
        "text": "東京の外務省は合意を支持した。",
        "annotator": "ann",
        "spans": [
            {"start": 3, "end": 6, "label": "人物"},
            {"start": 7, "end": 9, "label": "組織"},
            {"start": 0, "end": 2, "label": "news report"},
        ],
    }
    source = open_database(f"sqlite:///{tmp_path / 'cjk.sqlite'}")
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(records, ensure_ascii=False) + "\n", encoding="utf-8")
    import_paths(source, paths=[path], options=ImportOptions())
    export(source, options=ExportOptions(format="brat"), out=tmp_path / "corpus")
    source.close()
    conf = (tmp_path / "corpus" / "annotation.conf").read_text(encoding="utf-8")
    ann = next((tmp_path / "corpus").glob("*.ann")).read_text(encoding="utf-8")
    types = {line.split("\t")[1].split(" ")[0] for line in ann.splitlines()}
    assert len(types) == 3 and all(t.isascii() and t[0].isalpha() for t in types)
    for label in ("人物", "組織", "news report"):
        assert f"= {label}" in conf
    visual = (tmp_path / "corpus" / "visual.conf").read_text(encoding="utf-8")
    assert "| 人物" in visual
    import_paths(target, paths=[tmp_path / "corpus"], options=ImportOptions())
    assert spans_of(target) == {
        "ann": {("外務省", "人物", ""), ("合意", "組織", ""), ("東京", "news report", "")}
    }


@pytest.mark.parametrize(
    ("name", "body", "reason"),
    [
        ("x.ann", "T1\tACTOR 0 4\tKyiv\n", "its text (x.txt is missing)"),
        ("notes.txt", "T1\tACTOR 0 4\tKyiv\nT2\tISSUE 5 9\tdeal\n", "brat annotation file"),
        ("annotation.conf", "[entities]\nACTOR\n[relations]\n", "brat configuration file"),
        ("doc.xmi", '<?xml version="1.0"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI"', "XMI"),
        ("doc.tsv", "#FORMAT=WebAnno TSV 2\n", "other than 3.x"),
        ("bad.spacy", "not a docbin", "spaCy DocBin"),
        ("x.conll", "-DOCSTART- -X- O O\n\nKyiv\n", "needs a token and a tag"),
        ("tasks.json", '[{"data": {"text": "x"}, "annotations": [{"result": 3}]}]', "'result'"),
    ],
)
def test_an_annotation_file_we_cannot_read_is_refused_never_an_article(
    target: Database, tmp_path: Path, name: str, body: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ImportFailed, match=f"{re.escape(name)}.*{re.escape(reason)}"):
        import_paths(target, paths=[path], options=ImportOptions())
    with target.sessions() as session:
        assert session.scalars(select(Document)).all() == []


def test_a_conll_file_is_read_as_tokens_not_as_an_article(target: Database, tmp_path: Path) -> None:
    """CoNLL-2003 as other tools write it (POS and chunk columns, IOB1 and BIOES tags)."""
    path = tmp_path / "eng.txt"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP "
        "I-MISC\ncall NN I-NP O\n. . O O\n\n-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\n"
        "Blackburn NNP I-NP E-PER\nsaid VBD B-VP O\nBrussels NNP B-NP S-LOC\n",
        encoding="utf-8",
    )
    summary = import_paths(target, paths=[path], options=ImportOptions(annotator="a"))
    assert summary.added == 2 and summary.dropped_lines == 0
    with target.sessions() as session:
        texts = sorted(session.scalars(select(Document.text)).all())
    assert texts == ["EU rejects German call .", "Peter Blackburn said Brussels"]
    assert spans_of(target) == {
        "a": {
            ("EU", "ORG", ""),
            ("German", "MISC", ""),
            ("Peter Blackburn", "PER", ""),
            ("Brussels", "LOC", ""),
        }
    }


def test_two_exports_into_one_folder_keep_their_cards_and_name_no_path(
    source: Database, tmp_path: Path
) -> None:
    export(source, options=ExportOptions(format="jsonl"), out=tmp_path / "data.jsonl")
    export(source, options=ExportOptions(format="conll"), out=tmp_path / "data.conll")
    cards = sorted(p.name for p in tmp_path.glob("data.*.card.*"))
    assert cards == [
        "data.conll.card.json",
        "data.conll.card.md",
        "data.jsonl.card.json",
        "data.jsonl.card.md",
    ]
    for name in cards:
        body = (tmp_path / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in body and str(Path.home()) + "/" not in body
    card = json.loads((tmp_path / "data.jsonl.card.json").read_text(encoding="utf-8"))
    assert card["database"] == "source.sqlite" and card["options"]["format"] == "jsonl"


def test_an_xmi_written_by_cassis_with_dkpro_types_imports(
    target: Database, tmp_path: Path
) -> None:
    """What INCEpTION's NER layer and a custom relation layer look like in a CAS."""
    cassis = pytest.importorskip("cassis")
    system = cassis.TypeSystem()
    entity = system.create_type("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")
    system.create_feature(entity, "value", "uima.cas.String")
    token = system.create_type("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token")
    relation = system.create_type("webanno.custom.Relation")
    system.create_feature(relation, "Governor", entity.name)
    system.create_feature(relation, "Dependent", entity.name)
    system.create_feature(relation, "value", "uima.cas.String")
    cas = cassis.Cas(typesystem=system)
    cas.sofa_string = TEXT
    kyiv = entity(begin=0, end=4, value="LOC")
    start = TEXT.index("Moscow")
    moscow = entity(begin=start, end=start + 6, value="LOC")
    cas.add_all([kyiv, moscow, token(begin=0, end=4)])
    cas.add(
        relation(begin=moscow.begin, end=moscow.end, Governor=kyiv, Dependent=moscow, value="x")
    )
    folder = tmp_path / "inception"
    folder.mkdir()
    cas.to_xmi(folder / "doc.xmi")
    system.to_xml(folder / "TypeSystem.xml")
    summary = import_paths(target, paths=[folder], options=ImportOptions(annotator="a"))
    assert spans_of(target) == {"a": {("Kyiv", "LOC", ""), ("Moscow", "LOC", "")}}
    assert any("1 relation kept" in line for line in summary.lines())
    assert summary.passed_over == []  # TypeSystem.xml is read with the .xmi, not listed


def test_a_folder_of_our_exports_imports_without_their_cards(
    source: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    export(source, options=ExportOptions(format="labelstudio"), out=folder / "tasks.json")
    export(source, options=ExportOptions(format="conll"), out=folder / "data.conll")
    target = open_database(f"sqlite:///{tmp_path / 'target.sqlite'}")
    try:
        summary = import_paths(target, paths=[folder], options=ImportOptions())
    finally:
        target.close()
    assert summary.files == 2 and summary.passed_over == []


def _min_row(annotator: int) -> dict[str, Any]:
    """A row of Label Studio's JSON_MIN export (its converter's shape)."""
    start = TEXT.index("grain")
    return {
        "text": TEXT,
        "id": 3,
        "label": [
            {"start": 0, "end": 4, "text": "Kyiv", "labels": ["ACTOR"]},
            {"start": start, "end": start + 10, "text": "grain deal", "labels": ["ISSUE"]},
        ],
        "doc_labels": "news",
        "annotator": annotator,
        "annotation_id": 10 + annotator,
        "created_at": "2026-11-30T10:00:00.000000Z",
        "updated_at": "2026-11-30T10:00:00.000000Z",
        "lead_time": 12.5,
    }


def test_label_studio_json_min_and_csv_give_each_annotator_a_layer(
    target: Database, tmp_path: Path
) -> None:
    import csv

    (tmp_path / "min.json").write_text(
        json.dumps([_min_row(1), _min_row(2)], ensure_ascii=False), encoding="utf-8"
    )
    rows = [_min_row(3)]
    with (tmp_path / "export.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()}
            )
    summary = import_paths(
        target, paths=[tmp_path / "min.json", tmp_path / "export.csv"], options=ImportOptions()
    )
    expected = {("Kyiv", "ACTOR", ""), ("grain deal", "ISSUE", "")}
    assert spans_of(target) == {f"labelstudio-{n}": expected for n in (1, 2, 3)}
    assert summary.added == 1 and summary.spans == 6
    with target.sessions() as session:
        assert set(session.scalars(select(DocumentLabel.label))) == {"news"}


def test_label_studio_tasks_skip_cancelled_annotations_and_predictions(
    target: Database, tmp_path: Path
) -> None:
    region = {
        "id": "r1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 0, "end": 4, "text": "Kyiv", "labels": ["ACTOR"]},
    }
    note = {
        "id": "r1",
        "from_name": "note",
        "to_name": "text",
        "type": "textarea",
        "value": {"text": ["the city"]},
    }
    tasks = [
        {
            "id": 1,
            "data": {"text": TEXT},
            "annotations": [
                {
                    "id": 5,
                    "completed_by": {"id": 1, "email": "ann@example.org"},
                    "result": [region, note],
                    "was_cancelled": False,
                },
                {"id": 6, "completed_by": 2, "result": [region], "was_cancelled": True},
            ],
            "predictions": [{"result": [region]}],
        }
    ]
    (tmp_path / "project-1.json").write_text(json.dumps(tasks, ensure_ascii=False), "utf-8")
    summary = import_paths(target, paths=[tmp_path / "project-1.json"], options=ImportOptions())
    assert spans_of(target) == {"ann@example.org": {("Kyiv", "ACTOR", "the city")}}
    lines = summary.lines()
    assert any("1 prediction not imported" in line for line in lines)
    assert any("1 cancelled annotation skipped" in line for line in lines)


def test_label_studio_utf16_offsets_are_recognised_by_their_quoted_text(
    target: Database, tmp_path: Path
) -> None:
    start = TEXT.index("Moscow")
    units = len(TEXT[:start].encode("utf-16-le")) // 2  # an older Label Studio's count
    region = {
        "id": "r",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": units, "end": units + 6, "text": "Moscow", "labels": ["ACTOR"]},
    }
    tasks = [{"data": {"text": TEXT}, "annotations": [{"completed_by": 4, "result": [region]}]}]
    (tmp_path / "old.json").write_text(json.dumps(tasks, ensure_ascii=False), "utf-8")
    import_paths(target, paths=[tmp_path / "old.json"], options=ImportOptions())
    assert spans_of(target) == {"labelstudio-4": {("Moscow", "ACTOR", "")}}


def test_a_brat_document_with_every_kind_of_line(target: Database, tmp_path: Path) -> None:
    """brat's standoff as its docs describe it: T (one discontinuous), N, A, E, R, #, *."""
    text = "Moscow rejected\r\nthe plan; Kyiv backed it."
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc.txt").write_bytes(text.encode("utf-8"))  # CRLF: brat counts both
    plan = text.index("the plan")
    kyiv = text.index("Kyiv")
    ann = "\n".join(
        [
            "T1\tGPE 0 6\tMoscow",
            f"T2\tIssue {plan} {plan + 8}\tthe plan",
            f"T3\tGPE {kyiv} {kyiv + 4}\tKyiv",
            f"T4\tClaim 7 15;{plan} {plan + 8}\trejected the plan",
            f"T5\tSupport {kyiv + 5} {kyiv + 11}\tbacked",
            "N1\tReference T1 Wikipedia:Moscow\tMoscow",
            "A1\tNegated T4",
            "A2\tConfidence T3 High",
            "#1\tAnnotatorNotes T2\tthe peace plan",
            "E1\tSupport:T5 Agent:T3 Theme:T2",
            "R1\tOpposes Arg1:T1 Arg2:T2",
            "*\tEquiv T1 T3",
            "",
        ]
    )
    (folder / "doc.ann").write_text(ann, encoding="utf-8")
    summary = import_paths(target, paths=[folder], options=ImportOptions(annotator="a"))
    assert spans_of(target) == {
        "a": {
            ("Moscow", "GPE", "Wikipedia:Moscow Moscow"),
            ("the plan", "Issue", "the peace plan"),
            ("Kyiv", "GPE", "Confidence=High"),
            ("rejected\nthe plan", "Claim", "Negated"),
            ("backed", "Support", ""),
        }
    }
    assert any("3 relation, event or equivalence lines kept" in line for line in summary.lines())
    # Its fragments were cut only at a line break: one span again, nothing to say.
    assert not any("discontinuous" in line for line in summary.lines())


def _inception_text(tsv: str) -> tuple[str, list[tuple[int, str]]]:
    """The text INCEpTION's TSV reader builds (Tsv3XDeserializer: each sentence's `#Text=`
    lines plus a line break, placed at its first token; a break the next sentence starts
    on is dropped, a gap is padded with spaces), in UTF-16 units, and (begin, token) rows."""
    text, sentence = "", ""
    rows: list[tuple[int, str]] = []
    for line in tsv.split("\n"):
        if line.startswith("#Text="):
            sentence += line[6:].replace("\\t", "\t").replace("\\r", "\r") + "\n"
        elif "\t" in line and not line.startswith("#"):
            cells = line.split("\t")
            begin = int(cells[1].split("-")[0])
            if sentence:
                units = text.encode("utf-16-le")
                if len(units) // 2 > begin:
                    assert len(units) // 2 == begin + 1 and text.endswith("\n")
                    text = text[:-1]
                text += " " * (begin - len(text.encode("utf-16-le")) // 2) + sentence
                sentence = ""
            rows.append((begin, cells[2]))
    return text, rows


def test_webanno_tsv_places_each_sentence_where_inception_reads_it(
    target: Database, tmp_path: Path
) -> None:
    """INCEpTION puts a sentence at its first token: a text that starts with blanks, or a
    sentence after a blank line, keeps every token at its offset in INCEpTION too, and
    comes back exactly here."""
    text = " \n  Kyiv 🇺🇦 said yes.\n\n   Moscow said no. "
    line = {"text": text, "label": [[text.index("Moscow"), text.index("Moscow") + 6, "ACTOR"]]}
    path = tmp_path / "doc.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    import_paths(target, paths=[path], options=ImportOptions(annotator="a"))
    out = tmp_path / "tsv"
    export(target, options=ExportOptions(format="webanno-tsv"), out=out)
    (tsv_file,) = out.glob("*.tsv")
    tsv = tsv_file.read_text(encoding="utf-8")
    rebuilt, rows = _inception_text(tsv)
    units = rebuilt.encode("utf-16-le")
    for begin, token in rows:
        assert (
            units[2 * begin : 2 * begin + len(token.encode("utf-16-le"))].decode("utf-16-le")
            == token
        )
    assert rebuilt.rstrip("\n") == "    " + text[4:]  # the leading " \n  " as spaces
    again = tmp_path / "again.sqlite"
    database = open_database(f"sqlite:///{again}")
    try:
        import_paths(database, paths=[tsv_file], options=ImportOptions())
        with database.sessions() as session:
            assert session.scalars(select(Document.text)).all() == [text]
    finally:
        database.close()


def test_a_zip_is_unpacked_safely_and_named_in_messages(target: Database, tmp_path: Path) -> None:
    """Members outside the folder or hidden are never written; what is read is named
    `archive.zip:member`; an archive bigger unpacked than allowed is refused whole."""
    import zipfile

    from annotator.io.imports.archives import read_zip

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("../escaped.txt", "Outside the folder.")
        handle.writestr(".hidden.txt", "Hidden.")
        handle.writestr("__MACOSX/._news.txt", "fork")
        handle.writestr("inner/news.txt", "Kyiv said yes.")
        handle.writestr("broken.jsonl", '{"text": "half')
    with pytest.raises(ImportFailed) as failure:
        import_paths(target, paths=[archive], options=ImportOptions())
    assert str(failure.value).startswith(f"{archive}:broken.jsonl:1: ")
    assert not (tmp_path / "escaped.txt").exists()
    summary = import_paths(target, paths=[archive], options=ImportOptions(skip_bad=True))
    assert summary.added == 1
    with target.sessions() as session:
        assert session.scalars(select(Document.text)).all() == ["Kyiv said yes."]
    data = archive.read_bytes()
    items = list(read_zip(archive, data, 10, find=lambda root: [], read=lambda path: iter(())))
    assert [str(item) for item in items] == [f"{archive}: unpacks to more than 0 MB"]
