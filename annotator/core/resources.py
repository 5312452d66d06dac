"""Where the files Annotator ships live: the label schema, the demo, the guidelines, the icon.

They are kept in the top-level `resources/` folder of the source tree. The wheel (and the
PyInstaller app built from it) carries that folder inside the package, as
`annotator/resources/`. Both are found here, the same way, so nothing else needs to know
which of the two it runs from.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the annotator package


@cache
def resources_folder() -> Path:
    """The folder holding schema.toml, guidelines.md, demo/ and icons/."""
    for folder in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):  # wheel, checkout
        if (folder / "schema.toml").is_file():
            return folder
    raise FileNotFoundError(
        f"Annotator's resources are missing (looked in {_PACKAGE / 'resources'} and "
        f"{_PACKAGE.parent / 'resources'}); reinstall Annotator"
    )


def resource(*parts: str) -> Path:
    """A shipped file, e.g. `resource("demo", "articles.jsonl")`."""
    return resources_folder().joinpath(*parts)
