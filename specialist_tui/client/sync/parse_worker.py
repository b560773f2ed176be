"""The parse worker: a child process that parses a bulk pull's pages while the client writes.

Why a process: validating a page against the wire models holds the GIL, so a thread would not
let parsing and writing use two cores; a process does.
Why a fresh interpreter (``python -c``): not a fork, because the client has threads and an open
SQLite connection; and not ``multiprocessing``, whose helper process needs a real stderr, which
Textual replaces inside the app.
Why pipes: the worker reads pages on its stdin and exits at EOF, so a client that dies, even by
SIGKILL, leaves no worker behind. Each message is an 8-byte length and then the bytes.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path
from typing import IO

from specialist_tui.client.sync.errors import SyncError
from specialist_tui.client.sync.parsing import Parsed, parse
from specialist_tui.gc_pause import stop_cycle_collection

_WORKER_MAIN = "from specialist_tui.client.sync.parse_worker import serve_parses; serve_parses()"


class ParseWorker:
    """Parses pages in the child process: submit a page's bytes, then take its result."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[3])  # the folder holding specialist_tui
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_MAIN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # Inside the app the terminal belongs to Textual: a crashing worker must not write
            # over the screen. Its failure still reaches the user as a one-line SyncError.
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._to, self._from = self._process.stdin, self._process.stdout

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        with suppress(OSError):
            self._to.close()
        self._from.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    @property
    def returncode(self) -> int | None:
        return self._process.returncode

    def submit(self, content: bytes) -> None:
        with suppress(OSError):  # the worker died: result() says so
            _send(self._to, content)

    def result(self) -> Parsed:
        try:
            result: Parsed | str = pickle.loads(_receive(self._from))
        except EOFError:
            raise SyncError("同步的解析进程意外退出；请重新同步") from None
        if isinstance(result, str):
            raise SyncError(result)
        return result


def serve_parses() -> None:
    """The worker's loop: a page's bytes in, its parsed page (or the error's message) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the client's to handle
    stop_cycle_collection()  # it parses pages until it exits
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the pages
    while True:
        try:
            content = _receive(source)
        except EOFError:  # the client closed the pipe, or died
            return
        try:
            answer: Parsed | str = parse(content)
        except SyncError as exc:
            answer = str(exc)
        try:
            _send(sink, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the client stopped listening: nothing left to do
            return


def _send(stream: IO[bytes], data: bytes) -> None:
    stream.write(len(data).to_bytes(8, "big"))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> bytes:
    size = int.from_bytes(_read_exactly(stream, 8), "big")
    return _read_exactly(stream, size)


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data
