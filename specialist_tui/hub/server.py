"""Running the hub under uvicorn: in the foreground (`hub serve`, one or several worker
processes) or in a thread (demo, tests)."""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from specialist_tui.hub.app import DEFAULT_MAX_BODY, create_hub_app

# How `hub serve --workers N` tells each worker process what to serve: uvicorn starts workers
# from an import string, so the settings travel in the environment.
_DB_ENV = "SPECIALIST_TUI_HUB_DB"
_MAX_BODY_ENV = "SPECIALIST_TUI_HUB_MAX_BODY"


def serve(
    db: str | Path, host: str, port: int, *, max_body: int = DEFAULT_MAX_BODY, workers: int = 1
) -> None:
    """Serve until interrupted. Access logs hold method, path and status, never headers.

    With several workers every process opens its own pool on the same database; they share
    nothing else, so a token rotated by `hub token rotate` is refused by all of them at once.
    """
    if workers <= 1:
        app = create_hub_app(db, max_body=max_body)
        uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
        return
    os.environ[_DB_ENV] = str(db)
    os.environ[_MAX_BODY_ENV] = str(max_body)
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        server_header=False,
    )


def app_from_environment() -> FastAPI:
    """The app of one worker process of `hub serve --workers N`."""
    return create_hub_app(os.environ[_DB_ENV], max_body=int(os.environ[_MAX_BODY_ENV]))


@dataclass
class RunningHub:
    """A hub serving from a background thread; ``stop()`` shuts it down cleanly."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread
    app: FastAPI

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.store.close()


def start_in_thread(
    db: str | Path, host: str = "127.0.0.1", port: int = 0, *, max_body: int = DEFAULT_MAX_BODY
) -> RunningHub:
    """Start a hub on ``host`` (port 0: a free port) and return once it answers."""
    app = create_hub_app(db, max_body=max_body)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", server_header=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the embedded hub did not start")
        time.sleep(0.01)
    return RunningHub(f"http://{host}:{bound_port}", server, thread, app)
