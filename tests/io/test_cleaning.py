"""Chrome removal on scraped text written for these tests (same kinds of chrome as real pages)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.cleaning import clean_article, template_lines
from annotator.core.text import normalise

FIXTURE = Path(__file__).parent / "fixtures" / "harbour-2025-09-02-grain.txt"
BODY = [
    "Black Sea Grain Talks Stall Over Insurance Guarantees",
    "ISTANBUL, Sept 2 — Negotiators from Turkey, Ukraine and Russia ended a second day of talks "
    "on Tuesday without agreeing who would insure ships carrying grain through the Black Sea.",
    "Turkish officials said they would keep hosting the talks as long as both delegations were "
    "willing to stay at the table.",
    "What each side wants",  # a heading inside the body stays
    "Kyiv wants a naval escort arrangement that would not depend on Moscow's consent, according "
    "to two diplomats briefed on the discussions.",
    "Moscow, for its part, insists that any corridor must include inspections of outbound ships "
    "by its own officials.",
    "(Reporting by the Harbour Post staff.)",
]
CHROME = {
    "date 2025-09-02 Left Menu": "navigation or insert",
    "Skip to content": "navigation or insert",
    "Harbour Post News Desk | Updated: 02-09-2025 09:40 IST | Created: 02-09-2025 09:40 IST": (
        "byline and date (kept as metadata)"
    ),
    "Image: Cargo ships wait outside the port of Odesa (file photo)": "image caption",
    "Others are reading now": "navigation or insert",
    "Also read": "navigation or insert",
    "TRENDING": "navigation or insert",
    "Heatwave Closes Schools Across Southern Spain": "trending or related list",
    "Chip Maker Opens Plant in Dresden": "trending or related list",
    "Share this article": "navigation or insert",
    "Facebook Twitter LinkedIn WhatsApp": "share bar",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.": (
        "cookie notice"
    ),
    "Subscribe to our newsletter for the morning briefing in your inbox.": "newsletter prompt",
    "Email: desk@harbourpost.example": "contact footer",
    "About | Careers | Privacy Policy | Terms of use": "footer links",
    "© 2025 Harbour Post. All rights reserved.": "copyright line",
}


def test_every_body_line_is_kept_and_the_chrome_is_dropped() -> None:
    text = normalise(FIXTURE.read_text("utf-8")).text
    cleaned = clean_article(text)
    kept = [line for line in cleaned.text.split("\n") if line]
    assert kept == BODY  # in order, verbatim, the title once
    reasons = {d.text.strip(): d.reason for d in cleaned.dropped}
    for line, reason in CHROME.items():
        assert reasons.get(line) == reason, line
    assert "\n\n\n" not in cleaned.text
    assert cleaned.text == cleaned.text.strip()


def test_the_offset_map_points_every_kept_character_home() -> None:
    text = normalise(FIXTURE.read_text("utf-8")).text
    cleaned = clean_article(text)
    for sentence in BODY:
        start = text.index(sentence, text.index("ISTANBUL") if sentence.startswith("Kyiv") else 0)
        mapped = cleaned.offsets.map_span(start, start + len(sentence))
        assert mapped is not None
        assert cleaned.text[mapped[0] : mapped[1]] == sentence


def test_protected_lines_are_kept_even_if_they_look_like_chrome() -> None:
    text = normalise(FIXTURE.read_text("utf-8")).text
    start = text.index("Also read")
    cleaned = clean_article(text, protected=[(start, start + 4)])
    assert "Also read" in cleaned.text.split("\n")
    assert "Others are reading now" not in cleaned.text


def test_lines_repeated_across_one_outlets_articles_are_template() -> None:
    articles = [
        "Harbour Post\nWORLD\nThe port reopened on Monday after a week of repairs to the quay.\n"
        "Analysis\nOfficials expect traffic to recover within a month, the agency said.\n"
        "Harbour Post apps",
        "Harbour Post\nWORLD\nFarmers protested in the capital against the new import rules.\n"
        "Analysis\nThe ministry said it would review the rules before the end of the year.\n"
        "Harbour Post apps",
        "Harbour Post\nBUSINESS\nA shipping firm reported record profits for the second quarter.",
    ]
    template = template_lines(articles)
    assert {"harbour post", "world", "harbour post apps", "analysis"} <= template
    assert not any("the port reopened" in key for key in template)
    cleaned = clean_article(articles[0], template=template)
    # Header and footer template lines go; "Analysis" sits inside the body and stays.
    assert cleaned.text.split("\n") == [
        "The port reopened on Monday after a week of repairs to the quay.",
        "Analysis",
        "Officials expect traffic to recover within a month, the agency said.",
    ]
