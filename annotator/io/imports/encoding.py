"""Turning a file's bytes into text: UTF-8 (BOM or not), UTF-16/32 with a BOM, other
encodings by detection; binary files and undecodable text are refused with a reason."""

from __future__ import annotations

import codecs
import re

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters (Unicode category Cc) other than tab, line feed, vertical tab, form
# feed and carriage return: text has almost none, binary files are full of them.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class NotText(ValueError):
    """The bytes are not text Annotator can read; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of `data`; raises NotText for binary, empty or undecodable input."""
    if not data.strip():
        raise NotText("is empty")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding)), encoding
            except UnicodeDecodeError as error:
                raise NotText(
                    f"starts with a {encoding} byte-order mark but is not "
                    f"{encoding} (byte {error.start})"
                ) from None
    if b"\x00" in data:
        raise NotText("looks like a binary file (it contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the rare non-UTF-8 file

    matches = sorted(from_bytes(data), key=lambda m: (m.chaos, -m.coherence))
    best = matches[0] if matches else None
    if best is not None:
        # Short texts often fit several code pages equally well; then Windows-1252, the
        # commonest legacy encoding of Western news sites, is the likeliest.
        tied = [
            m
            for m in matches
            if abs(m.chaos - best.chaos) < 0.01 and abs(m.coherence - best.coherence) < 0.01
        ]
        best = next((m for m in tied if m.encoding == "cp1252"), best)
    if best is None or best.chaos > 0.3:
        raise NotText(
            "is not UTF-8 and its encoding could not be recognised; "
            "save it as UTF-8 and import it again"
        )
    return _checked(str(best)), best.encoding


def _checked(text: str) -> str:
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 200):
        raise NotText("looks like a binary file (many control characters), not text")
    return text
