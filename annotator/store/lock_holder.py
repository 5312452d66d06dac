"""Who holds an SQLite project's write lock, for the message that says to wait for it.

SQLite only says "database is locked". On Linux the kernel lists every POSIX lock with the
process holding it (/proc/locks); a writer of a WAL database holds the write byte (offset
120) of the -shm file, and a writer of a rollback-journal database a write lock on the file
itself. Elsewhere, or when the lock is gone by the time we look, the answer is None.
"""

from __future__ import annotations

import os
from pathlib import Path

WAL_WRITE_BYTE = 120
LOCKS = Path("/proc/locks")


def _key(path: Path) -> str | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return f"{os.major(status.st_dev):02x}:{os.minor(status.st_dev):02x}:{status.st_ino}"


def _command(pid: int) -> str:
    try:
        words = (Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0"))[:-1]
    except OSError:
        return ""
    text = " ".join(" ".join(os.fsdecode(word).split()) for word in words)
    return text if len(text) <= 80 else text[:77] + "..."


def lock_holder(project: Path) -> str | None:
    """'process 1234 (annotator import a.jsonl)' holding `project`'s write lock, or None."""
    shm = _key(project.with_name(project.name + "-shm"))
    main = _key(project)
    try:
        lines = LOCKS.read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if "->" in fields:  # a process waiting for this lock, not holding it
            continue
        if len(fields) < 8 or fields[1] != "POSIX" or fields[3] != "WRITE":
            continue
        pid, where, start = fields[4], fields[5], fields[6]
        holds = (where == shm and start == str(WAL_WRITE_BYTE)) or where == main
        if holds and pid.isdigit() and int(pid) != os.getpid():
            command = _command(int(pid))
            return f"process {pid} ({command})" if command else f"process {pid}"
    return None
