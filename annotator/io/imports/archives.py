"""A zip of article or annotation files, read as if it were unpacked into a folder.

doccano's export is such a zip: one `<user name>.jsonl` per project member (or `all.jsonl`
for a collaborative project), so a member's records go to that annotator's layer unless
the line names one. Members are unpacked into a temporary folder (never outside it: no
absolute names, no `..`, nothing hidden), bounded in count and size whatever the archive's
own header claims, and read like a folder's files; messages name `archive.zip:member`.
An Annotator bundle is a zip too, and is refused with a pointer to `annotator bundle import`.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath

from annotator.io.imports.records import ArticleRecord, BadInput, ReadNote

MAX_MEMBERS = 10_000
Item = ArticleRecord | BadInput | ReadNote
Reader = Callable[[Path], Iterator[Item]]
Finder = Callable[[Path], list[Path]]


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_zip(path: Path, data: bytes, limit: int, find: Finder, read: Reader) -> Iterator[Item]:
    """The items of every member `find` takes, read by `read`, named after the archive."""
    origin = str(path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        yield BadInput(origin, f"is a zip archive that cannot be read ({error})")
        return
    names = {info.filename for info in members}
    if {"manifest.json", "layer.jsonl"} <= names:
        yield BadInput(
            origin,
            "is an Annotator bundle, not articles: merge it with 'annotator bundle import' "
            "(in the app: File > Import bundle)",
        )
        return
    if len(members) > MAX_MEMBERS:
        yield BadInput(origin, f"holds more than {MAX_MEMBERS:,} files")
        return
    with tempfile.TemporaryDirectory(prefix="annotator-zip-") as folder:
        root = Path(folder)
        try:
            _unpack(archive, members, root, limit)
        except _TooLarge:
            yield BadInput(origin, f"unpacks to more than {limit // 2**20:,} MB")
            return
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
            yield BadInput(origin, f"is a zip archive that cannot be unpacked ({error})")
            return
        found = find(root)
        if not found:
            yield BadInput(origin, "is a zip archive without files Annotator reads")
            return
        for file in found:
            member = file.relative_to(root).as_posix()
            user = PurePosixPath(member).stem
            for item in read(file):
                yield _named(item, str(file), f"{origin}:{member}", user)


class _TooLarge(Exception):
    pass


def _unpack(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], root: Path, limit: int
) -> None:
    left = limit
    for info in members:
        parts = PurePosixPath(info.filename).parts
        if (
            not parts
            or info.filename.startswith(("/", "\\"))
            or ".." in parts
            or any(part.startswith(".") or part == "__MACOSX" for part in parts)
            or ":" in parts[0]
        ):
            continue  # outside the folder, hidden, or a Mac's resource forks
        target = root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, target.open("wb") as out:
            while chunk := source.read(1 << 20):  # the header's size can lie: count
                left -= len(chunk)
                if left < 0:
                    raise _TooLarge
                out.write(chunk)


def _named(item: Item, temporary: str, member: str, user: str) -> Item:
    """`item` with the temporary file's name replaced by `archive:member`; a doccano
    record without an annotator goes to the member's user (doccano names files by them)."""
    if isinstance(item, ArticleRecord):
        annotator = item.annotator
        if annotator is None and item.format == "doccano" and user != "all":
            annotator = user
        origin = item.origin.replace(temporary, member, 1)
        return replace(item, origin=origin, annotator=annotator)
    if isinstance(item, BadInput):
        return BadInput(item.origin.replace(temporary, member, 1), item.reason)
    return ReadNote(item.origin.replace(temporary, member, 1), item.text)
