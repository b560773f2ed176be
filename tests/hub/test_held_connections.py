"""Strangers holding half-sent requests cannot stop a hub answering, nor flood its log."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from specialist_tui.hub import admin
from specialist_tui.hub.store import HubStore

ROOT = Path(__file__).resolve().parents[2]
FILE_LIMIT = 256  # the hub's; the test holds more connections than that


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


def test_held_half_sent_requests_are_dropped_and_the_hub_answers(tmp_path: Path) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4 * FILE_LIMIT:  # this process holds more connections than the hub may
        wanted = 4 * FILE_LIMIT if hard == resource.RLIM_INFINITY else min(hard, 4 * FILE_LIMIT)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    db = tmp_path / "hub.sqlite"
    store = HubStore(db)
    admin.add_center(store, "QH01", "青海省区域服务中心", ["QH0101"])
    store.close()
    port = _free_port()
    log_path = tmp_path / "hub.log"
    with log_path.open("wb") as log:
        hub = subprocess.Popen(
            [sys.executable, "-m", "specialist_tui", "hub", "serve", "--db", str(db),
             "--port", str(port)],
            stdout=log, stderr=log, cwd=ROOT, preexec_fn=_limited,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        held: list[socket.socket] = []
        try:
            _wait_for(url)
            for _ in range(FILE_LIMIT + 60):
                try:
                    connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                    connection.sendall(b"POST /api/v1/push HTTP/1.1\r\nHost: hub\r\n")
                    held.append(connection)
                except OSError:
                    pass
            assert len(held) > FILE_LIMIT
            # Within the request deadline the held connections are closed and the hub answers.
            assert _wait_for(url, tries=120) == 200
            closed = sum(_closed(c) for c in held)
            assert closed == len(held)
        finally:
            for connection in held:
                connection.close()
            hub.terminate()
            hub.wait(timeout=30)
    lines = log_path.read_bytes().splitlines()
    # Running out of descriptors is logged once at most: the cap keeps clear of the limit, and
    # the repeat filter would fold a flood into one line.
    assert b"\n".join(lines).count(b"out of system resource") <= 1
    most = Counter(lines).most_common(1)
    assert not most or most[0][1] < 20, most


def _wait_for(url: str, tries: int = 150) -> int:
    for _ in range(tries):
        try:
            return httpx.get(url + "/healthz", timeout=5).status_code
        except httpx.HTTPError:
            time.sleep(0.5)
    return 0


def _closed(connection: socket.socket) -> bool:
    connection.settimeout(5)
    try:
        return connection.recv(1) == b""
    except OSError:
        return True
