"""Fixtures shared by every test: no test reads or writes the user's real config, data or cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_settings(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point the config file, HOME and the XDG folders into tmp_path, and work from a fresh folder.

    The default cache lives in the per-user data folder (platformdirs reads HOME and XDG_*), and
    an old ``./cache`` in the working folder is offered for moving: a test sees neither the real
    ones nor the checkout's own ``cache/``. SPECIALIST_TUI_* variables are cleared.
    """
    import os

    for key in list(os.environ):
        if key.startswith("SPECIALIST_TUI_"):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    for variable, folder in (
        ("HOME", home),
        ("XDG_DATA_HOME", home / ".local" / "share"),
        ("XDG_CONFIG_HOME", home / ".config"),
        ("XDG_CACHE_HOME", home / ".cache"),
        ("XDG_STATE_HOME", home / ".local" / "state"),
    ):
        monkeypatch.setenv(variable, str(folder))
    # Beside tmp_path, not in it: tests count what they leave in tmp_path.
    monkeypatch.chdir(tmp_path_factory.mktemp("work"))
    config = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("SPECIALIST_TUI_CONFIG", str(config))
    yield config
