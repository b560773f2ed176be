"""Fixtures shared by every test: no test reads the user's real config or cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the config file into tmp_path and clear SPECIALIST_TUI_* from the environment."""
    import os

    for key in list(os.environ):
        if key.startswith("SPECIALIST_TUI_"):
            monkeypatch.delenv(key)
    config = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("SPECIALIST_TUI_CONFIG", str(config))
    yield config
