"""Importing articles: every format, metadata, dedupe, atomicity, bad files, offsets."""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from annotator.cli import main
from annotator.io.imports.importer import ImportFailed, import_paths
from annotator.io.imports.planning import ImportCancelled, ImportOptions, plan_import
from annotator.store.database import Database, open_database
from annotator.store.models import (
    Actor,
    Annotator,
    Document,
    DocumentLabel,
    Issue,
    Span,
    Stance,
)
from annotator.store.project import active_schema

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def database(tmp_path: Path) -> Database:
    opened = open_database(str(tmp_path / "project.sqlite"))
    yield opened  # type: ignore[misc]
    opened.close()


def count(database: Database, model: type) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def documents(database: Database) -> list[Document]:
    with database.sessions() as session:
        return list(session.scalars(select(Document).order_by(Document.title)))


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    return path


def test_scraped_text_is_cleaned_and_its_metadata_read(database: Database) -> None:
    summary = import_paths(
        database,
        paths=[FIXTURES / "harbour-2025-09-02-grain.txt"],
        options=ImportOptions(story="grain"),
    )
    assert summary.added == 1 and summary.dropped_lines >= 16
    [document] = documents(database)
    assert document.title == "Black Sea Grain Talks Stall Over Insurance Guarantees"
    assert document.published == "2025-09-02"
    assert document.source == "Harbour Post"
    assert document.story == "grain"
    assert "Left Menu" not in document.text and "TRENDING" not in document.text
    assert "What each side wants" in document.text
    assert document.raw.startswith(" date 2025-09-02 Left Menu")  # the input, for audit
    assert document.meta["cleaning"]["dropped_lines"] == summary.dropped_lines


def test_no_clean_keeps_the_text_as_it_is(database: Database) -> None:
    import_paths(
        database,
        paths=[FIXTURES / "harbour-2025-09-02-grain.txt"],
        options=ImportOptions(clean=False),
    )
    [document] = documents(database)
    assert document.text == document.raw and document.raw_text is None  # stored once


