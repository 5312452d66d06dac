"""Highlights keep the text readable: WCAG contrast of at least 4.5 on light and dark pages."""

from __future__ import annotations

import pytest

from annotator.core.colours import contrast, highlight, parse_hex, readable_text
from annotator.core.schema import default_schema

PAGES = {  # background, text: a light desktop, the app's dark theme, a black terminal look
    "light": ((255, 255, 255), (0, 0, 0)),
    "dark": ((31, 31, 31), (230, 230, 230)),
    "black": ((0, 0, 0), (255, 255, 255)),
    "sepia": ((244, 236, 216), (60, 48, 36)),
}


def test_contrast_matches_wcag_reference_values() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("label", [label.color for label in default_schema().labels])
def test_every_label_highlight_keeps_text_readable(page: str, label: str) -> None:
    background, text = PAGES[page]
    tint = highlight(parse_hex(label), background, text)
    assert contrast(text, tint) >= 4.5
    # ... and is visibly a highlight, not the page itself.
    assert contrast(tint, background) > 1.25


def test_the_strongest_readable_tint_is_chosen_and_a_hopeless_one_is_faint() -> None:
    light, text = PAGES["light"]
    blue = parse_hex("#4e79a7")
    assert highlight(blue, light, text) == (149, 175, 202)  # 60 %: still 9:1 with black
    # Mid-grey text on mid-grey: no tint reads at 4.5, so the faintest is used.
    grey = (128, 128, 128)
    assert highlight(blue, grey, grey) == highlight(blue, grey, grey, minimum=99)


def test_tag_text_is_black_or_white_whichever_reads_better() -> None:
    assert readable_text((255, 255, 0)) == (0, 0, 0)
    assert readable_text((20, 20, 90)) == (255, 255, 255)


def test_a_colour_that_is_not_rrggbb_is_refused() -> None:
    with pytest.raises(ValueError, match="expected #rrggbb"):
        parse_hex("#abc")
