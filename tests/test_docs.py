"""Every fenced shell example in README.md and docs/*.md runs as written.

Each document's ```sh blocks run in order as one bash script (`set -euo pipefail`) in a fresh
folder, with HOME, the XDG folders and the config file inside it, so a walk-through can go on
from block to block and nothing outside is touched. Conventions, also in the README's
Development section:
- a block right after the line `<!-- not run: REASON -->` is shown but not run (installing
  packages, opening the app, the developer's own loop);
- `specialist-tui hub serve` runs in the background on a free loopback port (never 0.0.0.0),
  and the documented hub address (`http://10.0.0.5:8832`) points at it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\S*)\s*$")
NOT_RUN = re.compile(r"^<!-- not run: .+ -->$")
DOC_HUB = "http://10.0.0.5:8832"


def shell_blocks(path: Path) -> list[tuple[int, str, bool]]:
    """(line number, text, runs) of each ```sh block of a document."""
    blocks = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        if opening.group(1) in ("sh", "bash", "shell"):
            skipped = i > 0 and NOT_RUN.match(lines[i - 1].strip()) is not None
            blocks.append((i + 1, "\n".join(lines[i + 1 : end]), not skipped))
        i = end + 1
    return blocks


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_script(blocks: list[tuple[int, str, bool]], name: str, port: int) -> str:
    """The runnable blocks as one script that says which block it is in."""
    wait = (
        f"{sys.executable} -c 'import time, httpx\n"
        "for _ in range(300):\n"
        "    try:\n"
        f'        httpx.get("http://127.0.0.1:{port}/healthz"); break\n'
        "    except httpx.HTTPError: time.sleep(0.1)'"
    )
    parts = ["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for line_no, text, runs in blocks:
        if not runs:
            continue
        parts.append(f'echo "== {name}:{line_no}" >&2')
        for line in text.splitlines():
            line = line.replace(DOC_HUB, f"http://127.0.0.1:{port}")
            if line.startswith("specialist-tui hub serve"):
                line = line.replace("--host 0.0.0.0", "--host 127.0.0.1")
                line = line.replace("--port 8832", f"--port {port}")
                line = f"{line} > hub-serve.log 2>&1 &\n{wait}"
            parts.append(line)
    return "\n".join(parts) + "\n"


def test_every_document_has_its_examples_found() -> None:
    assert [p.name for p in DOCUMENTS][:1] == ["README.md"]
    runnable = sum(runs for doc in DOCUMENTS for _, _, runs in shell_blocks(doc))
    skipped = sum(not runs for doc in DOCUMENTS for _, _, runs in shell_blocks(doc))
    # Skipped: installing packages, the developer's loop, and three that need PostgreSQL.
    assert runnable >= 5 and skipped <= 5, (runnable, skipped)


@pytest.mark.parametrize("document", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_shell_examples_run_as_written(document: Path, tmp_path: Path) -> None:
    blocks = shell_blocks(document)
    if not any(runs for _, _, runs in blocks):
        pytest.skip(f"{document.name} has no shell example to run")
    work = tmp_path / "work"
    home = tmp_path / "home"
    work.mkdir()
    script = as_script(blocks, document.name, _free_port())
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "SPECIALIST_TUI_CONFIG": str(home / ".config" / "specialist-tui" / "config.toml"),
        # The examples' `specialist-tui` and `python` are this environment's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    done = subprocess.run(
        ["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    where = [line for line in done.stderr.splitlines() if line.startswith("== ")]
    assert done.returncode == 0, (
        f"{where[-1] if where else document.name} failed (exit {done.returncode}):\n"
        f"{done.stderr[-3000:]}"
    )
    assert "Traceback" not in done.stderr
