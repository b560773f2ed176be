"""The work log saves calls and tickets with their outbox rows and keeps units' facts current."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from specialist_tui.client.worklog import Worklog, WorklogError
from tests.worklog_data import NOW, TODAY, UNIT_A, UNIT_B, UNIT_C, make_worklog


@pytest.fixture
def worklog(tmp_path: Path) -> Worklog:
    return make_worklog(tmp_path)


def outbox(worklog: Worklog) -> list[dict[str, object]]:
    return worklog.service.cache.rows("SELECT kind, item_id, payload, pushed_at FROM outbox")


def stats(worklog: Worklog, code: str) -> dict[str, object]:
    return worklog.service.cache.rows("SELECT * FROM unit_stats WHERE code = ?", [code])[0]


def test_a_call_is_stored_with_its_outbox_row_and_refreshes_the_unit(worklog: Worklog) -> None:
    call = worklog.log_call(
        UNIT_A,
        "reached",
        ["filing"],
        contact_name="张伟",
        follow_up_on=TODAY + timedelta(days=3),
        follow_up_action="确认提交",
    )
    rows = worklog.service.cache.rows("SELECT * FROM calls")
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(call.id)
    assert row["started_at"] == "2024-06-30T10:30:00+08:00"
    assert row["contact_phone"] == "13909710001"  # taken from the unit's contact of that name
    assert json.loads(row["topics"]) == ["filing"]
    assert row["author"] == "sp-001"
    assert outbox(worklog) == [
        {"kind": "call", "item_id": str(call.id), "payload": "{}", "pushed_at": None}
    ]
    facts = stats(worklog, UNIT_A)
    assert facts["last_call_at"] == "2024-06-30T10:30:00+08:00"
    assert facts["next_follow_up"] == "2024-07-03"


def test_a_follow_up_due_today_raises_r14_and_a_later_call_settles_it(
    worklog: Worklog,
) -> None:
    earlier = NOW - timedelta(hours=2)
    worklog.log_call(
        UNIT_A, "callback_requested", ["filing"], follow_up_on=TODAY, started_at=earlier
    )
    assert "R14" in stats(worklog, UNIT_A)["flags"]  # type: ignore[operator]
    worklog.log_call(UNIT_A, "resolved", ["payment"])
    facts = stats(worklog, UNIT_A)
    assert facts["next_follow_up"] is None
    assert "R14" not in facts["flags"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"unit_code": "nope", "outcome": "reached"}, "unit_code"),
        ({"unit_code": UNIT_A, "outcome": "picked_up"}, "outcome"),
        ({"unit_code": UNIT_A, "outcome": "reached", "topics": ["gossip"]}, "topics"),
        ({"unit_code": UNIT_A, "outcome": "reached", "follow_up_on": "2024-13-01"}, "follow_up_on"),
        ({"unit_code": UNIT_A, "outcome": "reached", "follow_up_on": "2024-06-01"}, "follow_up_on"),
        ({"unit_code": UNIT_A, "outcome": "reached", "follow_up_action": "再打"}, "follow_up_on"),
        ({"unit_code": UNIT_A, "outcome": "reached", "contact_phone": "12"}, "contact_phone"),
        ({"unit_code": UNIT_A, "outcome": "reached", "duration_s": -5}, "duration_s"),
        ({"unit_code": UNIT_A, "outcome": "reached", "direction": "sideways"}, "direction"),
        # Neither a topic nor a note: the same rule as the call form's.
        ({"unit_code": UNIT_A, "outcome": "reached"}, "topics"),
        ({"unit_code": UNIT_A, "outcome": "no_answer", "notes": "  "}, "topics"),
    ],
)
def test_invalid_calls_name_the_field_and_write_nothing(
    worklog: Worklog, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(WorklogError) as caught:
        worklog.log_call(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert str(caught.value).startswith(field)
    assert worklog.service.cache.count("calls") == 0
    assert outbox(worklog) == []


def test_a_new_ticket_is_due_per_policy_and_queued_with_its_created_event(
    worklog: Worklog,
) -> None:
    ticket = worklog.open_ticket(UNIT_B, "payment", "订单未付款", priority="high")
    assert ticket.due_at == NOW + timedelta(hours=24)  # qinghai-2024: high = 24 h
    assert ticket.version == 1
    stored = worklog.service.cache.rows("SELECT * FROM tickets")[0]
    assert stored["due_at"] == "2024-07-01T10:30:00+08:00"
    events = worklog.service.cache.rows("SELECT * FROM ticket_events")
    assert [(e["kind"], e["to_status"], e["author"]) for e in events] == [
        ("created", "open", "sp-001")
    ]
    assert [(o["kind"], json.loads(str(o["payload"]))) for o in outbox(worklog)] == [
        ("ticket", {"base_version": 0}),
        ("ticket_event", {}),
    ]
    assert stats(worklog, UNIT_B)["active_tickets"] == 1


def test_status_changes_raise_the_version_and_record_events(worklog: Worklog) -> None:
    ticket = worklog.open_ticket(UNIT_A, "account", "无法登录")
    worklog.change_ticket_status(str(ticket.id), "in_progress")
    worklog.comment_ticket(str(ticket.id), "已联系平台客服")
    resolved = worklog.change_ticket_status(str(ticket.id), "resolved", "重置密码后可登录")
    assert resolved.version == 4
    view = worklog.ticket(str(ticket.id))
    assert view.ticket.status == "resolved"
    assert [(e.kind, e.from_status, e.to_status, e.comment) for e in view.events] == [
        ("created", None, "open", ""),
        ("status", "open", "in_progress", ""),
        ("comment", None, None, "已联系平台客服"),
        ("status", "in_progress", "resolved", "重置密码后可登录"),
    ]
    payloads = [json.loads(str(o["payload"])) for o in outbox(worklog) if o["kind"] == "ticket"]
    assert payloads == [{"base_version": v} for v in (0, 1, 2, 3)]
    assert stats(worklog, UNIT_A)["active_tickets"] == 0
    reopened = worklog.change_ticket_status(str(ticket.id), "open", "又不行了")
    assert reopened.version == 5
    assert stats(worklog, UNIT_A)["active_tickets"] == 1


def test_a_forbidden_transition_writes_nothing(worklog: Worklog) -> None:
    ticket = worklog.open_ticket(UNIT_A, "account", "无法登录")
    before = len(outbox(worklog))
    with pytest.raises(WorklogError) as caught:
        worklog.change_ticket_status(str(ticket.id), "closed")
    assert caught.value.field == "status"
    with pytest.raises(WorklogError):
        worklog.comment_ticket(str(ticket.id), "   ")
    assert len(outbox(worklog)) == before
    assert worklog.ticket(str(ticket.id)).ticket.version == 1


def test_invalid_tickets_name_the_field(worklog: Worklog) -> None:
    for kwargs, field in [
        ({"category": "weather", "subject": "x"}, "category"),
        ({"category": "account", "subject": "  "}, "subject"),
        ({"category": "account", "subject": "x", "priority": "asap"}, "priority"),
    ]:
        with pytest.raises(WorklogError) as caught:
            worklog.open_ticket(UNIT_A, **kwargs)
        assert caught.value.field == field
    assert worklog.service.cache.count("tickets") == 0
    assert outbox(worklog) == []


def test_the_queue_puts_overdue_first_then_due_time_then_priority(worklog: Worklog) -> None:
    low = worklog.open_ticket(UNIT_A, "other", "低优先级", priority="low")  # due in 7 days
    urgent = worklog.open_ticket(UNIT_B, "payment", "紧急", priority="urgent")  # due in 4 h
    normal = worklog.open_ticket(UNIT_C, "filing", "普通")  # due in 3 days
    # Tomorrow noon the urgent one (due 14:30 today) is overdue.
    worklog.clock = lambda: NOW + timedelta(days=1)
    worklog.service.settings.today = TODAY + timedelta(days=1)
    done = worklog.open_ticket(UNIT_C, "invoice", "已处理", priority="urgent")
    worklog.change_ticket_status(str(done.id), "resolved")
    queue = worklog.tickets_queue()
    assert [r.ticket.id for r in queue] == [urgent.id, normal.id, low.id]
    assert [r.overdue for r in queue] == [True, False, False]
    assert [r.ticket.id for r in worklog.tickets_queue(category="filing")] == [normal.id]
    assert [r.ticket.id for r in worklog.tickets_queue(status="resolved")] == [done.id]
    assert len(worklog.tickets()) == 4
    with pytest.raises(WorklogError):
        worklog.tickets_queue(status="finished")


def test_follow_ups_are_split_into_overdue_today_and_the_next_week(worklog: Worklog) -> None:
    earlier = NOW - timedelta(days=5)
    yesterday = TODAY - timedelta(days=1)
    worklog.log_call(UNIT_A, "reached", ["filing"], follow_up_on=yesterday, started_at=earlier)
    worklog.log_call(UNIT_B, "reached", ["filing"], follow_up_on=TODAY, started_at=earlier)
    worklog.log_call(
        UNIT_C, "reached", notes="谈了采购", follow_up_on=TODAY + timedelta(days=7),
        follow_up_action="回访",
    )  # fmt: skip
    follow = worklog.follow_ups()
    assert [r.code for r in follow.overdue] == [UNIT_A]
    assert [r.code for r in follow.due_today] == [UNIT_B]
    assert [(r.code, r.follow_up_action) for r in follow.upcoming] == [(UNIT_C, "回访")]
    # A call today without a follow-up settles the overdue one.
    worklog.log_call(UNIT_A, "resolved", ["filing"])
    assert worklog.follow_ups().overdue == ()
    before = worklog.follow_ups(date(2024, 6, 20))
    assert before.overdue == before.due_today == before.upcoming == ()


def test_a_promise_marked_done_leaves_the_follow_ups_and_waits_in_the_outbox(
    worklog: Worklog,
) -> None:
    earlier = NOW - timedelta(days=5)
    first = worklog.log_call(
        UNIT_A, "no_answer", ["filing"], follow_up_on=TODAY - timedelta(days=1), started_at=earlier
    )
    second = worklog.log_call(
        UNIT_A, "no_answer", ["filing"], follow_up_on=TODAY + timedelta(days=2), started_at=earlier
    )
    (row,) = worklog.follow_ups().overdue
    assert (row.call_id, row.open_promises) == (str(first.id), 2)
    mark = worklog.mark_follow_up_done(str(first.id)[:8])  # a prefix, as people copy it
    assert (mark.call_id, mark.unit_code, mark.author) == (first.id, UNIT_A, "sp-001")
    assert mark.at == NOW
    assert outbox(worklog)[-1] == {
        "kind": "follow_up_done", "item_id": str(mark.id), "payload": "{}", "pushed_at": None
    }  # fmt: skip
    follow = worklog.follow_ups()
    assert follow.overdue == () and [r.call_id for r in follow.upcoming] == [str(second.id)]
    assert "R14" not in stats(worklog, UNIT_A)["flags"]  # type: ignore[operator]
    # The unit's earliest open promise, as the unit screen's `d` marks it.
    worklog.mark_follow_up_done(unit_code=UNIT_A)
    assert worklog.follow_ups().upcoming == ()
    assert stats(worklog, UNIT_A)["next_follow_up"] is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("nope", "缓存中没有这次通话：nope"),
        ("ab", "请给出通话编号（至少前 4 位）"),
        ("plain", "这次通话没有约定跟进"),
        ("done", "这项跟进已于 2024-06-30 标记完成"),
        ("settled", "这项跟进已由 2024-06-30 的通话了结"),
    ],
)
def test_marking_a_promise_done_says_why_it_cannot(
    worklog: Worklog, call: str, message: str
) -> None:
    earlier = NOW - timedelta(days=5)
    calls = {
        "plain": worklog.log_call(UNIT_B, "reached", ["filing"], started_at=earlier),
        "done": worklog.log_call(
            UNIT_A, "no_answer", ["filing"], follow_up_on=TODAY, started_at=earlier
        ),
        "settled": worklog.log_call(
            UNIT_C, "busy", ["filing"], follow_up_on=TODAY, started_at=earlier
        ),
    }
    worklog.mark_follow_up_done(str(calls["done"].id))
    worklog.log_call(UNIT_C, "reached", ["filing"])
    with pytest.raises(WorklogError) as caught:
        worklog.mark_follow_up_done(str(calls[call].id) if call in calls else call)
    assert caught.value.errors == {"call_id": message}
    with pytest.raises(WorklogError) as caught:
        worklog.mark_follow_up_done(unit_code=UNIT_B)
    assert caught.value.errors["unit_code"].endswith("没有未完成的跟进约定")


def test_listings_show_what_is_not_pushed_yet(worklog: Worklog) -> None:
    first = worklog.log_call(UNIT_A, "reached", ["filing"], started_at=NOW - timedelta(days=3))
    second = worklog.log_call(UNIT_B, "busy", notes="占线")
    cache = worklog.service.cache
    seq = cache.rows("SELECT seq FROM outbox WHERE item_id = ?", [str(first.id)])[0]["seq"]
    cache.outbox_done([seq], "2024-06-30T11:00:00+08:00")
    rows = worklog.calls()
    assert [(r.call.id, r.pushed) for r in rows] == [(second.id, False), (first.id, True)]
    assert [r.call.id for r in worklog.calls(since=TODAY)] == [second.id]
    assert [r.call.id for r in worklog.calls(unit_code=UNIT_A)] == [first.id]


def test_a_pinned_day_keeps_the_wall_clock_time(tmp_path: Path) -> None:
    worklog = make_worklog(tmp_path)
    worklog.clock = lambda: NOW.replace(year=2026, month=1, day=2)
    assert worklog.now() == NOW


def test_the_author_falls_back_to_the_cache_user(tmp_path: Path) -> None:
    worklog = make_worklog(tmp_path, user="")
    worklog.service.cache.set_meta("user_id", "sp-042")
    assert worklog.log_call(UNIT_A, "reached", ["filing"]).author == "sp-042"
