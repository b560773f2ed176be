"""记录活动: the modal form for a seminar, training or visit held once for many units.

The units come marked from the list (space, A) or are added here by supervisor ("all units
under 西宁市教育局", then ⏎); everyone gets the same head count, which +/- change per unit.
Saving goes through Worklog.log_event, the same checks as `events add`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.domain.enums import EventKind
from specialist_tui.domain.models import Event
from specialist_tui.inert import terminal_text
from specialist_tui.screens.worklog_base import (
    FORM_CSS,
    error_line,
    field_row,
    options,
    parse_moment,
    show_errors,
)
from specialist_tui.screens.worklog_form import WorklogForm
from specialist_tui.widgets.choice import Choice
from specialist_tui.widgets.fit_footer import FitFooter

FORM_HINT = "Tab 下一栏 · 单位列表中 +/- 改人数、Delete 移除 · 主管部门 ⏎ 加入其下单位"
TIME_HELP = "时间应为 日期 时:分，如 2024-07-05 09:30、7-5 9:30 或 9:30"
MAX_PEOPLE = 10_000

_ERROR_LINES = {
    "kind": "kind",
    "starts_at": "time",
    "ends_at": "time",
    "place": "place",
    "online_link": "place",
    "topic": "topic",
    "specialists": "specialists",
    "attendees": "attendees",
    "people": "attendees",
    "supervisor": "attendees",
    "notes": "notes",
    "follow_up": "notes",
}


def split_ids(text: str) -> list[str]:
    """Specialist ids as typed: separated by commas (either width), 、 or spaces."""
    return [part for part in re.split(r"[,，、\s]+", text) if part]


class AttendeeList(OptionList):
    """The units at the event, one line each with its head count."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "people(1)", "加一人", id="event.more",
                tooltip="所选单位的参加人数加一"),
        Binding("minus", "people(-1)", "减一人", id="event.fewer",
                tooltip="所选单位的参加人数减一"),
        Binding("delete,backspace", "drop", "移除", id="event.drop",
                tooltip="从参加单位中移除所选单位"),
    ]  # fmt: skip

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.people: dict[str, int] = {}  # unit code -> people, in the order added
        self.names: dict[str, str] = {}

    def add_units(self, names: dict[str, str], people: int) -> int:
        """Add these units (code -> name) with ``people`` each; returns how many were new."""
        new = [code for code in names if code not in self.people]
        for code in new:
            self.people[code] = people
            self.names[code] = names[code]
        self.add_options([Option(self._prompt(code), id=code) for code in new])
        if self.highlighted is None and self.option_count:
            self.highlighted = 0
        return len(new)

    def set_everyone(self, people: int) -> None:
        for code in self.people:
            self.people[code] = people
        self._redraw()

    def _prompt(self, code: str) -> Text:
        return Text.assemble(
            terminal_text(self.names.get(code) or code), (f"  {self.people[code]} 人", "dim")
        )

    def _redraw(self) -> None:
        for index, code in enumerate(self.people):
            self.replace_option_prompt_at_index(index, self._prompt(code))
        self.post_message(AttendeeList.Changed(self))

    def _current(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def action_people(self, step: int) -> None:
        code = self._current()
        if code is None:
            return
        self.people[code] = max(0, min(MAX_PEOPLE, self.people[code] + step))
        self.replace_option_prompt(code, self._prompt(code))
        self.post_message(AttendeeList.Changed(self))

    def action_drop(self) -> None:
        code = self._current()
        if code is None:
            return
        del self.people[code]
        self.remove_option(code)
        self.post_message(AttendeeList.Changed(self))

    @dataclass
    class Changed(Message):
        """The units or their head counts changed."""

        attendees: AttendeeList


class EventForm(WorklogForm[Event]):
    """Log one seminar, training or visit for many units; dismisses with the saved Event."""

    # The one field every event needs: E, the topic, ctrl+s logs a training for the marked units.
    AUTO_FOCUS = "#topic"

    DEFAULT_CSS = (
        FORM_CSS
        + """
    EventForm { align: center middle; }
    EventForm .form-dialog { width: 90; }
    EventForm .field-label { width: 10; }
    EventForm .field-error { padding-left: 10; }
    EventForm #starts_at, EventForm #ends_at { width: 18; }
    EventForm #people { width: 6; }
    EventForm .gap { width: auto; padding: 0 1; color: $text-muted; }
    EventForm #attendees { height: 5; width: 1fr; margin-left: 10; }
    EventForm #attendees-summary { width: 1fr; }
    """
    )

    HELP_TITLE = "记录活动"  # the `?` help's title
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="event.save", tooltip="校验并保存这次活动"),
        Binding("escape", "cancel", "取消", id="event.cancel", tooltip="不保存，关闭表单"),
    ]

    ERROR_LINES = _ERROR_LINES

    def __init__(self, worklog: Worklog, codes: Iterable[str] = (), people: int = 1) -> None:
        """``codes``: the units marked on the list (or the one unit shown)."""
        super().__init__(worklog)
        self.first_codes = list(dict.fromkeys(codes))
        self.first_people = people

    def compose(self) -> ComposeResult:
        now = self.worklog.now()
        author = self.worklog.author
        with Vertical(classes="form-dialog"):
            yield Static("记录活动（座谈会 · 培训会 · 上门走访）", classes="form-title")
            yield field_row("类型", Choice(options(EventKind), "training", id="kind"))
            yield error_line("kind")
            yield field_row(
                "时间",
                Input(f"{now:%Y-%m-%d %H:%M}", compact=True, id="starts_at"),
                Label("至", classes="gap"),
                Input(placeholder="如 11:30（可不填）", compact=True, id="ends_at"),
                Label("", id="time_shown", classes="gap"),
            )
            yield error_line("time")
            yield field_row(
                "地点",
                Input(placeholder="会议室或地址", compact=True, id="place"),
                Label("线上链接", classes="gap"),
                Input(placeholder="https://…", compact=True, id="online_link"),
            )
            yield error_line("place")
            yield field_row(
                "主题", Input(placeholder="如 预留份额填报培训", compact=True, id="topic")
            )
            yield error_line("topic")
            yield field_row(
                "主持专员", Input(author, placeholder="专员编号，多个用逗号分隔", compact=True,
                                  id="specialists"),
            )  # fmt: skip
            yield error_line("specialists")
            yield field_row(
                "参加单位",
                Label("", id="attendees-summary"),
                Label("每单位人数", classes="gap"),
                Input(str(self.first_people), compact=True, id="people"),
            )
            yield field_row(
                "主管部门",
                Input(
                    placeholder="名称或信用代码，⏎ 加入其下全部单位", compact=True, id="supervisor"
                ),
            )
            yield AttendeeList(id="attendees")
            yield error_line("attendees")
            yield field_row("备注", Input(placeholder="谈了什么、发了什么材料", compact=True,
                                          id="notes"))  # fmt: skip
            yield field_row("后续跟进", Input(placeholder="如 两周内回访未填报单位", compact=True,
                                              id="follow_up"))  # fmt: skip
            yield error_line("notes")
            yield error_line("form")
            yield Static(FORM_HINT, classes="form-hint")
        yield FitFooter()

    def on_mount(self) -> None:
        attendees = self.query_one(AttendeeList)
        names = self.worklog.service.unit_names(self.first_codes)
        attendees.add_units(
            {c: names[c] for c in self.first_codes if c in names}, self.first_people
        )
        self._show_count()
        super().on_mount()

    def entered(self) -> tuple[object, ...]:
        attendees = self.query_one(AttendeeList)
        return (*super().entered(), tuple(attendees.people.items()))

    # -- units --------------------------------------------------------------------------

    @property
    def attendees(self) -> dict[str, int]:
        return dict(self.query_one(AttendeeList).people)

    def _show_count(self) -> None:
        people = self.attendees
        line = f"{len(people)} 个单位 · 共 {sum(people.values())} 人" if people else "尚未选择单位"
        self.query_one("#attendees-summary", Label).update(line)

    @on(AttendeeList.Changed)
    def _attendees_changed(self) -> None:
        self._show_count()

    @on(Input.Submitted, "#supervisor")
    def _add_supervisor(self, event: Input.Submitted) -> None:
        event.prevent_default()  # ⏎ here adds units; it does not save the form
        name = event.value.strip()
        if not name:
            return
        try:
            codes = self.worklog.units_under(name)
        except WorklogError as exc:
            show_errors(self, exc.errors, self.ERROR_LINES)
            return
        people = self._people()
        added = self.query_one(AttendeeList).add_units(
            self.worklog.service.unit_names(codes), people if people is not None else 1
        )
        show_errors(self, {}, self.ERROR_LINES)
        event.input.value = ""
        self._show_count()
        self.notify(f"已加入“{name}”下 {added} 个单位（共 {len(codes)} 个，其余已在列表中）")

    def _people(self) -> int | None:
        text = self.query_one("#people", Input).value.strip() or "0"
        if not text.isdigit() or int(text) > MAX_PEOPLE:
            return None
        return int(text)

    @on(Input.Changed, "#people")
    def _people_typed(self) -> None:
        people = self._people()
        if people is not None:
            self.query_one(AttendeeList).set_everyone(people)

    @on(Input.Changed, "#starts_at")
    @on(Input.Changed, "#ends_at")
    def _time_typed(self) -> None:
        """Say the moments back in full, as the call form does for its follow-up day."""
        shown = self.query_one("#time_shown", Label)
        start, end, problem = self._moments()
        if problem or start is None:
            shown.update("?")
            return
        until = f" 至 {end:%H:%M}" if end is not None else ""
        shown.update(f"→ {start:%m-%d %H:%M}{until}")

    def _moments(self) -> tuple[datetime | None, datetime | None, str | None]:
        today = self.worklog.now().date()
        start_text = self.query_one("#starts_at", Input).value.strip()
        end_text = self.query_one("#ends_at", Input).value.strip()
        try:
            start = parse_moment(start_text, today)
        except ValueError:
            return None, None, "starts_at"
        try:
            end = parse_moment(end_text, start.date()) if end_text else None
        except ValueError:
            return start, None, "ends_at"
        return start, end, None

    # -- saving -------------------------------------------------------------------------

    def read_fields(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        text = {i.id: i.value.strip() for i in self.query(Input).results(Input) if i.id}
        start, end, problem = self._moments()
        if problem:
            errors[problem] = TIME_HELP
        if self._people() is None:
            errors["people"] = f"每单位人数应为 0–{MAX_PEOPLE} 的整数"
        if not self.attendees:
            errors["attendees"] = "请在列表中用空格标记单位，或在“主管部门”栏输入后按 ⏎ 加入"
        fields = {
            "kind": self.query_one("#kind", Choice).value,
            "topic": text["topic"],
            "attendees": self.attendees,
            "starts_at": start,
            "ends_at": end,
            "place": text["place"],
            "online_link": text["online_link"],
            "specialists": split_ids(text["specialists"]),
            "notes": text["notes"],
            "follow_up": text["follow_up"],
        }
        return fields, errors

    def store(self, fields: dict[str, Any]) -> Event:
        kind, topic, attendees = fields.pop("kind"), fields.pop("topic"), fields.pop("attendees")
        return self.worklog.log_event(kind, topic, attendees, **fields)

    def saved_note(self, record: Event) -> str:
        return f"已保存{record.kind.label}「{record.topic}」：{len(record.attendees)} 个单位"
