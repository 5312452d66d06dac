"""Reading TOML files with errors that name the file, the line and the key."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

from annotator.core.errors import SchemaError
from annotator.core.json_input import unfit

_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_ARRAY_ITEM = re.compile(r"(\w+)\[(\d+)\]$")


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes a SchemaError naming `path` and the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_LINE.search(message)
        line = int(found.group(1)) if found else None
        reason = _TOML_LINE.sub("", message).strip().rstrip(".")
        raise SchemaError(path, None, f"not valid TOML: {reason}", line=line) from None
    except RecursionError:
        raise SchemaError(path, None, "not valid TOML: nested too deeply") from None
    except ValueError:  # an integer longer than Python converts
        raise SchemaError(
            path, None, "not valid TOML: an integer of more than 4,300 digits"
        ) from None
    problem = unfit(data)
    if problem is not None:  # a lone surrogate or NUL from an escape such as "\ud800"
        raise SchemaError(path, None, f"not valid TOML: {problem}")
    return data


class TableReader:
    """Typed access to one TOML table, reporting problems by file, line and dotted key."""

    def __init__(self, table: Mapping[str, Any], path: str, key: str, source: str) -> None:
        self.table = table
        self.path = path
        self.key = key
        self.source = source

    def error(self, message: str, field: str | None = None) -> SchemaError:
        key = f"{self.key}.{field}" if field and self.key else (field or self.key or None)
        return SchemaError(self.path, key, message, line=self.line_of(field))

    def line_of(self, field: str | None) -> int | None:
        """Best-effort line of `field` (or of the table) in the source, for messages."""
        begin, end = 0, len(self.source)
        item = _ARRAY_ITEM.search(self.key)
        if item:  # the index-th [[name]] header starts this table; the next header ends it
            headers = list(
                re.finditer(
                    rf"^\s*\[\[\s*{re.escape(item.group(1))}\s*\]\]", self.source, re.MULTILINE
                )
            )
            index = int(item.group(2))
            if index < len(headers):
                begin = headers[index].start()
                following = re.compile(r"^\s*\[", re.MULTILINE).search(
                    self.source, headers[index].end()
                )
                end = following.start() if following else len(self.source)
                if field is None:
                    return self.source.count("\n", 0, begin) + 1
        if field is None:
            return None
        pattern = re.compile(rf"^\s*{re.escape(field)}\s*=", re.MULTILINE)
        found = pattern.search(self.source, begin, end)
        return self.source.count("\n", 0, found.start()) + 1 if found else None

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for name in self.table:
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                known = ", ".join(allowed)
                raise self.error(f"unknown key '{name}'{hint}; known keys: {known}", name)

    def string(self, name: str, *, default: str | None = None) -> str:
        value = self.table.get(name, default)
        if value is None:
            raise self.error("is required", name)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"must be a non-empty string, not {value!r}", name)
        return value.strip()

    def optional_string(self, name: str) -> str | None:
        if name not in self.table:
            return None
        return self.string(name)

    def string_list(self, name: str, *, required: bool = True) -> list[str]:
        value = self.table.get(name)
        if value is None:
            if required:
                raise self.error("is required", name)
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error("must be a list of non-empty strings", name)
        if len(set(value)) != len(value):
            duplicate = next(v for v in value if value.count(v) > 1)
            raise self.error(f"lists '{duplicate}' twice", name)
        return [v.strip() for v in value]

    def tables(self, name: str, *, required: bool = True) -> list[TableReader]:
        value = self.table.get(name)
        if value is None:
            if required:
                raise self.error(f"is required: add at least one [[{name}]] table", name)
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(f"must be an array of tables ([[{name}]])", name)
        prefix = f"{self.key}." if self.key else ""
        return [
            TableReader(item, self.path, f"{prefix}{name}[{index}]", self.source)
            for index, item in enumerate(value)
        ]
