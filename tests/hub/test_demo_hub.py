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

    def fake_app(settings: Settings) -> int:
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
