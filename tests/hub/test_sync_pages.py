"""Pulled pages: the hub's writer and the client's reader agree on the bytes; the worker process
parses as the thread does; errors stay one line."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest

from specialist_tui.client.sync import SyncError
from specialist_tui.client.sync.pages import InThread
from specialist_tui.client.sync.parse_worker import ParseWorker
from specialist_tui.client.sync.parsing import parse
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.models import Center, Order, Ticket
from specialist_tui.wire import (
    ChangesPage,
    FeedChange,
    UnitRecords,
    page_json,
    peek_next_cursor,
    records_json,
)


def page(more: bool, name: str = "青海省区域服务中心") -> bytes:
    center = Center(code="QH01", name="青海省区域服务中心", area_codes=["QH0101"]).model_dump()
    center["name"] = name  # may be invalid on purpose: the writer does not validate
    changes: list[FeedChange] = [
        ("center", "QH01", "upsert", json.dumps(center, ensure_ascii=False)),
        ("order", "832000", "delete", None),
    ]
    return page_json(changes, "djE6Mg", more)


def test_a_page_the_hub_writes_is_the_page_the_models_describe() -> None:
    unit_code = make_credit_code("11630100", "01234567")
    order = Order(
        id="832-2024-000000001",
        unit_code=unit_code,
        year=2024,
        placed_at=datetime(2024, 3, 1, 9, 30, tzinfo=BEIJING),
        amount=12_345,
        status="pending_payment",
        area_code="",
    )
    ticket = Ticket(
        id=uuid.UUID(int=7),
        unit_code=unit_code,
        category="account",
        subject="账号无法登录",
        created_at=datetime(2024, 3, 2, 10, tzinfo=BEIJING),
        updated_at=datetime(2024, 3, 2, 10, tzinfo=BEIJING),
        author="lead",
    )
    stored = [("order", order.id, order), ("ticket", str(ticket.id), ticket)]
    changes: list[FeedChange] = [(k, key, "upsert", r.model_dump_json()) for k, key, r in stored]
    changes.append(("unit", '单位:甲"', "delete", None))
    for more in (True, False):
        content = page_json(changes, "djE6MTIz", more)
        model = ChangesPage.model_validate_json(content)
        assert [c.record for c in model.changes] == [order, ticket, None]
        assert model.changes[2].key == '单位:甲"'
        assert (model.next_cursor, model.has_more) == ("djE6MTIz", more)
        # Declared once: the models write the very bytes the hub splices.
        assert model.model_dump_json().encode() == content
        assert peek_next_cursor(content) == ("djE6MTIz" if more else None)
        parsed = parse(content)
        assert (parsed.cursor, parsed.has_more) == ("djE6MTIz", more)
        assert [row["id"] for row in parsed.page.upserts["orders"]] == [order.id]
        assert parsed.page.deletes == [("units", '单位:甲"')]
    records = records_json(changes[:2])
    assert UnitRecords.model_validate_json(records).model_dump_json().encode() == records


def test_the_next_cursor_is_peeked_only_when_more_pages_follow() -> None:
    assert peek_next_cursor(page(more=True)) == "djE6Mg"
    assert peek_next_cursor(page(more=False)) is None
    assert peek_next_cursor(b"not json") is None
    assert peek_next_cursor(b'{"next_cursor":"djE6Mg"') is None  # cut short
    # Another layout is not guessed at: the reader then waits for the validated page.
    other = json.loads(page(more=True))
    assert peek_next_cursor(json.dumps(dict(reversed(other.items()))).encode()) is None


def test_the_worker_parses_a_page_as_the_thread_does() -> None:
    with ParseWorker() as worker, InThread() as thread:
        for parser in (worker, thread):
            parser.submit(page(more=True))
        assert worker.result() == thread.result() == parse(page(more=True))
    parsed = parse(page(more=True))
    assert parsed.page.upserts["centers"][0]["area_codes"] == '["QH0101"]'  # storage form
    assert parsed.page.deletes == [("orders", "832000")]
    assert worker.returncode == 0  # it exited when its stdin closed


def test_a_record_the_client_cannot_take_is_skipped_with_its_reason() -> None:
    with ParseWorker() as worker, InThread() as thread:
        for parser in (worker, thread):
            parser.submit(page(more=False, name=""))
            parsed = parser.result()
            assert parsed.page.upserts == {}
            assert parsed.page.deletes == [("orders", "832000")]  # the rest of the page stays
            assert parsed.page.skipped == [
                "center QH01: center.record.name：String should have at least 1 character"
            ]
            assert parsed.cursor == "djE6Mg"  # and sync moves past it


def test_an_invalid_page_is_one_line_from_the_worker_too() -> None:
    broken = json.dumps({"changes": [], "has_more": False}).encode()
    with ParseWorker() as worker:
        worker.submit(broken)
        with pytest.raises(SyncError, match=r"^同步中心返回的数据无效（next_cursor") as info:
            worker.result()
        worker.submit(page(more=False))  # and it goes on serving
        assert worker.result().cursor == "djE6Mg"
    assert "\n" not in str(info.value)
