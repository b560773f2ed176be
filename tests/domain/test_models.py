"""The pydantic records: valid data builds, invalid data names the field that is wrong."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from specialist_tui.domain.enums import (
    CallDirection,
    CallOutcome,
    CallTopic,
    CanteenMode,
    ContactRole,
    EventKind,
    FilingStatus,
    Labelled,
    LetterStatus,
    Level,
    OrderPart,
    OrderStatus,
    Role,
    Severity,
    TicketCategory,
    TicketEventKind,
    TicketPriority,
    TicketStatus,
    UnionMode,
)
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    credit_code_problem,
    is_division_code,
    normalise_phone,
    org_code_check_char,
)
from specialist_tui.domain.models import (
    TICKET_TRANSITIONS,
    Call,
    Center,
    Contact,
    Filing,
    Order,
    Specialist,
    Ticket,
    TicketEvent,
    Unit,
    can_move,
)


def make_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


# A Qinghai provincial-level public institution ("1" + "1" + 630000 + org code), built with
# the check character the function computes.
UNIT = make_code("11630000MB1679617")
SUPERVISOR = make_code("11630000010100018")
OTHER = make_code("12632100MB1512347")

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=BEIJING)


def errors_for(exc: ValidationError, field: str) -> list[dict[str, Any]]:
    """The errors of ``exc`` whose location or message names ``field``."""
    return [e for e in exc.errors() if field in e["loc"] or field in e["msg"]]


def assert_invalid(model: type[BaseModel], data: dict[str, Any], field: str) -> str:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    named = errors_for(info.value, field)
    assert named, info.value.errors()
    return " ".join(e["msg"] for e in named)


# --- valid construction -------------------------------------------------------------------


def unit_data(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": UNIT,
        "name": "青海省教育厅",
        "supervisor_code": SUPERVISOR,
        "supervisor_name": "青海省人民政府",
        "level": "provincial",
        "division_code": "630000",
        "area_code": "QH01",
        "specialist_id": "sp-1",
        "contacts": [{"name": "王会计", "role": "finance", "phone": "13800138000"}],
        "staff_count": 120,
    }
    data.update(kw)
    return data


def filing_data(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit_code": UNIT,
        "year": 2024,
        "status": "submitted",
        "canteen_mode": "own",
        "union_mode": "independent",
        "submitted_at": T0,
        "confirmed_at": T0 + timedelta(days=1),
        "canteen_total": 1_000_000,
        "canteen_reserved": 150_000,
        "union_total": 200_000,
        "union_reserved": 30_000,
    }
    data.update(kw)
    return data


def order_data(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "832-0001",
        "unit_code": UNIT,
        "year": 2024,
        "placed_at": T0,
        "amount": 12_345,
        "part": "union",
        "area_code": "QH01",
        "status": "completed",
        "paid_at": T0 + timedelta(hours=1),
        "received_at": T0 + timedelta(days=2),
        "completed_at": T0 + timedelta(days=3),
    }
    data.update(kw)
    return data


def call_data(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit_code": UNIT,
        "contact_name": "王会计",
        "contact_phone": "0971-6123456",
        "direction": "out",
        "started_at": T0,
        "ended_at": T0 + timedelta(minutes=5),
        "topics": ["filing", "ratio"],
        "outcome": "callback_requested",
        "notes": "下周一回电确认预留金额",
        "follow_up_on": date(2024, 3, 4),
        "follow_up_action": "回电",
        "author": "sp-1",
    }
    data.update(kw)
    return data


def ticket_data(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit_code": UNIT,
        "order_id": "832-0001",
        "category": "delivery",
        "priority": "high",
        "subject": "订单未送达",
        "created_at": T0,
        "due_at": T0 + timedelta(hours=24),
    }
    data.update(kw)
    return data


def test_center() -> None:
    center = Center(code="QH", name="青海区域服务中心", area_codes=["QH01", "QH02"])
    assert center.area_codes == ["QH01", "QH02"]
    assert Center(code="QH", name="x").area_codes == []


def test_specialist() -> None:
    sp = Specialist.model_validate(
        {"id": "sp-1", "name": "李专员", "phone": "138 0013 8000", "center_code": "QH"}
    )
    assert sp.phone == "13800138000"
    assert sp.role is Role.SPECIALIST
    lead = Specialist(id="lead", name="张主管", center_code="QH", role=Role.LEAD)
    assert lead.phone is None


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("0971-6123456", "0971-6123456"),
        ("(0971)6123456", "09716123456"),
        ("010-12345678", "010-12345678"),
        ("400-123-4567", "400-123-4567"),
    ],
)
def test_contact_phones(raw: str, normal: str) -> None:
    contact = Contact.model_validate({"name": "王会计", "role": "finance", "phone": raw})
    assert contact.phone == normal
    assert contact.role is ContactRole.FINANCE


def test_unit() -> None:
    unit = Unit.model_validate(unit_data())
    assert unit.level is Level.PROVINCIAL
    assert unit.contacts[0].role is ContactRole.FINANCE
    assert unit.staff_count == 120


def test_unit_code_is_trimmed_and_upper_cased() -> None:
    unit = Unit.model_validate(unit_data(code=f"  {UNIT.lower()} "))
    assert unit.code == UNIT


def test_filing() -> None:
    filing = Filing.model_validate(filing_data())
    assert filing.status is FilingStatus.SUBMITTED
    assert filing.canteen_mode is CanteenMode.OWN
    assert filing.union_mode is UnionMode.INDEPENDENT
    assert filing.no_canteen_letter is LetterStatus.NOT_REQUIRED
    minimal = Filing(unit_code=UNIT, year=2024)
    assert minimal.status is FilingStatus.NOT_STARTED
    assert minimal.canteen_total == minimal.canteen_reserved == 0


def test_filing_reserved_equal_to_total_is_allowed() -> None:
    filing = Filing.model_validate(filing_data(canteen_reserved=1_000_000, union_reserved=200_000))
    assert filing.canteen_reserved == filing.canteen_total


def test_order() -> None:
    order = Order.model_validate(order_data())
    assert order.part is OrderPart.UNION
    assert order.status is OrderStatus.COMPLETED
    same_moment = Order.model_validate(order_data(completed_at=T0, paid_at=None, received_at=None))
    assert same_moment.completed_at == same_moment.placed_at


def test_call() -> None:
    call = Call.model_validate(call_data())
    assert isinstance(call.id, uuid.UUID)
    assert call.topics == [CallTopic.FILING, CallTopic.RATIO]
    assert call.outcome is CallOutcome.CALLBACK_REQUESTED
    assert call.direction is CallDirection.OUT
    assert call.duration_s == 300  # derived from ended_at


def test_call_keeps_an_explicit_duration_and_makes_distinct_ids() -> None:
    call = Call.model_validate(call_data(duration_s=42))
    assert call.duration_s == 42
    assert Call.model_validate(call_data()).id != Call.model_validate(call_data()).id


def test_call_follow_up_same_day_is_allowed() -> None:
    assert Call.model_validate(call_data(follow_up_on=date(2024, 3, 1))).follow_up_on == T0.date()


def test_ticket_and_events() -> None:
    ticket = Ticket.model_validate(ticket_data())
    assert ticket.status is TicketStatus.OPEN
    assert ticket.priority is TicketPriority.HIGH
    assert ticket.category is TicketCategory.DELIVERY
    assert ticket.version == 1
    created = TicketEvent(ticket_id=ticket.id, at=T0, kind=TicketEventKind.CREATED)
    moved = TicketEvent.model_validate(
        {
            "ticket_id": str(ticket.id),
            "at": T0 + timedelta(hours=1),
            "kind": "status",
            "from_status": "open",
            "to_status": "in_progress",
            "author": "sp-1",
        }
    )
    with_events = Ticket.model_validate(
        ticket_data(events=[created.model_dump(), moved.model_dump()])
    )
    assert [e.kind for e in with_events.events] == [TicketEventKind.CREATED, TicketEventKind.STATUS]
    assert with_events.events[1].to_status is TicketStatus.IN_PROGRESS


def test_models_round_trip_through_json() -> None:
    for model, data in [
        (Unit, unit_data()),
        (Filing, filing_data()),
        (Order, order_data()),
        (Call, call_data()),
        (Ticket, ticket_data()),
    ]:
        record = model.model_validate(data)
        assert model.model_validate_json(record.model_dump_json()) == record


# --- invalid data names the field -----------------------------------------------------------


def test_negative_amount() -> None:
    assert_invalid(Filing, filing_data(canteen_total=-1), "canteen_total")
    assert_invalid(Filing, filing_data(union_reserved=-1), "union_reserved")
    assert_invalid(Order, order_data(amount=-1), "amount")


def test_canteen_reserved_above_total() -> None:
    msg = assert_invalid(Filing, filing_data(canteen_reserved=1_000_001), "canteen_reserved")
    assert "canteen_total" in msg


def test_union_reserved_above_total() -> None:
    msg = assert_invalid(Filing, filing_data(union_reserved=200_001), "union_reserved")
    assert "union_total" in msg


def test_reserved_with_default_total_of_zero() -> None:
    assert_invalid(
        Filing, {"unit_code": UNIT, "year": 2024, "canteen_reserved": 1}, "canteen_reserved"
    )


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (Filing, filing_data(status="filed"), "status"),
        (Filing, filing_data(canteen_mode="catering"), "canteen_mode"),
        (Filing, filing_data(no_canteen_letter="lost"), "no_canteen_letter"),
        (Order, order_data(status="delivered"), "status"),
        (Order, order_data(part="family"), "part"),
        (Unit, unit_data(level="national"), "level"),
        (Call, call_data(outcome="hung_up"), "outcome"),
        (Call, call_data(topics=["filing", "gossip"]), "topics"),
        (Ticket, ticket_data(priority="asap"), "priority"),
        (Ticket, ticket_data(category="billing"), "category"),
        (Ticket, ticket_data(status="done"), "status"),
        (Specialist, {"id": "x", "name": "x", "center_code": "QH", "role": "boss"}, "role"),
    ],
)
def test_unknown_enum_value(model: type[BaseModel], data: dict[str, Any], field: str) -> None:
    assert_invalid(model, data, field)


def test_unknown_field_is_rejected() -> None:
    assert_invalid(Filing, filing_data(canteen_ratio=0.15), "canteen_ratio")


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (UNIT[:-1], "18 位"),
        (UNIT + "0", "18 位"),
        ("11630000IB1679617B", "不允许的字符"),
        ("11630000OB1679617B", "不允许的字符"),
        ("116300A0MB1679617B", "不允许的字符"),  # characters 3–8 are a division code
        (UNIT[:-1] + ("0" if UNIT[-1] != "0" else "1"), "校验位"),
    ],
)
def test_malformed_credit_code(code: str, why: str) -> None:
    msg = assert_invalid(Unit, unit_data(code=code), "code")
    assert why in msg
    assert_invalid(Filing, filing_data(unit_code=code), "unit_code")
    assert_invalid(Unit, unit_data(supervisor_code=code), "supervisor_code")


@pytest.mark.parametrize("phone", ["12345", "12800138000", "1380013800", "138001380001", "abc"])
def test_malformed_phone(phone: str) -> None:
    msg = assert_invalid(Contact, {"name": "王", "role": "head", "phone": phone}, "phone")
    assert "电话号码格式不正确" in msg
    assert_invalid(Call, call_data(contact_phone=phone), "contact_phone")


def test_malformed_division_code() -> None:
    assert_invalid(Unit, unit_data(division_code="63000"), "division_code")
    assert_invalid(Unit, unit_data(division_code="930000"), "division_code")


def test_call_ends_before_start() -> None:
    msg = assert_invalid(Call, call_data(ended_at=T0 - timedelta(seconds=1)), "ended_at")
    assert "started_at" in msg


def test_call_follow_up_before_call_day() -> None:
    assert_invalid(Call, call_data(follow_up_on=date(2024, 2, 29)), "follow_up_on")


def test_call_follow_up_compares_with_the_beijing_date() -> None:
    # 20:00 UTC on 1 March is 04:00 on 2 March in Beijing: a follow-up on 1 March is in the past.
    started = datetime(2024, 3, 1, 20, 0, tzinfo=UTC)
    data = call_data(started_at=started, ended_at=None, follow_up_on=date(2024, 3, 1))
    assert_invalid(Call, data, "follow_up_on")


@pytest.mark.parametrize("field", ["completed_at", "paid_at", "received_at"])
def test_order_step_before_placed(field: str) -> None:
    msg = assert_invalid(Order, order_data(**{field: T0 - timedelta(minutes=1)}), field)
    assert "placed_at" in msg


def test_filing_confirmed_before_submitted() -> None:
    data = filing_data(confirmed_at=T0 - timedelta(hours=1))
    msg = assert_invalid(Filing, data, "confirmed_at")
    assert "submitted_at" in msg


def test_ticket_due_before_created() -> None:
    msg = assert_invalid(Ticket, ticket_data(due_at=T0 - timedelta(hours=1)), "due_at")
    assert "created_at" in msg


def test_status_event_needs_a_target() -> None:
    data = {"ticket_id": str(uuid.uuid4()), "at": T0, "kind": "status"}
    assert_invalid(TicketEvent, data, "to_status")


def test_other_field_limits() -> None:
    assert_invalid(Filing, filing_data(year=2018), "year")
    assert_invalid(Ticket, ticket_data(subject=""), "subject")
    assert_invalid(Ticket, ticket_data(version=0), "version")
    assert_invalid(Unit, unit_data(staff_count=-1), "staff_count")
    assert_invalid(Unit, unit_data(name="   "), "name")  # stripped to empty
    assert_invalid(Call, call_data(duration_s=-1), "duration_s")


# --- times ----------------------------------------------------------------------------------


def test_naive_datetimes_are_beijing_time() -> None:
    naive = datetime(2024, 3, 1, 9, 30)
    order = Order.model_validate(order_data(placed_at=naive, paid_at=None, received_at=None))
    assert order.placed_at.utcoffset() == timedelta(hours=8)
    assert order.placed_at.replace(tzinfo=None) == naive
    call = Call.model_validate(call_data(started_at=naive, ended_at=None))
    assert call.started_at.utcoffset() == timedelta(hours=8)
    assert call.started_at.isoformat().endswith("+08:00")


def test_aware_datetimes_are_converted_not_relabelled() -> None:
    utc = datetime(2024, 3, 1, 1, 30, tzinfo=UTC)
    ticket = Ticket.model_validate(ticket_data(created_at=utc, due_at=None))
    assert ticket.created_at == utc  # the same instant
    assert ticket.created_at.hour == 9
    assert ticket.created_at.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("moment", "kept"),
    [
        ("2000-01-01T00:00:00+08:00", "2000-01-01T00:00:00+08:00"),
        ("1999-12-31T16:00:00Z", "2000-01-01T00:00:00+08:00"),  # the same instant
        ("1999-12-31T23:59:59+08:00", None),
        ("2100-12-31T23:59:59+08:00", "2100-12-31T23:59:59+08:00"),
        ("2100-12-31T15:59:59Z", "2100-12-31T23:59:59+08:00"),
        ("2100-12-31T16:00:00Z", None),
        ("2101-01-01T00:00:00", None),
        # Converting these to Beijing time overflows Python's datetime: still one message.
        ("9999-12-31T23:59:59-12:00", None),
        ("0001-01-01T00:00:00+14:00", None),
    ],
)
def test_moments_are_bounded_by_the_instant(moment: str, kept: str | None) -> None:
    data = ticket_data(created_at=moment, due_at=None)
    if kept is None:
        with pytest.raises(ValidationError, match="时间超出范围"):
            Ticket.model_validate(data)
    else:
        assert Ticket.model_validate(data).created_at.isoformat() == kept


def test_iso_strings_with_and_without_offset() -> None:
    a = Filing.model_validate(
        filing_data(submitted_at="2024-02-19T10:00:00", confirmed_at="2024-02-19T02:00:00Z")
    )
    assert a.submitted_at is not None and a.confirmed_at is not None
    assert a.submitted_at.utcoffset() == timedelta(hours=8)
    assert a.confirmed_at == a.submitted_at  # 02:00Z is 10:00 in Beijing


def test_mixed_naive_and_aware_are_compared_as_instants() -> None:
    # A naive 09:00 (Beijing) is after 00:30 UTC (08:30 Beijing): valid.
    order = Order.model_validate(
        order_data(
            placed_at=datetime(2024, 3, 1, 0, 30, tzinfo=UTC),
            paid_at=datetime(2024, 3, 1, 9, 0),
            received_at=None,
            completed_at=None,
        )
    )
    assert order.paid_at is not None and order.paid_at > order.placed_at
    assert_invalid(
        Order,
        order_data(
            placed_at=datetime(2024, 3, 1, 1, 30, tzinfo=UTC),  # 09:30 Beijing
            paid_at=datetime(2024, 3, 1, 9, 0),
            received_at=None,
            completed_at=None,
        ),
        "paid_at",
    )


# --- enums ----------------------------------------------------------------------------------


def all_enums() -> list[type[Labelled]]:
    return [
        Role,
        Level,
        ContactRole,
        FilingStatus,
        CanteenMode,
        UnionMode,
        LetterStatus,
        OrderPart,
        OrderStatus,
        CallDirection,
        CallTopic,
        CallOutcome,
        TicketCategory,
        TicketPriority,
        TicketStatus,
        TicketEventKind,
        Severity,
        EventKind,
    ]


def test_labelled_subclasses_are_all_covered() -> None:
    assert set(Labelled.__subclasses__()) == set(all_enums())


@pytest.mark.parametrize("enum", all_enums(), ids=lambda e: e.__name__)
def test_every_member_has_a_unique_chinese_label(enum: type[Labelled]) -> None:
    labels = [member.label for member in enum]
    assert len(set(labels)) == len(labels)
    for member in enum:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in member.label), member
        assert enum.from_label(member.label) is member
        assert enum.from_label(member.value) is member


@pytest.mark.parametrize(
    ("member", "label"),
    [
        (FilingStatus.NOT_STARTED, "未填报"),
        (FilingStatus.CONFIRMED, "已确认"),
        (FilingStatus.RETURNED, "已退回"),
        (CanteenMode.OUTSOURCED, "食堂外包"),
        (CanteenMode.NONE, "无食堂"),
        (UnionMode.INDEPENDENT, "有独立工会经费"),
        (Level.PROVINCIAL, "省本级"),
        (Level.PREFECTURE, "市州"),
        (Level.COUNTY, "县区"),
        (OrderStatus.PENDING_PAYMENT, "待付款"),
        (OrderStatus.COMPLETED, "已完结"),
        (ContactRole.FINANCE, "财务"),
        (TicketPriority.URGENT, "紧急"),
        (TicketStatus.WAITING, "等待回复"),
        (Severity.LOW, "提示"),
        (Severity.MEDIUM, "注意"),
        (Role.LEAD, "中心负责人"),
    ],
)
def test_known_labels(member: Labelled, label: str) -> None:
    assert member.label == label
    assert type(member).from_label(label) is member


def test_from_label_rejects_unknown_and_other_enums_labels() -> None:
    with pytest.raises(ValueError) as refused:
        FilingStatus.from_label("已完结")  # an OrderStatus label
    assert str(refused.value) == "未知的取值 '已完结'（可用：未填报、草稿、已提交、已确认、已退回）"
    with pytest.raises(ValueError):
        OrderStatus.from_label("完成")


def test_enum_predicates() -> None:
    assert {s for s in FilingStatus if s.is_filed} == {
        FilingStatus.SUBMITTED,
        FilingStatus.CONFIRMED,
    }
    assert {s for s in OrderStatus if s.is_void} == {OrderStatus.CANCELLED, OrderStatus.REFUNDED}
    assert {s for s in TicketStatus if not s.is_active} == {
        TicketStatus.RESOLVED,
        TicketStatus.CLOSED,
    }
    weights = [s.weight for s in (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)]
    assert weights == sorted(weights)
    assert len(set(weights)) == 4


# --- credit codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the worked example of GB 32100-2015
        "91440300708461136T",
        "91330100799655058B",
    ],
)
def test_published_credit_codes_are_valid(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    assert credit_code_problem(code) is None
    # Characters 9–17 are an organisation code with its own GB 11714 check character.
    assert org_code_check_char(code[8:16]) == code[16]


def test_the_briefs_example_code_has_a_wrong_check_char() -> None:
    # "11630000MB1679617T" was offered as a real code; its check character should be B.
    assert credit_code_problem("11630000MB1679617T") == "统一社会信用代码校验位不正确"
    assert credit_code_check_char("11630000MB1679617") == "B"


@pytest.mark.parametrize("code", [UNIT, SUPERVISOR, OTHER, "91350100M000100Y43"])
def test_every_single_character_change_is_caught(code: str) -> None:
    assert credit_code_problem(code) is None
    for position in range(18):
        for ch in CREDIT_CODE_ALPHABET:
            if ch == code[position]:
                continue
            mutated = code[:position] + ch + code[position + 1 :]
            assert credit_code_problem(mutated) is not None, mutated


def test_check_char_is_from_the_alphabet_and_covers_it() -> None:
    seen = {credit_code_check_char(f"916300007{n:08d}") for n in range(2000)}
    assert seen == set(CREDIT_CODE_ALPHABET)


def test_division_codes() -> None:
    assert is_division_code("630000")
    assert is_division_code("632123")
    assert not is_division_code("063000")
    assert not is_division_code("63000a")
    assert not is_division_code("6300000")


def test_normalise_phone_rejects_with_the_number() -> None:
    with pytest.raises(ValueError, match="12345"):
        normalise_phone("12345")


# --- ticket transitions ---------------------------------------------------------------------

S = TicketStatus
ALLOWED = {
    (S.OPEN, S.IN_PROGRESS),
    (S.OPEN, S.WAITING),
    (S.OPEN, S.RESOLVED),
    (S.IN_PROGRESS, S.WAITING),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.OPEN),
    (S.WAITING, S.IN_PROGRESS),
    (S.WAITING, S.RESOLVED),
    (S.WAITING, S.OPEN),
    (S.RESOLVED, S.CLOSED),
    (S.RESOLVED, S.OPEN),  # reopen
    (S.CLOSED, S.OPEN),  # reopen
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_can_move(current: TicketStatus, target: TicketStatus) -> None:
    assert can_move(current, target) is ((current, target) in ALLOWED)


def test_every_status_can_be_left_and_reopened() -> None:
    assert set(TICKET_TRANSITIONS) == set(S)
    for status in S:
        assert TICKET_TRANSITIONS[status], status
        assert not can_move(status, status)
    assert can_move(S.CLOSED, S.OPEN)
    assert not can_move(S.CLOSED, S.IN_PROGRESS)
    assert not can_move(S.OPEN, S.CLOSED)
