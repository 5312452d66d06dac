"""Reading JSON from files people give us, and what of it the project can keep.

`strict_json` reads JSON as the standard says it (no NaN or Infinity, which Python's json
accepts but nothing else reads back) and turns every way a hostile file can break the parser
(nesting deep enough to overflow the stack, an integer of thousands of digits) into one
`JsonProblem` with a line and column. `unfit` finds what no export could carry: a lone UTF-16
surrogate (from an escape such as "\\ud800"), a NUL character, a number that is not finite.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import is_dataclass
from typing import Any


class JsonProblem(ValueError):
    def __init__(self, reason: str, line: int = 1, column: int = 0) -> None:
        """`column` 0: not known (the parser does not say where a NaN or a depth was)."""
        super().__init__(reason)
        self.reason, self.line, self.column = reason, line, column

    def where(self) -> str:
        """ " at column N" when the column is known, else nothing."""
        return f" at column {self.column}" if self.column else ""


def _reject_constant(name: str) -> Any:
    raise JsonProblem(f"{name} is not a JSON number")


def _finite_float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):  # 1e309: valid JSON that Python reads as infinity
        raise JsonProblem(f"{literal[:20]} is too large a number")
    return number


def strict_json(text: str) -> Any:
    """The JSON value of `text`; raises JsonProblem saying why it is not one."""
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise JsonProblem(error.msg, error.lineno, error.colno) from None
    except RecursionError:
        raise JsonProblem("nested too deeply") from None
    except JsonProblem:
        raise
    except ValueError:  # an integer longer than Python converts
        raise JsonProblem("an integer of more than 4,300 digits") from None


# The only ways strict_json's value can hold a NUL or a lone surrogate its text does not:
# an escape of one (a surrogate pair's escapes match too, and are then looked at closely).
_RISKY_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def unfit_json(value: object, text: str) -> str | None:
    """`unfit(value)` for the value `strict_json(text)` returned, answered from the text
    alone (at C speed) when it holds no escape that could make a value unfit."""
    if _unfit_text(text) is None and _RISKY_ESCAPE.search(text) is None:
        return None
    return unfit(value)


def unfit(value: object, where: str = "") -> str | None:
    """Why `value` (JSON data, text, or a dataclass of them) cannot be stored and exported,
    naming the field; None when it can. Walks lists, objects (their keys too) and dataclass
    fields without recursion and without copying."""
    if _all_fit(value):
        return None  # the common case, found without building a path for every value
    pending: list[tuple[object, str]] = [(value, where)]
    while pending:
        item, path = pending.pop()
        if isinstance(item, str):
            reason = _unfit_text(item)
            if reason:
                return f"{path}: {reason}" if path else reason
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{path}: {item} is not a number JSON can hold" if path else f"{item}"
        elif isinstance(item, dict):
            for key, child in item.items():
                pending.append((key, f"{path} (a key)" if path else "a key"))
                pending.append((child, f"{path}.{key}" if path else str(key)))
        elif isinstance(item, list | tuple):
            pending.extend((child, f"{path}[{n}]") for n, child in enumerate(item))
        elif is_dataclass(item) and not isinstance(item, type):  # a record read from a file
            pending.append((vars(item), path))
    return None


def _all_fit(value: object) -> bool:
    """Whether nothing in `value` is unfit: its texts checked together, at C speed."""
    texts: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if item is None or type(item) is int:  # most values: offsets (skipped first, fast)
            continue
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                return False
        elif isinstance(item, dict):
            texts.extend(key for key in item if isinstance(key, str))
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
        elif is_dataclass(item) and not isinstance(item, type):
            pending.extend(vars(item).values())
    return _unfit_text("\n".join(texts)) is None


def _unfit_text(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character (is this a binary file?)"
    try:
        text.encode("utf-8")  # at C speed: only a lone surrogate cannot be encoded
    except UnicodeEncodeError as error:
        return (
            f"contains a lone surrogate \\u{ord(text[error.start]):04x} at character "
            f"{error.start} (half of a UTF-16 pair: not text)"
        )
    return None


def finite(value: Any) -> Any:
    """`value` with every NaN or infinity replaced by null: what a project stored before the
    door refused them still exports as valid JSON (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(child) for key, child in value.items()}
    if isinstance(value, list | tuple):
        return [finite(child) for child in value]
    return value
