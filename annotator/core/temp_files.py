"""Hidden temp files beside an output, renamed onto it when complete, and the clean-up of
those a killed run left behind.

A temp name is `.NAME.PID-TOKEN.part` (or `.old`, a folder moved aside): beside its target,
so the final rename is atomic on the same file system, and naming the process that writes
it, so a later run can tell a temp whose writer is gone (killed, the machine switched off)
from one another export is writing now, and remove only the first.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import sys
import time
from pathlib import Path

ORPHAN_AGE_S = 3600  # a temp of unknown writer (an older name, or Windows) this old is stale


def cannot_write(target: Path, error: OSError) -> str:
    """The one line for an output that could not be written: a full disk said as such."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{target}: the disk is full; nothing was written (free some space)"
    return f"{target}: cannot be written ({error.strerror or error})"


def temp_beside(target: Path, suffix: str = ".part") -> Path:
    """An unused hidden name beside `target`, after removing what killed runs left there."""
    remove_stale(target)
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}{suffix}")


def create_file(path: Path) -> int:
    """Open a new file for writing (it must not exist) and return its descriptor. Not
    mkstemp: its 0600 mode would stay on the output; 0666 lets the umask decide."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)


def remove_stale(target: Path) -> list[Path]:
    """Delete the temps of `target` whose writer is gone; returns what was removed."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:(\d+)-)?[0-9a-f]{{12}}\.(?:part|old)\Z")
    removed: list[Path] = []
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return removed
    for sibling in siblings:
        found = pattern.match(sibling.name)
        if found is None or not _stale(sibling, found[1]):
            continue
        try:
            if sibling.is_dir() and not sibling.is_symlink():
                shutil.rmtree(sibling)
            else:
                sibling.unlink()
            removed.append(sibling)
        except OSError:
            continue  # another run got there first, or it is not ours to remove
    return removed


def _stale(path: Path, pid: str | None) -> bool:
    if pid is not None and not sys.platform.startswith("win"):
        return not _alive(int(pid))
    try:  # no writer named, or no safe way to ask Windows: by age
        return time.time() - path.lstat().st_mtime > ORPHAN_AGE_S
    except OSError:
        return False


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0 asks only whether the process exists (POSIX)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except OSError:
        return True
    return True
