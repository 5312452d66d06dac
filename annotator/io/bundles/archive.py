"""Reading a bundle's zip file defensively, and writing one atomically.

A bundle comes from another computer, so the zip is treated as hostile: only the four
expected members at the root are accepted (no `..`, no absolute or Windows paths, no
folders, no duplicates, no encryption, only stored or deflated data), and sizes are bounded
before and while decompressing (see `BundleLimits`), so a zip bomb is refused without being
inflated. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import contextlib
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from annotator.core.temp_files import cannot_write, create_file, temp_beside
from annotator.io.bundles.contents import MEMBERS, BundleError

MIB = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class BundleLimits:
    """How big a bundle may be; the defaults fit years of one annotator's work."""

    max_file: int = 512 * MIB  # the zip file itself
    max_member: int = 1024 * MIB  # each member, uncompressed
    max_total: int = 2048 * MIB  # all members together, uncompressed
    max_ratio: int = 200  # uncompressed / compressed, for members above `ratio_from`
    ratio_from: int = MIB  # small members may compress well without being a bomb


DEFAULT_LIMITS = BundleLimits()


def _amount(size: int) -> str:
    return f"{size // MIB} MiB" if size >= MIB else f"{size} bytes"


def read_members(path: Path, limits: BundleLimits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """The bytes of each expected member of the zip at `path`, after every safety check."""
    where = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BundleError(f"{where}: no such file") from None
    except OSError as error:
        raise BundleError(f"{where}: cannot be read ({error.strerror})") from None
    if path.is_dir():
        raise BundleError(f"{where}: is a folder, not a bundle file")
    if size > limits.max_file:
        raise BundleError(
            f"{where}: {_amount(size)} is more than a bundle may be ({_amount(limits.max_file)})"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = _checked_infos(where, archive.infolist(), limits)
            return {info.filename: _read(where, archive, info, limits) for info in infos}
    except zipfile.BadZipFile as error:
        raise BundleError(
            f"{where}: not a bundle (not a zip file, or cut short: {error})"
        ) from None
    except (zlib.error, EOFError) as error:
        raise BundleError(f"{where}: the zip file is damaged ({error})") from None
    except OSError as error:
        raise BundleError(f"{where}: cannot be read ({error.strerror or error})") from None


def _checked_infos(
    where: str, infos: list[zipfile.ZipInfo], limits: BundleLimits
) -> list[zipfile.ZipInfo]:
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        shown = repr(name[:80])
        if "\\" in name:
            raise BundleError(f"{where}: member {shown} has a backslash in its path; refused")
        if name.startswith("/") or _DRIVE.match(name):
            raise BundleError(f"{where}: member {shown} has an absolute path; refused")
        if ".." in name.split("/"):
            raise BundleError(f"{where}: member {shown} points outside the bundle ('..'); refused")
        if name not in MEMBERS:
            raise BundleError(
                f"{where}: unexpected member {shown}; a bundle holds only {', '.join(MEMBERS)}"
            )
        if name in seen:
            raise BundleError(f"{where}: member {shown} is in the zip twice; refused")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise BundleError(f"{where}: member {shown} is encrypted; bundles never are")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleError(f"{where}: member {shown} uses an unsupported compression")
        if info.file_size > limits.max_member:
            raise BundleError(
                f"{where}: member {shown} would unpack to {_amount(info.file_size)}, more"
                f" than the {_amount(limits.max_member)} a member may have; refused"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_from and ratio > limits.max_ratio:
            raise BundleError(
                f"{where}: member {shown} is compressed {ratio:.0f} to 1, more than any"
                " real bundle (a zip bomb?); refused"
            )
        total += info.file_size
    if total > limits.max_total:
        raise BundleError(
            f"{where}: would unpack to {_amount(total)} in all, more than the"
            f" {_amount(limits.max_total)} a bundle may have; refused"
        )
    for name in MEMBERS:
        if name not in seen:
            raise BundleError(f"{where}: not a complete bundle, {name} is missing")
    return infos


def _read(
    where: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: BundleLimits
) -> bytes:
    """A member's bytes, counted as they inflate: the header's sizes are not trusted."""
    allowed = min(info.file_size, limits.max_member)
    chunks: list[bytes] = []
    read = 0
    with archive.open(info) as handle:
        while chunk := handle.read(MIB):
            read += len(chunk)
            if read > allowed:
                raise BundleError(
                    f"{where}: member {info.filename!r} unpacks to more than it declares; refused"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def check_target(out: Path) -> None:
    """Raise BundleError when a bundle cannot be written to `out`."""
    folder = out.parent
    if not folder.is_dir():
        raise BundleError(f"{out}: cannot write there, folder {folder} does not exist")
    if out.is_dir():
        raise BundleError(f"{out}: is a folder; give a file name such as {out / 'bundle.zip'}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BundleError(f"{out}: cannot write there, folder {folder} is read-only")


@contextmanager
def atomic_zip(out: Path) -> Iterator[Callable[[str], BinaryIO]]:
    """Yield `open_member(name)`; the zip becomes `out` only if the block succeeds.

    The zip is written to a hidden temp file beside `out` (same file system, so the final
    `os.replace` is atomic), synced to disk, then renamed; on any error it is deleted and
    `out` stays as it was.
    """
    check_target(out)
    temp = temp_beside(out)
    try:
        descriptor = create_file(temp)
    except OSError as error:
        raise BundleError(cannot_write(out, error)) from None
    try:
        with os.fdopen(descriptor, "w+b") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:

                def open_member(name: str) -> BinaryIO:
                    """A member of the zip, written in one go (streamed, not in memory)."""
                    return archive.open(name, "w", force_zip64=True)  # type: ignore[return-value]

                yield open_member
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(out)
    except OSError as error:  # a full disk, a folder that went away
        with contextlib.suppress(OSError):
            temp.unlink()
        raise BundleError(cannot_write(out, error)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
