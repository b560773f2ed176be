"""记录通话: the modal call form. The common call (reached, one topic, no follow-up) is `1`
then ctrl+s: the outcome starts on 接通, digits toggle topics, the contact and time are filled."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Input, Label, Select, Static

from specialist_tui.client.read_models import UnitContact, UnitRef
from specialist_tui.client.worklog import Worklog
from specialist_tui.client.worklog_input import call_content_problem
from specialist_tui.domain.dates import DateError, day_text, parse_day
from specialist_tui.domain.enums import CallDirection, CallOutcome, CallTopic
from specialist_tui.domain.models import Call
from specialist_tui.screens.worklog_base import (
    FORM_CSS,
    QUICK_LABELS,
    error_line,
    field_row,
    options,
    parse_moment,
    quick_dates,
)
from specialist_tui.screens.worklog_form import WorklogForm
from specialist_tui.widgets.choice import Choice, MultiChoice
from specialist_tui.widgets.fit_footer import FitFooter

NEW_CONTACT = -1
FORM_HINT = "1–8 话题 · ←→ 选项 · Tab 下一栏 · Ctrl+F 跟进 +1天/+3天/+7天/下周一/不跟进"

# Which error line shows each field's problem.
_ERROR_LINES = {
    "outcome": "outcome",
    "topics": "topics",
    "contact_name": "contact",
    "contact_phone": "contact",
    "direction": "contact",
    "started_at": "time",
    "duration_s": "time",
    "notes": "notes",
    "follow_up_on": "follow_up",
    "follow_up_action": "follow_up",
}


class CallForm(WorklogForm[Call]):
    """Log one call for one unit; dismisses with the saved Call (or None when cancelled).

    Everything is set in compose, nothing in on_mount: a key typed while the app quits may
    still push the form, and then on_mount would run on a screen that was never composed.
    """

    HELP_TITLE = "记录通话"  # the `?` help's title

    AUTO_FOCUS = "#outcome"

    DEFAULT_CSS = (
        FORM_CSS
        + """
    CallForm { align: center middle; }
    CallForm #new-contact { display: none; }
    CallForm #new-contact.visible { display: block; }
    CallForm #direction { width: 16; }
    CallForm #duration { width: 8; }
    CallForm #quick { width: auto; }
    CallForm #follow_up_on { width: 13; }
    CallForm .gap { width: auto; padding: 0 1; color: $text-muted; }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="call.save", tooltip="校验并保存这次通话"),
        Binding("escape", "cancel", "取消", id="call.cancel", tooltip="不保存，关闭表单"),
        Binding(
            "ctrl+f",
            "cycle_follow_up",
            "下次跟进",
            id="call.follow_up",
            tooltip="下次跟进日期：不跟进 → +1天 → +3天 → +7天 → 下周一",
        ),
        Binding(
            "enter", "save", "保存", id="call.enter", tooltip="保存（焦点不在下拉框时）", show=False
        ),
        *(
            Binding(
                str(n),
                f"topic({n})",
                f"话题{n}",
                id=f"call.topic{n}",
                tooltip=f"选中或取消话题「{topic.label}」",
                show=False,
            )
            for n, topic in enumerate(CallTopic, start=1)
        ),
    ]

    ERROR_LINES = _ERROR_LINES

    def __init__(
        self,
        worklog: Worklog,
        unit: UnitRef,
        contact: str | None = None,
        phone: str | None = None,
    ) -> None:
        """``contact`` preselects one of the unit's contacts, or fills in a new one (with
        ``phone``) when the unit does not list it."""
        super().__init__(worklog)
        self.unit = unit
        self.contacts = unit.contacts
        names = [c.name for c in self.contacts]
        self.new_contact = (
            (contact or "", phone or "") if contact and contact not in names else None
        )
        if self.new_contact or not self.contacts:
            self.initial_contact = NEW_CONTACT
        else:
            self.initial_contact = names.index(contact) if contact in names else 0

    def compose(self) -> ComposeResult:
        now = self.worklog.now()
        contact_options: list[tuple[str, int]] = [
            (_contact_label(c), i) for i, c in enumerate(self.contacts)
        ]
        contact_options.append(("新联系人…", NEW_CONTACT))
        new_name, new_phone = self.new_contact or ("", "")
        with Vertical(classes="form-dialog"):
            yield Static(f"记录通话 · {escape(self.unit.name)}", classes="form-title")
            yield field_row("结果", Choice(options(CallOutcome), "reached", id="outcome"))
            yield error_line("outcome")
            yield field_row("话题", MultiChoice(options(CallTopic), id="topics"))
            yield error_line("topics")
            yield field_row(
                "联系人",
                Select(
                    contact_options,
                    value=self.initial_contact,
                    allow_blank=False,
                    compact=True,
                    id="contact",
                ),
                Label("方向", classes="gap"),
                Choice(options(reversed(CallDirection)), "out", id="direction"),
            )
            yield field_row(
                "",
                Input(new_name, placeholder="姓名", compact=True, id="contact_name"),
                Input(new_phone, placeholder="电话", compact=True, id="contact_phone"),
                id="new-contact",
                classes="visible" if self.initial_contact == NEW_CONTACT else "",
            )
            yield error_line("contact")
            yield field_row(
                "时间",
                Input(f"{now:%Y-%m-%d %H:%M}", compact=True, id="started_at"),
                Label("时长（分钟）", classes="gap"),
                Input(placeholder="0", compact=True, id="duration"),
            )
            yield error_line("time")
            yield field_row("备注", Input(placeholder="谈了什么", compact=True, id="notes"))
            yield error_line("notes")
            yield field_row(
                "下次跟进",
                Choice(QUICK_LABELS, "none", id="quick"),
                Input(placeholder="如 7-5、+3", compact=True, id="follow_up_on"),
                Label("", id="follow_up_shown", classes="gap"),
            )
            yield field_row(
                "跟进事项",
                Input(placeholder="到时要做什么", compact=True, id="follow_up_action"),
            )
            yield error_line("follow_up")
            yield error_line("form")
            yield Static(FORM_HINT, classes="form-hint")
        yield FitFooter()

    # -- field behaviour ------------------------------------------------------------------

    @on(Select.Changed, "#contact")
    def _contact_changed(self, event: Select.Changed) -> None:
        self._show_new_contact(event.value == NEW_CONTACT)

    def _show_new_contact(self, visible: bool) -> None:
        self.query_one("#new-contact").set_class(visible, "visible")

    @on(Choice.Changed, "#quick")
    def _quick_picked(self, event: Choice.Changed) -> None:
        day = quick_dates(self.worklog.now().date())[event.value]
        self.query_one("#follow_up_on", Input).value = day.isoformat() if day else ""

    @on(Input.Changed, "#follow_up_on")
    def _follow_up_typed(self, event: Input.Changed) -> None:
        """Show the typed day back in full, and pick the quick choice that is that day."""
        day, problem = self._typed_day(event.value)
        shown = self.query_one("#follow_up_shown", Label)
        shown.update(f"→ {day_text(day)}" if day else ("?" if problem else ""))
        if problem is None:
            quick = quick_dates(self.worklog.now().date())
            choice = self.query_one("#quick", Choice)
            if choice.value in quick and quick[choice.value] == day:
                return  # already right (on a Sunday +1 天 and 下周一 are the same day)
            matching = [name for name, quick_day in quick.items() if quick_day == day]
            choice.show(matching[0] if matching else "")

    def _typed_day(self, text: str) -> tuple[date | None, str | None]:
        """The follow-up day typed (None when empty), or the reason it is not a day."""
        if not text.strip():
            return None, None
        try:
            return parse_day(text, self.worklog.now().date()), None
        except DateError as refused:
            return None, str(refused)

    def action_cycle_follow_up(self) -> None:
        self.query_one("#quick", Choice).action_move(1)

    def action_topic(self, number: int) -> None:
        self.query_one("#topics", MultiChoice).toggle_number(number)

    # -- saving ---------------------------------------------------------------------------

    def store(self, fields: dict[str, Any]) -> Call:
        return self.worklog.log_call(**fields)

    def read_fields(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's values as log_call arguments, and the errors found before saving."""
        errors: dict[str, str] = {}
        text = {i.id: i.value.strip() for i in self.query(Input).results(Input) if i.id}
        chosen = self.query_one("#contact", Select).value
        if chosen == NEW_CONTACT:
            name, phone = text["contact_name"], text["contact_phone"] or None
            if phone and not name:
                errors["contact_name"] = "填写了电话，请写上联系人姓名"
        else:
            contact = self.contacts[int(str(chosen))]
            name, phone = contact.name, contact.phone
        try:
            started_at = parse_moment(text["started_at"], self.worklog.now().date())
        except ValueError:
            errors["started_at"] = "时间应为 日期 时:分，如 2024-07-05 09:30、7-5 9:30 或 9:30"
            started_at = None
        topics = self.query_one("#topics", MultiChoice).values
        problem = call_content_problem(topics, text["notes"])
        if problem:  # the work log refuses it too; said here with the rest, and how to pick
            errors["topics"] = f"{problem}（话题按数字 1–8 选）"
        follow_up_on, problem = self._typed_day(text["follow_up_on"])
        if problem:
            errors["follow_up_on"] = problem
        minutes = text["duration"] or "0"
        if not minutes.isdigit():
            errors["duration_s"] = "时长应为整数分钟"
        fields = {
            "unit_code": self.unit.code,
            "outcome": self.query_one("#outcome", Choice).value,
            "topics": topics,
            "direction": self.query_one("#direction", Choice).value,
            "contact_name": name,
            "contact_phone": phone,
            "started_at": started_at,
            "duration_s": int(minutes) * 60 if minutes.isdigit() else 0,
            "notes": text["notes"],
            "follow_up_on": follow_up_on,
            "follow_up_action": text["follow_up_action"],
        }
        return fields, errors

    def saved_note(self, record: Call) -> str:
        follow = f"，{record.follow_up_on} 跟进" if record.follow_up_on else ""
        return f"已保存通话：{self.unit.name}{follow}"


def _contact_label(contact: UnitContact) -> str:
    role = contact.role.label if contact.role else ""
    return " · ".join(p for p in (contact.name, role, contact.phone) if p)
