"""The cache follows the user: the per-user data folder, an old ./cache offered for moving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specialist_tui.cli import main


def _units(capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["units", "--view", "all", "--format", "json", *extra]) == 0
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows


def test_every_folder_sees_the_same_default_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--no-ui", "--units", "20"]) == 0
    default = tmp_path / "home" / ".local" / "share" / "specialist-tui" / "specialist.sqlite"
    assert default.is_file()
    first = _units(capsys)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert _units(capsys) == first and len(first) == 20
    assert not (elsewhere / "cache").exists()  # no stray ./cache made


def test_an_old_cache_is_offered_for_moving_never_abandoned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--no-ui", "--units", "15", "--cache-dir", "cache"]) == 0
    old = Path("cache/specialist.sqlite").resolve()
    capsys.readouterr()
    # Not silently replaced by an empty default: the command stops and says what to do.
    assert main(["units"]) == 2
    err = capsys.readouterr().err
    assert str(old) in err and "config move-cache" in err and "--cache-dir cache" in err
    assert err.count("\n") == 1
    default = tmp_path / "home" / ".local" / "share" / "specialist-tui" / "specialist.sqlite"
    assert not default.exists()
    assert main(["config", "path"]) == 0
    out = capsys.readouterr().out
    assert f"旧版缓存：{old}" in out and str(default) in out and "默认" in out
    # Flag, variable or config file choose the cache: nothing to offer then.
    assert len(_units(capsys, "--cache-dir", "cache")) == 15
    assert main(["config", "move-cache"]) == 0
    assert default.is_file() and not old.exists()
    assert len(_units(capsys)) == 15
    assert main(["config", "move-cache"]) == 1  # nothing left to move


def test_both_caches_present_gives_a_warning_and_uses_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--no-ui", "--units", "12"]) == 0
    assert main(["demo", "--no-ui", "--units", "7", "--cache-dir", "cache"]) == 0
    capsys.readouterr()
    rows = _units(capsys)
    assert len(rows) == 12
    assert main(["units", "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "旧版默认位置的缓存" in err


def test_move_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--no-ui", "--units", "12"]) == 0
    assert main(["demo", "--no-ui", "--units", "7", "--cache-dir", "cache"]) == 0
    capsys.readouterr()
    assert main(["config", "move-cache"]) == 2
    assert "已存在" in capsys.readouterr().err
    assert Path("cache/specialist.sqlite").is_file()


def test_on_a_terminal_the_move_is_asked_and_done(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    assert main(["demo", "--no-ui", "--units", "9", "--cache-dir", "cache"]) == 0
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "specialist_tui", "units", "--view", "all", "--format", "csv"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "COLUMNS": "200"},
    )
    os.close(slave)
    os.write(master, b"y\n")
    out, _ = process.communicate(timeout=120)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert process.returncode == 0, seen.decode(errors="replace")
    assert "移到".encode() in seen and "已移到".encode() in seen
    assert out.decode("utf-8").count("\n") == 10  # header + the 9 units, from the moved cache
    default = tmp_path / "home" / ".local" / "share" / "specialist-tui" / "specialist.sqlite"
    assert default.is_file() and not Path("cache/specialist.sqlite").exists()
