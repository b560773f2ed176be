"""What the call and ticket forms share: saving off the UI thread and showing errors by field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input
from textual.worker import Worker

from specialist_tui.client.read_models import UnitRef
from specialist_tui.client.worklog import Worklog, WorklogError
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

    def __init__(self, worklog: Worklog, unit: UnitRef) -> None:
        super().__init__()
        self.worklog = worklog
        self.unit = unit
        self.saving = False

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

    def action_cancel(self) -> None:
        if not self.saving:  # a save under way finishes and closes the form itself
            self.dismiss(None)

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
