"""Running the hub under uvicorn: in the foreground (`hub serve`) or in a thread (demo, tests)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from specialist_tui.hub.app import DEFAULT_MAX_BODY, create_hub_app


def serve(db_path: Path, host: str, port: int, *, max_body: int = DEFAULT_MAX_BODY) -> None:
    """Serve until interrupted. Access logs hold method, path and status, never headers."""
    app = create_hub_app(db_path, max_body=max_body)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


@dataclass
class RunningHub:
    """A hub serving from a background thread; ``stop()`` shuts it down cleanly."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_in_thread(
    db_path: Path, host: str = "127.0.0.1", port: int = 0, *, max_body: int = DEFAULT_MAX_BODY
) -> RunningHub:
    """Start a hub on ``host`` (port 0: a free port) and return once it answers."""
    app = create_hub_app(db_path, max_body=max_body)
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
    return RunningHub(f"http://{host}:{bound_port}", server, thread)
