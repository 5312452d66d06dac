"""Reading typed fields out of a bundle's JSON, with messages that name member, line and field.

A wrong value raises `FieldsError` such as `layer.jsonl:3: spans[0].start: must be an
integer, not a string`; `bundles.parsing` puts the file name in front.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from annotator.core.json_input import JsonProblem, strict_json, unfit_json


class FieldsError(ValueError):
    """A member, line or field of a bundle is wrong; str() is `member[:line]: [field: ]why`."""


def parse_json(data: bytes | str, where: str) -> Any:
    """The JSON value in `data`; `where` ("layer.jsonl:3") names it in messages."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FieldsError(f"{where}: not UTF-8 text (byte {error.start})") from None
    try:
        value = strict_json(data)
    except JsonProblem as error:
        raise FieldsError(f"{where}: not valid JSON ({error.reason}{error.where()})") from None
    problem = unfit_json(value, data)  # what the project could store but never export again
    if problem is not None:
        raise FieldsError(f"{where}: {problem}")
    return value


def kind(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    names = {str: "a string", int: "an integer", float: "a number", list: "a list"}
    return names.get(type(value), "an object")


class Fields:
    """The fields of one JSON object; `prefix` is its path inside the line ("spans[2].")."""

    def __init__(self, data: dict[str, Any], where: str, prefix: str = "") -> None:
        self.data = data
        self.where = where
        self.prefix = prefix

    @classmethod
    def object(cls, value: object, where: str = "", prefix: str = "") -> Fields:
        """`value` as Fields; it must be a JSON object."""
        if not isinstance(value, dict):
            what = prefix.rstrip(".") or "the value"
            raise FieldsError(f"{where}: {what}: must be a JSON object, not {kind(value)}")
        return cls(value, where, prefix)

    def error(self, key: str, message: str) -> FieldsError:
        """An error about field `key` of this object."""
        return FieldsError(f"{self.where}: {self.prefix}{key}: {message}")

    def _get(self, key: str, *, required: bool = True) -> Any:
        if key not in self.data and required:
            raise self.error(key, "missing")
        return self.data.get(key)

    def text(self, key: str, *, max_length: int | None = None, empty_ok: bool = False) -> str:
        """A string field; not empty (unless `empty_ok`), at most `max_length` characters."""
        value = self._get(key)
        if not isinstance(value, str):
            raise self.error(key, f"must be a string, not {kind(value)}")
        if not empty_ok and not value.strip():
            raise self.error(key, "must not be empty")
        if "\x00" in value:  # PostgreSQL cannot store NUL in text
            raise self.error(key, "contains a NUL character")
        if max_length is not None and len(value) > max_length:
            raise self.error(key, f"is longer than {max_length} characters")
        return value

    def optional_text(self, key: str, *, max_length: int | None = None) -> str | None:
        """A string field that may be missing or null (an empty string counts as given)."""
        if self.data.get(key) is None:
            return None
        return self.text(key, max_length=max_length, empty_ok=True)

    def integer(self, key: str) -> int:
        """An integer field (true/false is not an integer here, whatever Python says)."""
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(key, f"must be an integer, not {kind(value)}")
        return value

    def optional_number(self, key: str) -> float | None:
        """A number field that may be missing or null."""
        value = self._get(key, required=False)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.error(key, f"must be a number or null, not {kind(value)}")
        return float(value)

    def identifier(self, key: str) -> uuid.UUID:
        """A UUID given as a string."""
        value = self._get(key)
        if not isinstance(value, str):
            raise self.error(key, f"must be a UUID string, not {kind(value)}")
        return self._uuid(key, value)

    def _uuid(self, key: str, value: str) -> uuid.UUID:
        try:
            return uuid.UUID(value)
        except ValueError:
            raise self.error(key, f"'{value[:40]}' is not a UUID") from None

    def identifiers(self, key: str) -> list[uuid.UUID]:
        """A list of UUID strings."""
        values = self._list(key)
        if not all(isinstance(v, str) for v in values):
            raise self.error(key, "must be a list of UUID strings")
        return [self._uuid(key, v) for v in values]

    def moment(self, key: str) -> datetime:
        """An ISO 8601 timestamp; one without a zone is taken as UTC."""
        value = self._get(key)
        if not isinstance(value, str):
            raise self.error(key, f"must be an ISO 8601 timestamp, not {kind(value)}")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise self.error(key, f"'{value[:40]}' is not an ISO 8601 timestamp") from None
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)

    def optional_moment(self, key: str) -> datetime | None:
        """A timestamp that may be missing or null (a tombstone's `deleted_at`)."""
        return None if self.data.get(key) is None else self.moment(key)

    def _list(self, key: str) -> list[Any]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(key, f"must be a list, not {kind(value)}")
        return value

    def texts(self, key: str, *, max_length: int | None = None) -> list[str]:
        """A list of non-empty strings."""
        values = self._list(key)
        for index, value in enumerate(values):
            Fields({"": value}, self.where, f"{self.prefix}{key}[{index}]").text(
                "", max_length=max_length
            )
        return values

    def record(self, key: str) -> Fields:
        """A nested object."""
        return Fields.object(self._get(key), self.where, f"{self.prefix}{key}.")

    def optional_record(self, key: str) -> Fields | None:
        """A nested object that may be missing or null."""
        return None if self.data.get(key) is None else self.record(key)

    def records(self, key: str) -> list[Fields]:
        """A list of objects."""
        return [
            Fields.object(item, self.where, f"{self.prefix}{key}[{index}].")
            for index, item in enumerate(self._list(key))
        ]

    def mapping(self, key: str) -> dict[str, Any]:
        """A free-form JSON object (document metadata); null counts as empty."""
        value = self._get(key, required=False)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(key, f"must be a JSON object, not {kind(value)}")
        return value
