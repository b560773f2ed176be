"""Parsing pulled pages: the worker process agrees with the thread; errors stay one line."""

from __future__ import annotations

import json

import pytest

from specialist_tui.client.sync.protocol import (
    SyncError,
    _InThread,
    _parse,
    _ParseWorker,
    _peek_cursor,
)


def page(more: bool, name: str = "青海省区域服务中心") -> bytes:
    change = {
        "kind": "center",
        "key": "QH01",
        "op": "upsert",
        "record": {"code": "QH01", "name": name, "area_codes": ["QH0101"]},
    }
    gone = {"kind": "order", "key": "832000", "op": "delete", "record": None}
    body = {"changes": [change, gone], "next_cursor": "djE6Mg", "has_more": more}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def test_the_worker_parses_a_page_as_the_thread_does() -> None:
    with _ParseWorker() as worker, _InThread() as thread:
        for parser in (worker, thread):
            parser.submit(page(more=True))
        assert worker.result() == thread.result() == _parse(page(more=True))
    parsed = _parse(page(more=True))
    assert parsed.page.upserts["centers"][0]["area_codes"] == '["QH0101"]'  # storage form
    assert parsed.page.deletes == [("orders", "832000")]
    assert worker._process.returncode == 0  # it exited when its stdin closed


def test_a_record_the_client_cannot_take_is_skipped_with_its_reason() -> None:
    with _ParseWorker() as worker, _InThread() as thread:
        for parser in (worker, thread):
            parser.submit(page(more=False, name=""))
            parsed = parser.result()
            assert parsed.page.upserts == {}
            assert parsed.page.deletes == [("orders", "832000")]  # the rest of the page stays
            assert parsed.page.skipped == ["center QH01: center.record.name: " + _SHORT]
            assert parsed.cursor == "djE6Mg"  # and sync moves past it


_SHORT = "String should have at least 1 character"


def test_an_invalid_page_is_one_line_from_the_worker_too() -> None:
    broken = json.dumps({"changes": [], "has_more": False}).encode()
    with _ParseWorker() as worker:
        worker.submit(broken)
        with pytest.raises(SyncError, match=r"^同步中心返回的数据无效（next_cursor") as info:
            worker.result()
        worker.submit(page(more=False))  # and it goes on serving
        assert worker.result().cursor == "djE6Mg"
    assert "\n" not in str(info.value)


def test_the_next_cursor_is_peeked_only_when_more_pages_follow() -> None:
    assert _peek_cursor(page(more=True)) == "djE6Mg"
    assert _peek_cursor(page(more=False)) is None
    assert _peek_cursor(b"not json") is None
