"""The `e` dialog: write what a list shows (a view with its filter and sort, the follow-ups,
the tickets) to an XLSX or CSV file.

The format is chosen in the dialog (the file name's suffix follows the choice), and the toast
names the file by its full path so it can be found again.
"""

from __future__ import annotations

from collections.abc import Callable
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

from specialist_tui.client.exports import export_view
from specialist_tui.client.service import Service
from specialist_tui.client.sheets import Format
from specialist_tui.widgets.choice import Choice

FORMATS = [("xlsx", "Excel 表格（含汇总、可直接打印）"), ("csv", "CSV 文本")]


HELP = "Tab 到格式，←/→ 选择 · 回车导出 · Esc 取消"


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    units: int  # rows written: units, follow-ups or tickets


Write = Callable[[Path, Format], int]  # writes the file in a format, returns the rows written


def default_path(service: Service, view: str) -> Path:
    """跟进清单-<view label>-<date>.xlsx in the configured export folder."""
    name = f"跟进清单-{service.view(view).label}-{service.today:%Y%m%d}.xlsx"
    return service.settings.export_dir / name


def with_suffix(text: str, fmt: str) -> str:
    """A typed file name ending in the format's suffix (replacing .xlsx/.csv, else added)."""
    path = Path(text.strip())
    if path.suffix.lower() in (".xlsx", ".csv"):
        path = path.with_suffix("")
    return f"{path}.{fmt}" if str(path) not in ("", ".") else ""


class ExportDialog(ModalScreen[Exported | None]):
    """Ask which format and where to write; the workbook adds summary sheets."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="export.cancel", tooltip="关闭对话框，不导出"),
        Binding("enter", "submit", "导出", id="export.submit", tooltip="按所选格式导出"),
    ]

    @dataclass
    class Done(Message):
        result: Exported | None
        error: str = ""

    def __init__(self, what: str, default: Path, write: Write) -> None:
        """``what`` says what is exported; ``write`` writes it (in the export worker)."""
        super().__init__()
        self.what = what
        self.default = default
        self.write = write

    @classmethod
    def for_view(cls, service: Service, view: str, text: str, sort: str) -> ExportDialog:
        """The units list's export: the view with its filter and sort, as a follow-up list."""
        what = f"视图 {service.view(view).label} · 排序 {service.sort_label(sort)}"
        if text:
            what += f" · 筛选 {escape(text)}"

        def write(path: Path, fmt: Format) -> int:
            return export_view(service, path, view, text, sort, fmt)

        return cls(what, default_path(service, view), write)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("导出当前列表", id="dialog-title")
            yield Label(self.what)
            yield Input(value=str(self.default), id="export-path")
            yield Choice(FORMATS, "xlsx", id="export-format")
            yield Label(HELP, id="dialog-help")

    @on(Choice.Changed, "#export-format")
    def _format_changed(self, event: Choice.Changed) -> None:
        box = self.query_one("#export-path", Input)
        box.value = with_suffix(box.value, event.value) or box.value

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        # A typed .csv or .xlsx picks the format too, so the two never disagree.
        suffix = Path(event.value.strip()).suffix.lower().lstrip(".")
        if suffix in ("csv", "xlsx"):
            self.query_one("#export-format", Choice).value = suffix

    @on(Input.Submitted)
    def _accept(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        box = self.query_one("#export-path", Input)
        if box.disabled:
            return  # already exporting
        fmt: Format = "csv" if self.query_one("#export-format", Choice).value == "csv" else "xlsx"
        typed = with_suffix(box.value, fmt)
        if not typed:
            self.notify("请填写文件名", severity="warning")
            return
        path = Path(typed).expanduser().resolve()
        if not path.parent.is_dir():
            self.notify(f"文件夹不存在：{path.parent}", severity="error")
            return
        box.value = str(path)
        box.disabled = True
        self.query_one("#dialog-help", Label).update("正在导出…")
        self._export(path, fmt)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export.write")
    def _export(self, path: Path, fmt: Format) -> None:
        try:
            count = self.write(path, fmt)
        except (OSError, ValueError) as exc:
            self.post_message(self.Done(None, f"导出失败：{exc}"))
            return
        self.post_message(self.Done(Exported(path, count)))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.result is None:
            self.notify(message.error, severity="error")
            self.query_one("#export-path", Input).disabled = False
            self.query_one("#dialog-help", Label).update(HELP)
            return
        self.dismiss(message.result)

    def action_cancel(self) -> None:
        self.dismiss(None)
