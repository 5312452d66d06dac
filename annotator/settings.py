"""User settings (TOML in the user config dir): who is annotating on this laptop.

The file carries a format number so later versions can read older files. A broken settings
file never stops the app: it is reported in the log and the defaults are used.
"""

from __future__ import annotations

import json
import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path

from annotator.paths import config_dir

log = logging.getLogger(__name__)
SETTINGS_FORMAT = 1


@dataclass
class Settings:
    annotator: str | None = None

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
        return cls(annotator=name if isinstance(name, str) and name.strip() else None)

    def save(self) -> None:
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"format = {SETTINGS_FORMAT}"]
        if self.annotator:
            lines.append(f"annotator = {json.dumps(self.annotator)}")  # JSON strings are TOML
        temporary = path.with_suffix(".tmp")
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        temporary.replace(path)
