"""`specialist-tui demo` without --no-ui: an embedded hub, a sync, then the app on the result."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import specialist_tui.app
from specialist_tui.cli import main
from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings


def test_demo_serves_syncs_and_opens_the_app_on_the_hub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, object] = {}

    def fake_app(settings: Settings, later: str = "") -> int:
        # The app would run now: the hub answers, and the cache holds what it sent.
        assert settings.hub_url and settings.token is not None
        token = settings.token.get_secret_value()
        me = httpx.get(
            f"{settings.hub_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
        ).json()
        cache = Cache.open(settings.cache_dir)
        seen.update(me=me, units=cache.count("units"), stats=cache.count("unit_stats"))
        seen.update(url=settings.hub_url, outbox=cache.outbox_count())
        cache.close()
        return 0

    monkeypatch.setattr(specialist_tui.app, "run_app", fake_app)
    assert main(["demo", "--units", "150", "--cache-dir", str(tmp_path / "c")]) == 0
    assert seen["me"]["specialist_id"] == "sp-01"  # type: ignore[index]
    assert 0 < seen["units"] == seen["stats"]  # type: ignore[operator]
    assert "同步完成" in capsys.readouterr().err
    with pytest.raises(httpx.TransportError):  # the hub stops with the app
        httpx.get(f"{seen['url']}/healthz", timeout=1)
    # The user's config file never learnt about the embedded hub.
    assert not (tmp_path / "config" / "config.toml").exists()


def test_calls_left_unpushed_by_a_demo_go_to_the_next_demos_hub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from specialist_tui.client.service import Service
    from specialist_tui.client.worklog import Worklog

    cache_dir = tmp_path / "c"
    pushed_to_hub: list[int] = []

    def log_a_call_and_quit(settings: Settings, later: str = "") -> int:
        # The user logs a call and quits before any sync: it waits in the outbox.
        service = Service(settings.model_copy(update={"hub_url": None}))
        code = service.view_rows("all", limit=1)[0].code
        Worklog(service).log_call(code, "reached", ["filing"], notes="演示中的通话")
        assert service.cache.outbox_count() == 1
        service.close()
        return 0

    def count_on_hub(settings: Settings, later: str = "") -> int:
        # The new cache was pulled from the new hub: the call came back from it.
        cache = Cache.open(settings.cache_dir)
        rows = cache.rows("SELECT id FROM calls WHERE notes = '演示中的通话'")
        pushed_to_hub.append(len(rows))
        assert cache.outbox_count() == 0
        cache.close()
        return 0

    monkeypatch.setattr(specialist_tui.app, "run_app", log_a_call_and_quit)
    assert main(["demo", "--units", "150", "--cache-dir", str(cache_dir)]) == 0
    # The no-UI demo says the call is safe and how to go on, instead of a dead end.
    assert main(["demo", "--units", "150", "--no-ui", "--cache-dir", str(cache_dir)]) == 2
    said = capsys.readouterr().err
    assert "1 条通话/工单尚未推送，已安全保存" in said and "specialist-tui demo" in said
    monkeypatch.setattr(specialist_tui.app, "run_app", count_on_hub)
    assert main(["demo", "--units", "150", "--cache-dir", str(cache_dir)]) == 0
    assert "上次演示未推送的 1 条通话/工单已推送到演示中心" in capsys.readouterr().err
    assert pushed_to_hub == [1]
