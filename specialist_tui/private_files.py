"""Files only their owner can read: the cache and the hub database hold phone numbers and token
hashes, so they are created 0600 in folders created 0700, whatever the umask says."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

# SQLite gives a database's -wal and -shm files the database file's own mode; older versions of
# this program left them world-readable, so they are tightened too.
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(path: Path) -> None:
    """Create ``path`` (and its parents) if missing; a folder made here is 0700."""
    if path.is_dir():
        return
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)  # mkdir's mode would be cut by the umask


def private_database(path: Path) -> None:
    """Create the database file ``path`` 0600 before SQLite opens it; tighten one left looser.

    An existing file is never opened here: closing any descriptor of a file drops every POSIX
    lock this process holds on it, so SQLite connections already open in the process would
    lose their shared lock, and another process closing its last connection would then
    checkpoint and delete the WAL under them (their later commits lost).
    """
    private_folder(path.parent)
    # FileExistsError: made meanwhile by another connection, which holds no lock on it yet.
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
    for file in (path, *(path.with_name(path.name + end) for end in _SQLITE_COMPANIONS)):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & 0o077 and file.stat().st_uid == os.getuid():
                file.chmod(mode & 0o700)
        except FileNotFoundError:
            continue
