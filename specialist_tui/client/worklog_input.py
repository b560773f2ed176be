"""What a user types into the work log, checked: one Chinese message per bad field.

Forms and shell commands show these messages as they are, next to the field or the flag.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from specialist_tui.domain.enums import (
    CallDirection,
    CallOutcome,
    CallTopic,
    EventKind,
    LetterStatus,
    TicketCategory,
    TicketPriority,
    TicketStatus,
)

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=StrEnum)

# Chinese names of the fields a user fills, for one-line error messages.
FIELD_LABELS = {
    "unit_code": "单位",
    "contact_name": "联系人",
    "contact_phone": "电话",
    "direction": "方向",
    "started_at": "通话时间",
    "duration_s": "时长",
    "topics": "话题",
    "outcome": "结果",
    "notes": "备注",
    "follow_up_on": "跟进日期",
    "follow_up_action": "跟进事项",
    "order_id": "订单",
    "category": "类别",
    "priority": "优先级",
    "status": "状态",
    "subject": "标题",
    "description": "描述",
    "comment": "备注",
    "ticket_id": "工单",
    "call_id": "通话",
    "kind": "类型",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "place": "地点",
    "online_link": "线上链接",
    "topic": "主题",
    "attendees": "参加单位",
    "follow_up": "后续跟进",
    "state": "承诺函状态",
    "note": "备注",
}

_ENUMS: dict[str, type[Any]] = {
    "direction": CallDirection,
    "topics": CallTopic,
    "outcome": CallOutcome,
    "category": TicketCategory,
    "priority": TicketPriority,
    "status": TicketStatus,
    "kind": EventKind,
    "state": LetterStatus,
}


CALL_NEEDS_CONTENT = "请选至少一个话题或写下备注"


def call_content_problem(topics: Collection[str], notes: str) -> str | None:
    """What is wrong with a call that says nothing of what was talked about: the form and the
    shell both ask for at least one topic or a note."""
    return CALL_NEEDS_CONTENT if not topics and not notes.strip() else None


class WorklogError(ValueError):
    """Input a user can correct; ``errors`` maps each bad field to a Chinese message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(str(self))

    @property
    def field(self) -> str:
        return next(iter(self.errors))

    def __str__(self) -> str:
        name = self.field
        return f"{name}（{FIELD_LABELS.get(name, name)}）：{self.errors[name]}"


def validated(model: type[M], data: dict[str, Any]) -> M:
    """The model built from ``data``, or WorklogError with a Chinese message per bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "input"
            errors.setdefault(name, _message(name, error))
        raise WorklogError(errors) from None


def validated_enum(name: str, enum: type[E], value: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise WorklogError({name: _expected(name)}) from None


def _expected(name: str) -> str:
    enum = _ENUMS.get(name)
    if enum is None:
        return "取值不正确"
    choices = "、".join(f"{m.value}（{m.label}）" for m in enum)
    return f"应为 {choices} 之一"


def _message(name: str, error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "enum":
        return _expected(name)
    if kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
        # The models prefix their messages with the field name; the caller shows it already.
        return text.split(" ", 1)[1] if text.startswith(name + " ") else text
    if kind in ("string_too_short", "missing"):
        return "不能为空"
    if kind == "string_too_long":
        return f"最多 {ctx.get('max_length')} 个字"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "超出允许范围"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "日期格式应为 YYYY-MM-DD"
    if kind.startswith("int"):
        return "应为整数"
    return str(error["msg"])