def test_txt_without_headline_or_date_uses_the_file_name(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "2025-08-30_kyiv_statement.txt"
    path.write_text(
        "The ministry said on Saturday that the proposal was still being studied "
        "by its lawyers and would be answered in writing.\n" * 1,
        encoding="utf-8",
    )
    by = tmp_path / "by.txt"
    by.write_text(
        "Parliament votes on the budget\nBy Jane Roe and Ali Khan\n\nDeputies "
        "approved the spending plan late on Thursday after a long debate.\n"
    )
    import_paths(database, paths=[path, by], options=ImportOptions())
    second, first = documents(database)  # by title
    assert (first.title, first.meta.get("author")) == (
        "Parliament votes on the budget",
        "Jane Roe and Ali Khan",
    )
    assert "By Jane Roe" in first.text  # a byline is metadata, but the text is not changed
    assert second.title == "2025 08 30 kyiv statement"
    assert second.published == "2025-08-30"


def test_markdown_front_matter_and_markup(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        '---\ntitle: "Ceasefire talks resume"\ndate: 2025-09-01\nsource: Meridian '
        "Wire\n---\n# Ceasefire talks resume\n\nNegotiators met **again** in "
        "[Geneva](https://example.org/geneva) on Monday, officials said.\n"
    )
    import_paths(database, paths=[path], options=ImportOptions())
    [document] = documents(database)
    assert (document.title, document.published, document.source) == (
        "Ceasefire talks resume",
        "2025-09-01",
        "Meridian Wire",
    )
    assert document.text == (
        "Ceasefire talks resume\n\nNegotiators met again in Geneva on Monday, officials said."
    )


HTML = """<!doctype html><html><head><title>Envoys trade proposals | Continental Daily</title>
<meta property="og:site_name" content="Continental Daily">
<meta name="author" content="Mara Lind">
<meta property="article:published_time" content="2025-08-29T08:00:00Z">
<link rel="canonical" href="https://example.org/continental/envoys">
<script>document.write("tracking")</script></head>
<body><nav><a href="/">Home</a> <a href="/europe">Europe</a></nav>
<article><h1>Envoys trade proposals</h1>
<p>BRUSSELS — European envoys exchanged written proposals on Friday on how a future
ceasefire line could be monitored, three officials said after the meeting.</p>
<p>The officials said the drafts differed mainly on who would patrol the line and for how
long, and that a second round was planned for the following week.</p>
<img src="https://tracker.example/pixel.gif"></article>
<aside><h3>Trending</h3><ul><li>Another story</li></ul></aside>
<footer>© 2025 Continental Daily</footer></body></html>"""


def test_html_main_text_and_metadata_without_scripts(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "envoys.html"
    path.write_text(HTML, encoding="utf-8")
    import_paths(database, paths=[path], options=ImportOptions())
    [document] = documents(database)
    assert document.title == "Envoys trade proposals"
    assert document.source == "Continental Daily"
    assert document.published == "2025-08-29"
    assert document.url == "https://example.org/continental/envoys"
    assert document.meta["author"] == "Mara Lind"
    assert "European envoys exchanged written proposals" in document.text
    assert "tracking" not in document.text and "Another story" not in document.text
    assert document.raw == HTML  # the page is kept as text for audit, never rendered


TEXT = "Peskov 🇷🇺 said Russia opposes troops.\r\nKyiv 👍🏽 disagreed."


def annotated_record(**extra: object) -> dict[str, object]:
    start_peskov = TEXT.index("Peskov")
    start_claim = TEXT.index("Russia opposes troops")
    return {
        "id": "ext-1",
        "text": TEXT,
        "title": "Emoji and CRLF",
        "source": "Test Wire",
        "story": "troops",
        "annotator": "ana",
        "meta": {"lang": "en"},
        "spans": [
            {
                "id": "s1",
                "start": start_peskov,
                "end": start_peskov + 6,
                "label": "ACTOR",
                "actor": "Dmitry Peskov",
                "text": "Peskov",
            },
            {
                "id": "s2",
                "start": start_claim,
                "end": start_claim + 21,
                "label": "CLAIM",
                "issue": "Foreign troop presence",
            },
            {
                "id": "s3",
                "start": TEXT.index("Kyiv"),
                "end": TEXT.index("Kyiv") + 4,
                "label": "PLACE",
            },
        ],
        "stances": [
            {
                "actor": "Dmitry Peskov",
                "issue": "foreign-troops",
                "polarity": "oppose",
                "evidence": ["s2"],
                "confidence": 0.9,
            }
        ],
        "doc_labels": ["news report"],
    }


def test_jsonl_with_annotations_lands_in_the_annotators_layer(
    database: Database, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "layer.jsonl", [annotated_record()])
    summary = import_paths(database, paths=[path], options=ImportOptions())
    assert (summary.added, summary.spans, summary.stances, summary.doc_labels) == (1, 3, 1, 1)
    assert summary.new_labels == ["PLACE"]  # not in the schema: added, reported, not dropped
    assert summary.new_actors == ["Dmitry Peskov"]
    assert summary.new_annotators == ["ana"]
    assert summary.new_issues == []  # "Foreign troop presence" is the schema's foreign-troops
    with database.sessions() as session:
        document = session.scalars(select(Document)).one()
        assert document.text == TEXT.replace("\r\n", "\n")
        assert document.external_id == "ext-1" and document.meta == {"lang": "en"}
        spans = {s.label: s for s in session.scalars(select(Span))}
        for label, expected in (
            ("ACTOR", "Peskov"),
            ("CLAIM", "Russia opposes troops"),
            ("PLACE", "Kyiv"),
        ):
            span = spans[label]
            assert document.text[span.start : span.end] == expected  # after the CRLF and emoji
        assert (
            spans["CLAIM"].issue_id
            == session.scalars(select(Issue.id).where(Issue.key == "foreign-troops")).one()
        )
        stance = session.scalars(select(Stance)).one()
        assert (stance.polarity, stance.confidence) == ("oppose", 0.9)
        assert [e.span_id for e in stance.evidence] == [spans["CLAIM"].id]
        assert session.scalars(select(Annotator.name)).all() == ["ana"]
        assert session.scalars(select(DocumentLabel.label)).all() == ["news report"]
        schema = active_schema(session)
        assert schema is not None and schema.label("PLACE") is not None


def test_reimporting_the_same_records_is_a_no_op(database: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "layer.jsonl", [annotated_record()])
    import_paths(database, paths=[path], options=ImportOptions())
    again = import_paths(database, paths=[path], options=ImportOptions())
    assert (again.added, again.spans, again.stances, again.doc_labels) == (0, 0, 0, 0)
    assert count(database, Span) == 3 and count(database, Stance) == 1
    assert count(database, Actor) == 1


def test_a_second_annotators_layer_joins_the_same_document(
    database: Database, tmp_path: Path
) -> None:
    second = annotated_record(annotator="bo")
    second["annotator"] = "bo"
    for span in second["spans"]:  # type: ignore[attr-defined]
        span.pop("id")
    second["stances"] = []
    path = write_jsonl(tmp_path / "two.jsonl", [annotated_record(), second])
    summary = import_paths(database, paths=[path], options=ImportOptions())
    assert summary.added == 1 and summary.spans == 6
    with database.sessions() as session:
        layers = session.execute(
            select(Annotator.name, func.count(Span.id))
            .join(Span, Span.annotator_id == Annotator.id)
            .group_by(Annotator.name)
        ).all()
    assert sorted(layers) == [("ana", 3), ("bo", 3)]


def test_spans_survive_crlf_and_cleaning(database: Database, tmp_path: Path) -> None:
    raw = (
        "Left Menu\r\nTRENDING NOW\r\n\r\nThe Kremlin 🇷🇺 said on Monday that it rejected the "
        "plan outright.\r\nAlso read\r\nKyiv welcomed the proposal and asked for more "
        "details from Paris.\r\n© 2025 Example"
    )
    kremlin = raw.index("Kremlin")
    kyiv = raw.index("Kyiv welcomed")
    record = {
        "text": raw,
        "spans": [
            {"start": kremlin, "end": kremlin + 7, "label": "ACTOR"},
            {"start": kyiv, "end": kyiv + 13, "label": "CLAIM"},
        ],
    }
    path = write_jsonl(tmp_path / "scraped.jsonl", [record])
    import_paths(database, paths=[path], options=ImportOptions(clean=True, annotator="ana"))
    with database.sessions() as session:
        document = session.scalars(select(Document)).one()
        assert "Left Menu" not in document.text and "Also read" not in document.text
        found = sorted(document.text[s.start : s.end] for s in session.scalars(select(Span)))
    assert found == ["Kremlin", "Kyiv welcomed"]


def test_csv_rows_with_json_columns(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    path.write_text(
        "id,title,source,text,spans,doc_labels,section\n"
        'a1,First,Wire,"Russia rejected the plan.",'
        '"[{""start"": 0, ""end"": 6, ""label"": ""ACTOR""}]",opinion;news report,World\n'
        'a2,Second,Wire,"A cell that spans\ntwo lines.",,,\n',
        encoding="utf-8",
    )
    summary = import_paths(database, paths=[path], options=ImportOptions(annotator="ana"))
    assert summary.added == 2 and summary.spans == 1 and summary.doc_labels == 2
    first, second = documents(database)
    assert first.meta == {"section": "World"}
    assert second.text == "A cell that spans\ntwo lines."


def test_a_broken_line_3_leaves_the_database_unchanged(database: Database, tmp_path: Path) -> None:
    import_paths(
        database, paths=[FIXTURES / "harbour-2025-09-02-grain.txt"], options=ImportOptions()
    )
    before = (count(database, Document), count(database, Span), count(database, Annotator))
    path = tmp_path / "broken.jsonl"
    path.write_text(
        json.dumps({"text": "One good article about the talks."})
        + "\n"
        + json.dumps(annotated_record())
        + "\n"
        + '{"text": "unterminated\n'
        + json.dumps({"text": "Another good one."})
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as caught:
        import_paths(database, paths=[path], options=ImportOptions())
    assert str(caught.value).startswith(f"{path}:3: not valid JSON")
    assert str(caught.value).endswith("nothing was imported")
    assert (count(database, Document), count(database, Span), count(database, Annotator)) == before

    summary = import_paths(database, paths=[path], options=ImportOptions(skip_bad=True))
    assert summary.added == 3
    assert summary.skipped == [str(caught.value).split("; nothing")[0]]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "no text"}, "'text' is missing or empty"),
        ({"text": "abc", "spans": [{"start": 2, "end": 9, "label": "X"}]}, "outside the text"),
        (
            {"text": "abc", "spans": [{"start": 0, "end": 2, "label": "X", "text": "bc"}]},
            "offsets must be code points",
        ),
        (
            {
                "text": "abc",
                "stances": [
                    {"actor": "A", "issue": "b", "polarity": "oppose", "evidence": ["nope"]}
                ],
            },
            "evidence 'nope'",
        ),
        ({"text": "abc", "title": 5}, "'title' must be a string"),
        ([1, 2], "expected an object"),
    ],
)
def test_invalid_records_are_named_by_line(
    database: Database, tmp_path: Path, record: object, reason: str
) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [{"text": "fine"}, record])
    with pytest.raises(ImportFailed, match=f"bad.jsonl:2: .*{reason[:20]}"):
        import_paths(database, paths=[path], options=ImportOptions())
    assert count(database, Document) == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes(range(1, 32)) * 40, "binary"),
    ],
    ids=["empty", "blank", "png", "control-bytes"],
)
def test_empty_and_binary_files_are_refused(
    database: Database, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=reason):
        import_paths(database, paths=[path], options=ImportOptions())
    assert count(database, Document) == 0


