"""The domain layer is pure: importing it pulls in no UI, network or storage library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

FORBIDDEN = ("textual", "httpx", "sqlite_utils", "sqlite3", "_sqlite3")

SCRIPT = f"""
import importlib, pkgutil, sys
import specialist_tui.domain as domain
names = sorted(m.name for m in pkgutil.iter_modules(domain.__path__, "specialist_tui.domain."))
required = {{
    "specialist_tui.domain." + n
    for n in ("enums", "identifiers", "models", "money", "facts", "policy", "rules", "triage")
}}
missing = required - set(names)
assert not missing, missing
for name in names:
    importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r}))
assert not bad, bad
print(len(names))
"""


def test_domain_imports_no_ui_network_or_storage() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 8
