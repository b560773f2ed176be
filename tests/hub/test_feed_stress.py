"""The change feed under concurrent writers: every reader ends with every record exactly once.

Writer processes push calls over HTTP and import orders straight into the database (holding
their transactions open a while) as reader loops pull pages concurrently. On PostgreSQL a feed
that served rows by seq alone would lose some of these for good: a late-committing import holds
seqs below ones the readers have already passed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from specialist_tui.hub.server import start_in_thread
from specialist_tui.hub.store import HubStore
from tests.hub.conftest import make_code, seed

# A reader thread that dies must fail the test as itself, not as "records missing".
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")

ROOT = Path(__file__).resolve().parents[2]
WRITE_SECONDS = 4.0
READERS = 4


def _reader(url: str, token: str, stop: threading.Event, seen: list[tuple[str, str]]) -> None:
    """Pull small pages as fast as they come until told to stop and caught up."""
    cursor = ""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        while True:
            done = stop.is_set()
            try:
                answer = http.get("/api/v1/changes", params={"since": cursor, "limit": 97})
            except httpx.TransportError:
                # A kept-alive connection the hub closed as it was reused: ask again, as the
                # sync client does (the cursor has not moved, so nothing is lost or repeated).
                continue
            page = answer.json()
            seen.extend((c["kind"], c["key"]) for c in page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                if done:
                    return
                time.sleep(0.005)


def test_concurrent_writers_and_readers_lose_and_repeat_nothing(hub_db: str | Path) -> None:
    store = HubStore(hub_db)
    serials = {"a": list(range(1, 21)), "b": list(range(21, 41))}
    tokens = seed(store, serials)
    hub = start_in_thread(hub_db, max_body=1 << 20)
    units = {who: [make_code(s) for s in owned] for who, owned in serials.items()}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = str(ROOT / "tests" / "hub" / "stress_writer.py")
    seconds = ["--seconds", str(WRITE_SECONDS)]
    # Pushers and importers write to different units, so their transactions really overlap
    # instead of queueing on the same units' locks.
    commands = [
        [sys.executable, script, "push", hub.url, tokens["a"], *units["a"][10:], *seconds],
        [sys.executable, script, "push", hub.url, tokens["b"], *units["b"][:10], *seconds],
        [sys.executable, script, "import", str(hub_db), *units["a"][:10], *seconds, "--tag", "i1"],
        [sys.executable, script, "import", str(hub_db), *units["b"][10:], *seconds, "--tag", "i2"],
    ]
    stop = threading.Event()
    seen: list[list[tuple[str, str]]] = [[] for _ in range(READERS)]
    readers = [
        threading.Thread(target=_reader, args=(hub.url, tokens["lead"], stop, seen[n]))
        for n in range(READERS)
    ]
    try:
        for reader in readers:
            reader.start()
        writers = [
            subprocess.Popen(c, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            for c in commands
        ]
        written = [int(w.communicate(timeout=120)[0]) for w in writers]
        stop.set()
        for reader in readers:
            reader.join(timeout=120)
        everything: list[tuple[str, str]] = []
        _reader(hub.url, tokens["lead"], stop, everything)  # one pull after the writers
    finally:
        stop.set()
        hub.stop()
        store.close()
    assert all(n > 0 for n in written), written
    new = {"call", "order"}
    hub_records = sorted(r for r in everything if r[0] in new)
    # seed() wrote 4 orders per unit before the writers started.
    assert len(hub_records) == sum(written) + 4 * 40
    assert len(set(hub_records)) == len(hub_records)
    for got in seen:
        mine = sorted(r for r in got if r[0] in new)
        missing = set(hub_records) - set(mine)
        assert not missing, f"{len(missing)} records never reached a reader"
        assert len(mine) == len(set(mine)), "a reader got a record twice"
        assert mine == hub_records
