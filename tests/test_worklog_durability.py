"""Saved means durable: the real app, in a pseudo-terminal, is killed with SIGKILL the moment it
says 已保存, and the call is there on the next start."""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from specialist_tui.client.cache import Cache
from tests.worklog_data import add_history, make_worklog

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

# Generous: a cold start on a loaded CI machine; the test only waits this long when broken.
TIMEOUT_S = 60.0


class Terminal:
    """The app running on a pseudo-terminal of 100×30; reads what it draws, types keys."""

    def __init__(self, cache_dir: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "specialist_tui", "--cache-dir", str(cache_dir),
             "--today", "2024-06-30"],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=Path(__file__).parent.parent,
            start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.screen = b""

    def wait_for(self, text: str) -> None:
        """Read the terminal until ``text`` has been drawn (since the last wait)."""
        wanted = text.encode()
        deadline = time.monotonic() + TIMEOUT_S
        seen = b""
        while wanted not in seen:
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None:
                raise AssertionError(f"never saw {text!r}; last output: {seen[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    seen += os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    continue
        self.screen = seen

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=TIMEOUT_S)
        os.close(self.master)


def test_a_call_survives_sigkill_right_after_the_save(tmp_path: Path) -> None:
    worklog = make_worklog(tmp_path)
    add_history(worklog)
    before = worklog.service.cache.count("calls")
    worklog.service.close()

    terminal = Terminal(tmp_path)
    try:
        terminal.wait_for("记录通话")  # the footer of the units list: the app is up
        terminal.type("c")
        terminal.wait_for("1–8 话题")  # the call form's hint
        terminal.type("1\x13")  # topic 填报, ctrl+s: typed ahead in one write
        terminal.wait_for("已保存")
    finally:
        terminal.kill()  # no chance to flush or close anything
    assert terminal.process.returncode == -signal.SIGKILL

    cache = Cache.open(tmp_path)
    calls = cache.rows("SELECT * FROM calls ORDER BY rowid")
    assert len(calls) == before + 1
    saved = calls[-1]
    assert (saved["outcome"], json.loads(saved["topics"])) == ("reached", ["filing"])
    pending = cache.rows("SELECT kind FROM outbox WHERE item_id = ?", [saved["id"]])
    assert pending == [{"kind": "call"}]
    cache.close()

    # The next start of the program lists it, still waiting to be pushed.
    listed = subprocess.run(
        [sys.executable, "-m", "specialist_tui", "--cache-dir", str(tmp_path),
         "--today", "2024-06-30", "calls", "--format", "json"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    rows = {r["id"]: r for r in json.loads(listed.stdout)}
    assert rows[saved["id"]]["pushed"] is False
