"""Writing all of an export or nothing: temp files and folders renamed into place at the end.

Every output is first written beside its target (same folder, so the final `os.replace` is
an atomic rename on the same file system) under a hidden temp name. `Outputs.commit`
renames them all onto their targets; `Outputs.discard` removes them, so an error or a
cancel leaves the folder as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import TextIO

from annotator.core.temp_files import cannot_write, create_file, temp_beside
from annotator.io.export.options import ExportError

BUFFER = 1 << 20  # big writes: an export is many small lines


def check_target(path: Path, *, folder: bool) -> None:
    """Raise ExportError (naming the path) when `path` cannot become an export output."""
    parent = path.parent
    if not parent.exists():
        raise ExportError(f"{path}: cannot write there, folder {parent} does not exist")
    if not parent.is_dir():
        raise ExportError(f"{path}: cannot write there, {parent} is not a folder")
    if folder and path.exists() and not path.is_dir():
        raise ExportError(f"{path}: is a file; this export writes a folder")
    if folder and path.is_dir():
        foreign = _not_an_export(path)
        if foreign is not None:
            raise ExportError(
                f"{path}: the folder holds other files (such as {foreign.name}), and this "
                "export replaces the whole folder; choose a new or empty folder"
            )
    if not folder and path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name such as {path / 'data.jsonl'}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"{path}: cannot write there, folder {parent} is read-only")


# What a brat export folder holds; a folder with anything else is never replaced.
BRAT_CONFIGS = frozenset({"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf"})


def _not_an_export(folder: Path) -> Path | None:
    """The first entry of `folder` that an earlier brat or XMI export did not write, if any.

    An earlier export is recognised by what it leaves: annotation.conf, and .txt/.ann files
    in pairs of one name (brat); TypeSystem.xml and .xmi files (XMI). A lone .txt (someone's
    notes) or any other file is not ours, and the folder is not replaced."""
    entries = list(folder.iterdir())
    if not entries:
        return None
    names = {entry.name for entry in entries}
    if all(entry.suffix == ".tsv" and entry.is_file() for entry in entries):
        return next((entry for entry in sorted(entries) if not _is_webanno_tsv(entry)), None)
    if "TypeSystem.xml" in names:
        return next(
            (
                entry
                for entry in sorted(entries)
                if entry.is_dir()
                or entry.is_symlink()
                or not (entry.suffix == ".xmi" or entry.name == "TypeSystem.xml")
            ),
            None,
        )
    names = {entry.name for entry in entries}
    for entry in sorted(entries):
        if entry.is_dir() or entry.is_symlink():
            return entry
        if entry.suffix == ".conf" and entry.name in BRAT_CONFIGS:
            continue
        twin = {".txt": ".ann", ".ann": ".txt"}.get(entry.suffix)
        if twin is None or entry.with_suffix(twin).name not in names:
            return entry
    if "annotation.conf" not in names:
        return sorted(entries)[0]
    return None


def _is_webanno_tsv(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(32).startswith(b"#FORMAT=WebAnno TSV")
    except OSError:
        return False


class Outputs:
    """The temp files and folders of one export, committed or discarded together."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path, TextIO]] = []  # temp, target, handle
        self._folders: list[tuple[Path, Path]] = []

    def file(self, target: Path, *, newline: str | None = "\n") -> TextIO:
        """A text file (UTF-8) that becomes `target` on commit."""
        check_target(target, folder=False)
        temp = temp_beside(target)
        try:
            descriptor = create_file(temp)
        except OSError as error:
            raise ExportError(cannot_write(target, error)) from None
        # backslashreplace: text an older version stored with a lone surrogate (not UTF-8)
        # is written as "\\udcff", a valid JSON escape, instead of failing the export.
        handle = os.fdopen(
            descriptor,
            "w",
            encoding="utf-8",
            errors="backslashreplace",
            newline=newline,
            buffering=BUFFER,
        )
        self._files.append((temp, target, handle))
        return handle

    def folder(self, target: Path) -> Path:
        """A folder that becomes `target` on commit (replacing a folder already there)."""
        check_target(target, folder=True)
        temp = temp_beside(target)
        try:
            temp.mkdir(0o777)  # not mkdtemp, whose 0700 would stay on the export
        except OSError as error:
            raise ExportError(cannot_write(target, error)) from None
        self._folders.append((temp, target))
        return temp

    def drop(self, targets: list[Path]) -> None:
        """Leave `targets` unwritten (an empty split): their temps are removed now."""
        wanted = set(targets)
        for entry in [f for f in self._files if f[1] in wanted]:
            temp, _, handle = entry
            with contextlib.suppress(OSError):
                handle.close()
            with contextlib.suppress(OSError):
                temp.unlink()
            self._files.remove(entry)
        for folder in [f for f in self._folders if f[1] in wanted]:
            shutil.rmtree(folder[0], ignore_errors=True)
            self._folders.remove(folder)

    def commit(self) -> None:
        """Close everything and rename each temp output onto its target."""
        for _, _, handle in self._files:
            handle.close()
        for temp, target, _ in self._files:
            temp.replace(target)
        for temp, target in self._folders:
            _replace_folder(temp, target)
        self._files.clear()
        self._folders.clear()

    def discard(self) -> None:
        """Close and delete every temp output; targets are left as they were."""
        for temp, _, handle in self._files:
            with contextlib.suppress(OSError):
                handle.close()
            with contextlib.suppress(OSError):
                temp.unlink()
        for temp, _ in self._folders:
            shutil.rmtree(temp, ignore_errors=True)
        self._files.clear()
        self._folders.clear()


def _replace_folder(temp: Path, target: Path) -> None:
    if not target.exists():
        temp.replace(target)
        return
    # A folder cannot be renamed onto a non-empty one: move the old one aside first.
    old = temp_beside(target, ".old")
    old.mkdir()
    target.replace(old / "previous")
    try:
        temp.replace(target)
    except OSError:
        (old / "previous").replace(target)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
