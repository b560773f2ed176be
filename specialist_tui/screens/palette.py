"""The command palette in Chinese, and its sources: go to a unit, the current screen's actions.

Both find by pinyin too: `daochu` and `dc` find 导出 as `xnsjyj` finds 西宁市教育局.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from specialist_tui.domain.search import pinyin_keys
from specialist_tui.screens.builtin_keys import in_chinese
from specialist_tui.widgets.messages import OpenUnit

PLACEHOLDER = "搜索操作或单位（名称、代码、拼音）…"
NO_MATCHES = "没有匹配的操作或单位"


class Palette(CommandPalette):
    """Textual's command palette with its prompts in Chinese."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(placeholder=PLACEHOLDER, **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual writes its "No matches found" line here; the same countdown, said in Chinese.
        self._stop_no_matches_countdown()
        if not search_value:
            self._list_visible = False
            return

        def show() -> None:
            self.query_one(CommandList).add_option(
                Option(
                    Align.center(Text(NO_MATCHES, style="not bold")),
                    disabled=True,
                    id=self._NO_MATCHES,
                )
            )
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


class GoToUnit(Provider):
    """“转到单位”: units matching the typed name, code or pinyin, like the list's filter."""

    async def search(self, query: str) -> Hits:
        text = query.strip()
        if not text:
            return
        service = getattr(self.screen, "service", None) or getattr(self.app, "service", None)
        if service is None:
            return
        rows = await asyncio.to_thread(service.find_units, text, 20)
        for rank, row in enumerate(rows):
            label = f"转到单位 {row.name}"
            yield Hit(
                1.0 - rank / 100,
                label,
                partial(self._go, row.code),
                text=label,
                help=f"{row.code} · {row.supervisor_name or '无主管部门'}",
            )

    def _go(self, code: str) -> None:
        # The units list also moves its cursor onto the unit; elsewhere the app just opens it.
        go_to = getattr(self.screen, "go_to", None)
        if go_to is not None:
            go_to(code)
        else:
            self.screen.post_message(OpenUnit(code))


class ScreenActions(Provider):
    """The current screen's key bindings, by their Chinese description."""

    def _commands(self) -> list[tuple[str, str, str]]:
        seen = set()
        out = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            shown = self.app.get_key_display(binding)
            title = in_chinese(binding.description)
            out.append((title, binding.action, in_chinese(binding.tooltip) or shown))
            del key
        return out

    async def discover(self) -> Hits:
        for title, action, help_text in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        commands = self._commands()
        typed = query.strip().lower().replace(" ", "")
        spelled = await asyncio.to_thread(_pinyin_of, [t for t, _, _ in commands], typed)
        for title, action, help_text in commands:
            score = matcher.match(title)
            if not score and spelled.get(title):
                score = 0.5  # found by its pinyin: below a match on the characters
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self._run, action),
                    text=title,
                    help=help_text,
                )

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)


def _pinyin_of(titles: list[str], typed: str) -> dict[str, bool]:
    """Which titles a Latin query spells in full pinyin or initials (导出: daochu, dc)."""
    if not typed.isascii() or not typed.isalpha():
        return {}
    found = {}
    for title in titles:
        full, initials = pinyin_keys(title)
        found[title] = typed in full or typed in initials
    return found
