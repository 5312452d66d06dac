"""User settings (TOML in the user config dir): who is annotating on this laptop, the theme,
and where they were in each project (the document and the place in its text).

The file carries a format number so later versions can read older files. A broken settings
file never stops the app: it is reported in the log and the defaults are used.
"""

from __future__ import annotations

import json
import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from annotator.paths import config_dir

log = logging.getLogger(__name__)
SETTINGS_FORMAT = 1


THEMES = ("system", "light", "dark")
PLACES_KEPT = 30  # projects whose last place is remembered


@dataclass(frozen=True)
class Place:
    """Where someone was in a project: a document and the first character on screen."""

    document: str  # the document's id
    offset: int = 0


@dataclass
class Settings:
    annotator: str | None = None
    theme: str = "system"
    labels_on_text: bool = True
    places: dict[str, Place] = field(default_factory=dict)  # project (path or URL) -> place

    @staticmethod
    def path() -> Path:
        return config_dir() / "settings.toml"

    @classmethod
    def load(cls) -> Settings:
        path = cls.path()
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            log.warning("ignoring unreadable settings file %s: %s", path, error)
            return cls()
        name = data.get("annotator")
        theme = data.get("theme")
        tags = data.get("labels_on_text")
        places: dict[str, Place] = {}
        raw = data.get("places")
        for project, place in (raw if isinstance(raw, dict) else {}).items():
            if isinstance(place, dict) and isinstance(place.get("document"), str):
                offset = place.get("offset")
                places[project] = Place(place["document"], offset if isinstance(offset, int) else 0)
        return cls(
            annotator=name if isinstance(name, str) and name.strip() else None,
            theme=theme if theme in THEMES else "system",
            labels_on_text=tags if isinstance(tags, bool) else True,
            places=places,
        )

    def remember(self, project: str, place: Place) -> None:
        """Keep `place` as the last one in `project` (the newest few projects are kept)."""
        self.places.pop(project, None)
        self.places[project] = place
        while len(self.places) > PLACES_KEPT:
            self.places.pop(next(iter(self.places)))

    def save(self) -> None:
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"format = {SETTINGS_FORMAT}"]
        if self.annotator:
            lines.append(f"annotator = {_string(self.annotator)}")
        lines.append(f"theme = {_string(self.theme)}")
        lines.append(f"labels_on_text = {'true' if self.labels_on_text else 'false'}")
        if self.places:
            lines.append("")
            lines.append("[places]")
            for project, place in self.places.items():
                lines.append(
                    f"{_string(project)} = {{ document = {_string(place.document)}, "
                    f"offset = {int(place.offset)} }}"
                )
        temporary = path.with_suffix(".tmp")
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        temporary.replace(path)


def _string(text: str) -> str:
    """`text` as a TOML basic string: JSON's, with the characters TOML spells otherwise
    (JSON writes an emoji as two surrogate escapes, which TOML refuses; DEL it leaves bare)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
