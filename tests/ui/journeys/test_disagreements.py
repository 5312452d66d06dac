"""Journey 8: from a figure of the agreement report to the disagreement behind it, into the
review window at that span, and a decision stored as gold."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.store.database import open_database
from annotator.store.models import GoldSpan
from annotator.ui.agreement.disagreements import DisagreementsDialog
from annotator.ui.agreement.view import AgreementDialog
from annotator.ui.review.window import ReviewWindow
from tests.review.test_comparison import build_review_data
from tests.ui.journeys.person import click, keys
from tests.ui.journeys.window import start


def visible(kind: type) -> list:  # type: ignore[type-arg]
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_a_figure_opens_its_disagreements_and_one_opens_the_review_at_its_span(
    qtbot: QtBot, tmp_path: Path
) -> None:
    database = open_database(str(tmp_path / "review.sqlite"))
    data = build_review_data(database)  # ana, ben, cleo on troops-meridian; rita reviews
    try:
        window = start(qtbot, database, "rita")
        keys(qtbot, window, Qt.Key.Key_F8)  # Review › Agreement report…
        qtbot.waitUntil(lambda: bool(visible(AgreementDialog)))
        report = visible(AgreementDialog)[0]
        # The αU number is a button: a click lists what lies behind it.
        click(qtbot, report.view.values["unitized_alpha"])
        qtbot.waitUntil(lambda: bool(visible(DisagreementsDialog)))
        listed = visible(DisagreementsDialog)[0]
        assert listed.table.rowCount() > 0 and "disagreements behind αU pooled" in (
            listed.summary.text()
        )
        first = listed.rows[0]
        # ana's CLAIM holds the ISSUE ben marked inside it: matched by overlap, two labels.
        assert first.kind == "CLAIM / ISSUE" and first.start is not None
        assert data.text[first.start : first.end].startswith("opposition to any arrangement")
        # Enter on the first row: the review window, on that document, at that span.
        keys(qtbot, listed.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(visible(ReviewWindow)))
        review = visible(ReviewWindow)[0]
        assert review.document_id() == first.document_id
        unit = review.current_unit()
        assert unit is not None and unit.start < first.end and first.start < unit.end  # type: ignore[operator]
        # The reviewer decides there: A accepts it into gold.
        qtbot.waitUntil(review.isActiveWindow)
        keys(qtbot, review.units, Qt.Key.Key_A)
        with database.sessions() as session:
            gold = session.scalars(select(GoldSpan)).all()
        assert [(g.start, g.end, g.label) for g in gold] == [(first.start, first.end, "CLAIM")]
    finally:
        database.close()
