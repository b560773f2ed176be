"""A SQLite hub shared with another process (an admin command while the hub serves).

SQLite's POSIX locks belong to the process: closing any descriptor of the database file drops
all of them. The hub once opened and closed the file for every new thread's connection, so an
admin command closing its last connection afterwards took the hub for gone, checkpointed and
deleted the WAL under it, and the hub's next commits went to a deleted file (lost; under load
the hub answered 500 "file is not a database").
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from specialist_tui.hub import admin
from specialist_tui.hub.store import HubStore


def _in_new_thread(store: HubStore) -> None:
    """A read from a thread of its own: the hub's thread pool opens connections so."""
    thread = threading.Thread(target=store.center_name, args=("C1",))
    thread.start()
    thread.join()


def _another_process_reads(path: Path) -> None:
    """What `hub assign` or `hub token rotate` does to the file: open, read, close."""
    code = (
        "import sys, sqlite3\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM centers').fetchone()\n"
        "c.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def test_commits_survive_another_process_closing_the_database(tmp_path: Path) -> None:
    path = tmp_path / "hub.sqlite"
    store = HubStore(path)
    admin.add_center(store, "C1", "一中心", ["A1"])
    _in_new_thread(store)  # a second connection of this process, opened after the first
    _another_process_reads(path)
    assert path.with_name("hub.sqlite-wal").exists(), "the WAL was deleted under the hub"
    admin.add_center(store, "C2", "二中心", ["A2"])
    store.close()
    again = HubStore(path)
    try:
        assert again.center_name("C2") == "二中心"
    finally:
        again.close()
