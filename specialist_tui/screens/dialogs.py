"""Small modal dialogs: ask for a name, ask yes or no."""

from __future__ import annotations

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
