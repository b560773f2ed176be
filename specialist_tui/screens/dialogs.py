"""Small modal dialogs: ask for a name, a day, yes or no."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class NameDialog(ModalScreen[str | None]):
    """Ask for a short name; enter accepts, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="dialog.cancel", tooltip="关闭对话框，不保存"),
    ]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Input(value=self.value, placeholder="视图名称", max_length=40, id="name")
            yield Label("回车保存 · Esc 取消", id="dialog-help")

    @on(Input.Submitted)
    def _accept(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.notify("名称不能为空", severity="warning")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DayDialog(ModalScreen[date | None]):
    """Ask for the day to look at: YYYY-MM-DD, or MM-DD in the policy's year; empty is today.

    Dismissed with the day, or with no result at all on escape (the dialog's callback then
    sees None and the caller keeps the day it has: see UnitsScreen.action_look_back).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="day.cancel", tooltip="关闭对话框，日期不变"),
    ]

    def __init__(self, year: int, shown: date) -> None:
        super().__init__()
        self.year = year
        self.shown = shown
        self.chosen: date | None = None  # None after enter on an empty box: back to today

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"按某一天查看（当前 {self.shown}）", id="dialog-title")
            yield Input(placeholder=f"{self.year}-02-20 或 02-20；留空回到今天", id="day")
            yield Label("只用当天已知的数据判定 · 回车确定 · Esc 取消", id="dialog-help")

    @on(Input.Submitted)
    def _accept(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.dismiss(None)
            return
        day = parse_day(text, self.year)
        if day is None:
            self.notify(f"日期格式应为 {self.year}-02-20 或 02-20", severity="warning")
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.app.pop_screen()


def parse_day(text: str, year: int) -> date | None:
    """A day typed as YYYY-MM-DD, or MM-DD in ``year``; None when it is neither."""
    full = text if text.count("-") == 2 else f"{year}-{text}"
    try:
        return date.fromisoformat(full)
    except ValueError:
        return None


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: y or enter confirms, n or escape keeps things as they are."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "是", id="confirm.yes", tooltip="确认"),
        Binding("n,escape", "answer(False)", "否", id="confirm.no", tooltip="取消，保持原样"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="dialog-title", markup=False)
            if self.detail:
                yield Label(self.detail, markup=False)
            yield Label("y/回车 是 · n/Esc 否", id="dialog-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
