"""One-line pickers for short closed lists: Choice picks one, MultiChoice toggles several.

A form with a dozen fields must fit 80×24 and be driven by a few keys, so each list is one
row of segments rather than a dropdown or a column of radio buttons.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

Options = Sequence[tuple[str, str]]  # (value, label)


class SegmentPicker(Widget, can_focus=True):
    """Options drawn side by side; a click or ←/→ moves between them."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice--on", "choice--cursor"}
    DEFAULT_CSS = """
    SegmentPicker {
        height: 1;
        width: 1fr;
        & > .choice--on { background: $primary 60%; color: $text; text-style: bold; }
        & > .choice--cursor { text-style: underline; }
        &:focus { background: $boost; }
        &:focus > .choice--cursor { text-style: bold reverse; }
    }
    """

    cursor: reactive[int] = reactive(0)

    def __init__(
        self, options: Options, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = list(options)

    def _is_on(self, index: int) -> bool:
        raise NotImplementedError

    def _label(self, index: int) -> str:
        return self.options[index][1]

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        on = self.get_component_rich_style("choice--on")
        cursor = self.get_component_rich_style("choice--cursor")
        for index in range(len(self.options)):
            style = on if self._is_on(index) else Style()
            if index == self.cursor and self.has_focus:
                style += cursor
            text.append(f" {self._label(index)} ", style=style)
        return text

    def _index_at(self, x: int) -> int | None:
        edge = 0
        for index in range(len(self.options)):
            edge += Text(f" {self._label(index)} ").cell_len
            if x < edge:
                return index
        return None

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.options)


class Choice(SegmentPicker):
    """Pick one option; moving with ←/→ picks at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "上一项", id="choice.previous", tooltip="选上一项", show=False),
        Binding("right", "move(1)", "下一项", id="choice.next", tooltip="选下一项", show=False),
    ]

    value: reactive[str] = reactive("", init=False)

    @dataclass
    class Changed(Message):
        choice: Choice
        value: str

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(
        self,
        options: Options,
        value: str | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(options, id=id, classes=classes)
        values = [v for v, _ in self.options]
        self.set_reactive(Choice.value, value if value in values else values[0])
        self.set_reactive(SegmentPicker.cursor, values.index(self.value))

    def _is_on(self, index: int) -> bool:
        return self.options[index][0] == self.value

    def show(self, value: str) -> None:
        """Show ``value`` as picked without announcing a change: for a choice that follows a
        field the user types in ("" picks none), so that typing is never overwritten."""
        self.set_reactive(Choice.value, value)
        values = [v for v, _ in self.options]
        if value in values:
            self.set_reactive(SegmentPicker.cursor, values.index(value))
        self.refresh()

    def action_move(self, step: int) -> None:
        super().action_move(step)
        self.value = self.options[self.cursor][0]

    def watch_value(self, value: str) -> None:
        # A value outside the options ("") shows no option picked: what a field beside the
        # choice holds matches none of them.
        values = [v for v, _ in self.options]
        if value in values:
            self.cursor = values.index(value)
        self.post_message(self.Changed(self, value))

    def on_click(self, event: events.Click) -> None:
        index = self._index_at(event.x)
        if index is not None:
            self.value = self.options[index][0]


class MultiChoice(SegmentPicker):
    """Toggle any number of options: ←/→ moves, space toggles; digits toggle by position."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "上一项", id="multi.previous", tooltip="光标左移", show=False),
        Binding("right", "move(1)", "下一项", id="multi.next", tooltip="光标右移", show=False),
        Binding("space", "toggle_cursor", "选/不选", id="multi.toggle", tooltip="选中或取消光标处"),
    ]

    selected: reactive[frozenset[str]] = reactive(frozenset(), init=False)

    @dataclass
    class Changed(Message):
        choice: MultiChoice
        selected: frozenset[str]

        @property
        def control(self) -> MultiChoice:
            return self.choice

    def __init__(
        self,
        options: Options,
        selected: Iterable[str] = (),
        *,
        numbered: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(options, id=id, classes=classes)
        self.numbered = numbered
        self.set_reactive(MultiChoice.selected, frozenset(selected))

    @property
    def values(self) -> list[str]:
        """The selected values, in the options' order."""
        return [v for v, _ in self.options if v in self.selected]

    def _is_on(self, index: int) -> bool:
        return self.options[index][0] in self.selected

    def _label(self, index: int) -> str:
        label = self.options[index][1]
        return f"{index + 1} {label}" if self.numbered else label

    def toggle(self, value: str) -> None:
        self.selected = self.selected ^ {value}

    def toggle_number(self, number: int) -> None:
        """Toggle the option shown with ``number`` (1-based)."""
        if 1 <= number <= len(self.options):
            self.cursor = number - 1
            self.toggle(self.options[number - 1][0])

    def action_toggle_cursor(self) -> None:
        self.toggle(self.options[self.cursor][0])

    def watch_selected(self, selected: frozenset[str]) -> None:
        self.post_message(self.Changed(self, selected))

    def on_click(self, event: events.Click) -> None:
        index = self._index_at(event.x)
        if index is not None:
            self.cursor = index
            self.toggle(self.options[index][0])
