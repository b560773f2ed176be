"""The no-canteen letter dialog: says where the letter was written and moves its state on."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from specialist_tui.domain.enums import LetterStatus
from specialist_tui.domain.models import MARKABLE_LETTER_STATES

# What each mark is called in the dialog (标记已寄送 ...), in the order of the 1–4 keys.
MARK_NAMES = {
    LetterStatus.SENT: "标记已寄送（待主管部门盖章）",
    LetterStatus.STAMPED: "标记已盖章（已报送省财政厅）",
    LetterStatus.VERIFIED: "标记已核实",
    LetterStatus.REJECTED: "标记被退回",
}


class LetterDialog(ModalScreen[LetterStatus | None]):
    """The letter's file and state; 1–4 or ⏎ on a line marks it, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "关闭", id="letter.close", tooltip="关闭，不改承诺函状态"),
        *(
            Binding(str(n), f"mark({n - 1})", MARK_NAMES[state], show=False,
                    id=f"letter.mark_{state.value}", tooltip=f"承诺函{MARK_NAMES[state]}")
            for n, state in enumerate(MARKABLE_LETTER_STATES, start=1)
        ),
    ]  # fmt: skip

    def __init__(self, unit_name: str, written: str, state: str) -> None:
        super().__init__()
        self.unit_name = unit_name
        self.written = written
        self.state = state

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"无食堂承诺函 · {self.unit_name}", id="dialog-title", markup=False)
            yield Label(self.written, id="letter-file", markup=False)
            yield Label(f"当前状态：{self.state}", id="letter-state", markup=False)
            yield OptionList(
                *(
                    Option(f"{n} {MARK_NAMES[state]}", id=state.value)
                    for n, state in enumerate(MARKABLE_LETTER_STATES, start=1)
                ),
                id="letter-marks",
            )
            yield Label("1–4 或 ⏎ 标记 · Esc 关闭", id="dialog-help")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(MARKABLE_LETTER_STATES[event.option_index])

    def action_mark(self, index: int) -> None:
        self.dismiss(MARKABLE_LETTER_STATES[index])

    def action_cancel(self) -> None:
        self.dismiss(None)