def test_encodings(database: Database, tmp_path: Path) -> None:
    text = "Zürich talks: “Café” diplomacy — 😀 held on Monday in the city hall."
    (tmp_path / "utf8bom.txt").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    (tmp_path / "utf16.txt").write_bytes(
        codecs.BOM_UTF16_LE + text.replace("😀", "and").encode("utf-16-le")
    )
    (tmp_path / "latin.txt").write_bytes(
        "Les négociateurs se sont réunis à Genève lundi, a indiqué le ministère des "
        "Affaires étrangères, et les discussions se poursuivront mardi.".encode("cp1252")
    )
    summary = import_paths(database, paths=[tmp_path], options=ImportOptions())
    assert summary.added == 3
    texts = {d.text for d in documents(database)}
    assert text in texts  # no BOM left, emoji intact
    assert text.replace("😀", "and") in texts
    assert any("négociateurs" in t and "Genève" in t for t in texts)


def test_folders_are_walked_and_odd_files_passed_over(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "harbour-2025-09-02-grain.txt", folder / "sub" / "a.txt")
    (folder / "b.md").write_text("# Title\n\nA short article body that says something.\n")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    (folder / ".hidden.txt").write_text("should not be read")
    summary = import_paths(database, paths=[folder], options=ImportOptions())
    assert summary.added == 2
    assert summary.passed_over == [folder / "photo.png"]


