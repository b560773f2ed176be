"""Settings come from flags, then the environment, then the config file, then defaults."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from specialist_tui.cli import main
from specialist_tui.client.config import SettingsError, load_settings


def test_defaults(isolated_settings: Path, tmp_path: Path) -> None:
    settings = load_settings()
    # The per-user data folder (the fixture points XDG_DATA_HOME into tmp_path).
    assert settings.cache_dir == tmp_path / "home" / ".local" / "share" / "specialist-tui"
    assert settings.policy == "qinghai-2024"
    assert settings.today is None


def test_file_then_env_then_flags(isolated_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolated_settings.parent.mkdir(parents=True)
    isolated_settings.write_text(
        'policy = "national-2024"\ntoday = 2024-05-01\ncache_dir = "/tmp/from-file"\n',
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.policy == "national-2024" and settings.today == date(2024, 5, 1)
    monkeypatch.setenv("SPECIALIST_TUI_TODAY", "2024-06-01")
    assert load_settings().today == date(2024, 6, 1)
    flagged = load_settings({"today": date(2024, 7, 1), "cache_dir": Path("/tmp/flag")})
    assert flagged.today == date(2024, 7, 1) and flagged.cache_dir == Path("/tmp/flag")
    assert flagged.policy == "national-2024"


def test_bad_setting_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECIALIST_TUI_TODAY", "not-a-date")
    with pytest.raises(SettingsError, match="today") as caught:
        load_settings()
    assert "\n" not in str(caught.value)


def test_malformed_config_file_is_reported(isolated_settings: Path) -> None:
    isolated_settings.parent.mkdir(parents=True)
    isolated_settings.write_text("policy = = 1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="配置文件"):
        load_settings()


def test_config_path_prints_where_things_live(
    isolated_settings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "path", "--cache-dir", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert str(isolated_settings) in out
    assert str(tmp_path / "c" / "specialist.sqlite") in out


def test_malformed_policy_file_gives_one_line_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = Path(__file__).resolve().parent.parent / "specialist_tui/policies/qinghai-2024.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text(
        shipped.read_text(encoding="utf-8").replace("unpaid_days = 30", 'unpaid_days = "thirty"'),
        encoding="utf-8",
    )
    assert main(["policy", "--policy", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "purchasing.unpaid_days" in err and "\n" not in err


def test_missing_policy_file_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "--policy", "/nonexistent/p.toml"]) == 2
    assert "没有政策文件 /nonexistent/p.toml" in capsys.readouterr().err
