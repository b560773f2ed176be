"""Command palette sources: go to a unit (pinyin works), and the current screen's actions."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from specialist_tui.widgets.messages import OpenUnit


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
            out.append((binding.description, binding.action, binding.tooltip or shown))
            del key
        return out

    async def discover(self) -> Hits:
        for title, action, help_text in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._commands():
            score = matcher.match(title)
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