def test_duplicates_are_reported_not_stored_twice(database: Database, tmp_path: Path) -> None:
    first = tmp_path / "one.txt"
    first.write_text("The same article text, word for word, in two files.\n")
    second = tmp_path / "two.txt"
    second.write_text("The same article text, word for word, in two files.\r\n")
    summary = import_paths(database, paths=[first, second], options=ImportOptions())
    assert summary.added == 1
    assert summary.repeated_in_batch == [(str(second), str(first))]
    again = import_paths(database, paths=[second], options=ImportOptions())
    assert again.added == 0
    assert again.already_present == [(str(second), "one")]  # the stored title


def test_cancelling_stores_nothing(database: Database, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "many.jsonl", [{"text": f"Article number {n}."} for n in range(50)]
    )
    with pytest.raises(ImportCancelled):
        import_paths(database, paths=[path], options=ImportOptions(), cancelled=lambda: True)
    plan = plan_import([path], ImportOptions())
    assert len(plan.articles) == 50
    assert count(database, Document) == 0


def test_cli_import_summary_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "x.sqlite")
    assert main(["import", str(FIXTURES), "--db", db, "--story", "grain"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("imported 1 new document from 1 file (")
    assert main(["import", str(FIXTURES), "--db", db]) == 0
    assert "already in the project, not imported again" in capsys.readouterr().out
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": "ok"}, {"nope": 1}])
    assert main(["import", str(bad), "--db", db]) == 1
    err = capsys.readouterr().err
    assert err == f"annotator: {bad}:2: 'text' is missing or empty; nothing was imported\n"
    assert main(["import", str(tmp_path / "missing.txt"), "--db", db]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["import", str(bad), "--db", db, "--format", "xml"]) == 1
    assert "invalid choice: 'xml'" in capsys.readouterr().err
