"""Marking a promised follow-up done (`d` on 跟进日程 and on the unit screen): ask first, since
a mark syncs to the specialist's other machines and the lead, then save it in a worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.screens.dialogs import ConfirmDialog


def ask_follow_up_done(
    screen: Screen[Any],
    worklog: Worklog,
    question: str,
    after: Callable[[], None],
    *,
    call_id: str | None = None,
    unit_code: str | None = None,
) -> None:
    """Confirm, then mark the call's promise (or the unit's earliest open one) done; ``after``
    runs on the UI thread once it is saved."""

    def save() -> None:
        try:
            worklog.mark_follow_up_done(call_id, unit_code)
        except WorklogError as exc:
            message = exc.errors[exc.field]
            screen.app.call_from_thread(screen.notify, message, severity="warning")
            return
        screen.app.call_from_thread(saved)

    def saved() -> None:
        screen.notify("已标记跟进完成（待同步）")
        after()

    def answered(yes: bool | None) -> None:
        if yes:
            screen.run_worker(
                save, thread=True, exit_on_error=False, group="follow-up-done", exclusive=True
            )

    detail = "不再列入跟进日程和到期待办；同步后你的其他设备和组长都会看到"
    screen.app.push_screen(ConfirmDialog(question, detail), answered)
