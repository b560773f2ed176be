"""Running the hub under uvicorn: in the foreground (`hub serve`, one or several worker
processes) or in a thread (demo, tests).

The edges a stranger on the network can push against are bounded here: connections held open
without a complete request are closed after REQUEST_TIMEOUT, connections beyond the process's
file limit are refused at once (instead of exhausting descriptors, which stops every answer),
and a log line repeated by a flood is written once per LOG_REPEAT_WINDOW with a count.
docs/hub.md says what a reverse proxy in front should add.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from specialist_tui.hub.app import DEFAULT_MAX_BODY, HubApi, create_hub_app
from specialist_tui.hub.log_text import LOG_CONFIG

# How `hub serve --workers N` tells each worker process what to serve: uvicorn starts workers
# from an import string, so the settings travel in the environment.
_DB_ENV = "SPECIALIST_TUI_HUB_DB"
_MAX_BODY_ENV = "SPECIALIST_TUI_HUB_MAX_BODY"
_DOCS_ENV = "SPECIALIST_TUI_HUB_DOCS"

# Seconds a client may take to send a request's headers (and, in BodyLimit, its body).
REQUEST_TIMEOUT = 10.0
# Connections and requests one process holds at once; past either, a request gets 503 at once
# rather than queueing behind the slow ones. uvicorn counts both: every specialist's app keeps
# a connection open between polls, and a request that follows its predecessor on the same
# connection overlaps that one's last moments. At 256, 200 clients polling together drew 503s
# with nothing slow (bench/hub_poll.py); a province hub has hundreds of specialists.
CONCURRENCY = 1_000
# Descriptors kept free for the rest: each of the 40 threads serving requests holds a database
# connection with its WAL and shared-memory files, and there are logs and the listening socket.
_SPARE_FILES = 200
LOG_REPEAT_WINDOW = 60.0


def _file_limit() -> int:
    """The open-file limit, raised to the hard limit where the system allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else 65536


class _Guard:
    """A connection cap and a deadline for each request, on either of uvicorn's HTTP/1.1
    protocols (the attributes below are theirs)."""

    connections: set[Any]
    cycle: Any
    loop: Any
    transport: Any
    _deadline: asyncio.TimerHandle | None = None
    max_connections = 1000  # set from the file limit when a server is configured

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        if len(self.connections) > self.max_connections:
            transport.abort()  # no answer: answering would need the resources that are short
            return
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        if self._waiting():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)  # type: ignore[misc]

    def _waiting(self) -> bool:
        """No request of this connection is being answered: we wait for the client's next."""
        return self.cycle is None or bool(self.cycle.response_complete)

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(REQUEST_TIMEOUT, self._expire)

    def _expire(self) -> None:
        self._deadline = None
        if self._waiting() and not self.transport.is_closing():
            self.transport.close()


class GuardedH11(_Guard, H11Protocol):  # type: ignore[misc]
    """uvicorn's pure-Python HTTP/1.1 protocol, guarded."""


class GuardedHttpTools(_Guard, HttpToolsProtocol):  # type: ignore[misc]
    """uvicorn's HTTP/1.1 protocol on httptools (llhttp, C), guarded: the one served.

    It parses a request in a fraction of h11's CPU time, and a hub's requests are small.
    """


class RepeatFilter(logging.Filter):
    """Lets a message through once per ``window`` seconds, then says how many were left out."""

    def __init__(self, window: float = LOG_REPEAT_WINDOW) -> None:
        super().__init__()
        self.window = window
        self._seen: dict[tuple[str, object], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.msg)
        now = time.monotonic()
        with self._lock:
            since, dropped = self._seen.get(key, (float("-inf"), 0))
            if now - since < self.window:
                self._seen[key] = (since, dropped + 1)
                return False
            self._seen[key] = (now, 0)
            if len(self._seen) > 10_000:  # distinct messages are bounded too
                self._seen.clear()
        if dropped:
            record.msg = f"{record.msg}（此前 {self.window:g} 秒内另有 {dropped} 条同类消息）"
        return True


_FLOODED_LOGGERS = ("uvicorn.error", "asyncio", "specialist_tui.hub")


def _install_repeat_filter() -> None:
    for name in _FLOODED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RepeatFilter) for f in logger.filters):
            logger.addFilter(RepeatFilter())


def _guarded() -> dict[str, Any]:
    """uvicorn settings that bound what a client can hold; call in each serving process."""
    _install_repeat_filter()
    _Guard.max_connections = max(16, min(10_000, _file_limit() - _SPARE_FILES))
    return {
        "server_header": False,
        "log_config": LOG_CONFIG,  # uvicorn's lines in Chinese
        "http": GuardedHttpTools,  # the loop: uvloop where installed (uvicorn's "auto")
        "limit_concurrency": CONCURRENCY,
        "timeout_keep_alive": 5,
    }


def serve(
    db: str | Path,
    host: str,
    port: int,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    workers: int = 1,
    docs: bool = False,
    access_log: bool = True,
) -> None:
    """Serve until interrupted. Access logs hold method, path and status, never headers;
    without ``access_log`` only errors and the server's own messages are logged.

    With several workers every process opens its own pool on the same database; they share
    nothing else, so a token rotated by `hub token rotate` is refused by all of them at once.
    """
    if workers <= 1:
        app = create_hub_app(db, max_body=max_body, docs=docs)
        uvicorn.run(
            app, host=host, port=port, log_level="info", access_log=access_log, **_guarded()
        )
        return
    os.environ[_DB_ENV] = str(db)
    os.environ[_MAX_BODY_ENV] = str(max_body)
    os.environ[_DOCS_ENV] = "1" if docs else ""
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
        **_guarded(),
    )


def app_from_environment() -> HubApi:
    """The app of one worker process of `hub serve --workers N`."""
    _guarded()  # this process's log filter and connection cap
    return create_hub_app(
        os.environ[_DB_ENV],
        max_body=int(os.environ[_MAX_BODY_ENV]),
        docs=bool(os.environ.get(_DOCS_ENV)),
    )


@dataclass
class RunningHub:
    """A hub serving from a background thread; ``stop()`` shuts it down cleanly."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread
    app: HubApi

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.close()


def start_in_thread(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    docs: bool = False,
) -> RunningHub:
    """Start a hub on ``host`` (port 0: a free port) and return once it answers."""
    app = create_hub_app(db, max_body=max_body, docs=docs)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", **_guarded())
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the embedded hub did not start")
        time.sleep(0.01)
    return RunningHub(f"http://{host}:{bound_port}", server, thread, app)
