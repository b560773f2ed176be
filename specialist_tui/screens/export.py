"""The `e` dialog: write the current view, with its filter and sort, to an XLSX or CSV file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from specialist_tui.client.exports import export_view, format_of
from specialist_tui.client.service import Service


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    units: int


def default_path(service: Service, view: str) -> Path:
    """跟进清单-<view label>-<date>.xlsx in the configured export folder."""
    name = f"跟进清单-{service.view(view).label}-{service.today:%Y%m%d}.xlsx"
    return service.settings.export_dir / name


class ExportDialog(ModalScreen[Exported | None]):
    """Ask where to write; .xlsx (with the summary sheet) or .csv by the file name's suffix."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="export.cancel", tooltip="关闭对话框，不导出"),
    ]

    @dataclass
    class Done(Message):
        result: Exported | None
        error: str = ""

    def __init__(self, service: Service, view: str, text: str, sort: str) -> None:
        super().__init__()
        self.service = service
        self.view = view
        self.text = text
        self.sort = sort

    def compose(self) -> ComposeResult:
        service = self.service
        what = f"视图 {service.view(self.view).label} · 排序 {service.sort_label(self.sort)}"
        if self.text:
            what += f" · 筛选 {escape(self.text)}"
        with Vertical(id="dialog"):
            yield Label("导出当前列表", id="dialog-title")
            yield Label(what)
            yield Input(value=str(default_path(self.service, self.view)), id="export-path")
            yield Label("回车导出（.xlsx 含汇总表，或 .csv）· Esc 取消", id="dialog-help")

    @on(Input.Submitted)
    def _accept(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip():
            self.notify("请填写文件名", severity="warning")
            return
        if not path.parent.is_dir():
            self.notify(f"文件夹不存在：{path.parent}", severity="error")
            return
        event.input.disabled = True
        self.query_one("#dialog-help", Label).update("正在导出…")
        self._export(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export.write")
    def _export(self, path: Path) -> None:
        try:
            fmt = format_of(path, None)
            count = export_view(self.service, path, self.view, self.text, self.sort, fmt)
        except (OSError, ValueError) as exc:
            self.post_message(self.Done(None, f"导出失败：{exc}"))
            return
        self.post_message(self.Done(Exported(path, count)))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.result is None:
            self.notify(message.error, severity="error")
            self.query_one("#export-path", Input).disabled = False
            self.query_one("#dialog-help", Label).update("回车导出 · Esc 取消")
            return
        self.dismiss(message.result)

    def action_cancel(self) -> None:
        self.dismiss(None)
