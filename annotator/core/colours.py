"""Colour arithmetic for highlights that keep text readable on light and dark palettes.

Contrast is WCAG 2's: the ratio of relative luminances, from 1 (none) to 21 (black on
white); 4.5 is the least it asks of body text. A highlight is the label colour laid over
the page's background as strongly as the text colour still allows.
"""

from __future__ import annotations

from collections.abc import Sequence

RGB = tuple[int, int, int]
READABLE = 4.5  # WCAG 2 AA for normal text
STRENGTHS = (0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1)


def parse_hex(colour: str) -> RGB:
    """'#4e79a7' (or '4e79a7') as (78, 121, 167)."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour {colour!r}: expected #rrggbb")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance, 0 (black) to 1 (white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two colours (order does not matter), 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(top: RGB, bottom: RGB, strength: float) -> RGB:
    """`top` laid over `bottom` with opacity `strength` (0 to 1)."""
    return (
        round(top[0] * strength + bottom[0] * (1 - strength)),
        round(top[1] * strength + bottom[1] * (1 - strength)),
        round(top[2] * strength + bottom[2] * (1 - strength)),
    )


def mean(colours: Sequence[RGB]) -> RGB:
    """The average of several label colours (overlapping spans)."""
    count = len(colours)
    return (
        sum(c[0] for c in colours) // count,
        sum(c[1] for c in colours) // count,
        sum(c[2] for c in colours) // count,
    )


def highlight(label: RGB, background: RGB, text: RGB, minimum: float = READABLE) -> RGB:
    """The strongest tint of `label` over `background` on which `text` keeps `minimum`
    contrast (the faintest tint, if even that falls short: the text is never drowned)."""
    for strength in STRENGTHS:
        tint = mix(label, background, strength)
        if contrast(text, tint) >= minimum:
            return tint
    return mix(label, background, STRENGTHS[-1])


def readable_text(background: RGB) -> RGB:
    """Black or white, whichever reads better on `background` (for a label tag)."""
    black, white = (0, 0, 0), (255, 255, 255)
    return black if contrast(black, background) >= contrast(white, background) else white
