"""What the call and ticket forms share: saving off the UI thread and showing errors by field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input
from textual.worker import Worker

from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.screens.dialogs import ConfirmDialog
from specialist_tui.screens.worklog_base import show_errors, worker_failed

Record = TypeVar("Record")


class WorklogForm(ModalScreen[Record | None], Generic[Record]):
    """A modal form whose save runs in a thread worker; it closes with the saved record.

    The screen says 已保存 only after the work log returned, i.e. after the commit.
    """

    # Which error line (below which field) shows the error of each work-log field.
    ERROR_LINES: ClassVar[dict[str, str]] = {}

    @dataclass
    class Saved(Message):
        """Posted by the save worker once the record is committed."""

        record: Any

    @dataclass
    class Invalid(Message):
        """Posted by the save worker when the work log refused the input."""

        errors: dict[str, str]

    def __init__(self, worklog: Worklog) -> None:
        super().__init__()
        self.worklog = worklog
        self.saving = False
        self.initial: tuple[object, ...] | None = None

    def read_fields(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's values as work-log arguments, and the errors found before saving."""
        raise NotImplementedError

    def store(self, fields: dict[str, Any]) -> Record:
        """Save the values through the work log (runs in the save worker)."""
        raise NotImplementedError

    def action_save(self) -> None:
        if self.saving:
            return
        fields, errors = self.read_fields()
        show_errors(self, errors, self.ERROR_LINES)
        if not errors:
            self.saving = True
            self._save(fields)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def on_mount(self) -> None:
        self.initial = self.entered()

    def entered(self) -> tuple[object, ...]:
        """What the form's fields hold now, to tell whether anything was typed or picked."""
        values: list[object] = []
        for widget in self.query("Input, Choice, MultiChoice, Select"):
            value = getattr(widget, "selected", None)
            if value is None:
                value = getattr(widget, "value", None)
            values.append((widget.id, value))
        return tuple(values)

    @property
    def changed(self) -> bool:
        return self.initial is not None and self.entered() != self.initial

    def action_cancel(self) -> None:
        if self.saving:  # a save under way finishes and closes the form itself
            return
        self.leave(lambda: self.dismiss(None))

    def leave(self, then: Callable[[], object]) -> None:
        """Do ``then`` (close the form, quit...), first asking when something was entered."""
        if not self.changed:
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        question = ConfirmDialog("放弃这张表里已填写的内容？", "选“否”回到表单继续填写")
        self.app.push_screen(question, answered)

    def saved_note(self, record: Record) -> str:
        """The one line the app shows once the record is saved."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save")
    def _save(self, fields: dict[str, Any]) -> None:
        try:
            record = self.store(fields)
        except WorklogError as exc:
            self.post_message(self.Invalid(exc.errors))
            return
        self.post_message(self.Saved(record))

    def on_worklog_form_saved(self, message: Saved) -> None:
        self.app.notify(self.saved_note(message.record), title="已保存")
        self.dismiss(message.record)

    def on_worklog_form_invalid(self, message: Invalid) -> None:
        self.saving = False
        show_errors(self, message.errors, self.ERROR_LINES)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        reason = worker_failed(event)
        if reason:
            event.stop()  # handled here; the app need not report it again
            # Nothing was committed; the form stays open with what was typed.
            self.saving = False
            show_errors(self, {"form": f"保存失败：{reason}"}, self.ERROR_LINES)
