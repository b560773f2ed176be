"""The core never imports the UI: domain, cache, sync, exports, importer, hub."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "specialist_tui"
CORE = [
    "domain", "cache", "hub", "importer", "sync.py", "exports.py", "demo", "service.py",
    "worklog.py",
]  # fmt: skip
NO_IO_IN_DOMAIN = {"sqlite3", "sqlite_utils", "httpx", "fastapi", "uvicorn", "openpyxl", "os"}


def _modules(entry: str) -> list[Path]:
    path = PACKAGE / entry
    if path.is_dir():
        return sorted(path.rglob("*.py"))
    return [path] if path.exists() else []


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("entry", CORE)
def test_core_does_not_import_textual(entry: str) -> None:
    offenders = [p.name for p in _modules(entry) if "textual" in _imported(p)]
    assert offenders == []


def test_domain_does_no_io() -> None:
    for path in _modules("domain"):
        assert _imported(path).isdisjoint(NO_IO_IN_DOMAIN), path.name


def test_sql_stays_in_the_cache_and_the_hub_store() -> None:
    allowed = {PACKAGE / "cache", PACKAGE / "hub"}
    for path in PACKAGE.rglob("*.py"):
        if any(parent in allowed for parent in path.parents):
            continue
        assert not {"sqlite3", "sqlite_utils"} & _imported(path), path.relative_to(PACKAGE)
