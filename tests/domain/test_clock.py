"""One clock: every stored moment is shown in Beijing time, whatever zone wrote it."""

from __future__ import annotations

from datetime import timedelta

from specialist_tui.client.cache.storage_form import now_iso
from specialist_tui.client.service import SyncStatus
from specialist_tui.domain.clock import beijing, beijing_minute


def test_moments_written_in_other_zones_show_in_beijing_time() -> None:
    assert beijing_minute("2024-06-20T02:00:00+00:00") == "2024-06-20 10:00"
    assert beijing_minute("2024-06-20T20:30:00-04:00") == "2024-06-21 08:30"
    assert beijing_minute("2024-06-20T10:00:00+08:00") == "2024-06-20 10:00"
    assert beijing_minute("2024-06-20T10:00:00") == "2024-06-20 10:00"  # no offset: Beijing's
    assert beijing_minute(None) == beijing_minute("") == ""


def test_stamps_are_written_in_beijing_time() -> None:
    assert now_iso().endswith("+08:00")
    assert beijing(now_iso()).utcoffset() is not None


def test_the_sync_line_is_in_beijing_time() -> None:
    line = SyncStatus(last_sync_at="2024-06-30T01:05:00+00:00", pending=2, conflicts=0).line()
    assert line == "上次同步 2024-06-30 09:05 · 待推送 2"
    assert SyncStatus(None, 0, 0).line().startswith("上次同步 从未")


def test_a_moment_without_an_offset_is_taken_as_beijing_time() -> None:
    moment = beijing("2024-06-20T10:00:00")
    assert moment.utcoffset() == timedelta(hours=8)
    assert moment.isoformat() == "2024-06-20T10:00:00+08:00"


def test_unreadable_text_shows_its_first_minute() -> None:
    assert beijing_minute("2024-06-20T10:00 (本地时间)") == "2024-06-20 10:00"
