"""What every subcommand shares: the common flags, checked argument types, the usage error."""

from __future__ import annotations

import argparse
import errno
import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO, TypeVar

from specialist_tui.client.config import Settings
from specialist_tui.commands.argparse_zh import ChineseParser
from specialist_tui.inert import terminal_text

Handler = Callable[[argparse.Namespace, Settings], int]
R = TypeVar("R")
# argparse's private _SubParsersAction has no public name; this alias keeps signatures readable.
Subparsers = Any


class UsageError(Exception):
    """A mistake on the command line; printed as one line on stderr, exit status 2."""


class NothingToDo(Exception):
    """Nothing to work on (an empty cache); printed as one line on stderr, exit status 1."""


EMPTY_CACHE_HINT = (
    "缓存中没有单位。先运行 `specialist-tui demo --units 2000 --no-ui` 生成演示数据，"
    "或用 import / sync 取得数据"
)


def require_cache(settings: Settings) -> None:
    """Commands that only read the cache stop before opening (and so creating) a missing one."""
    if not settings.cache_path.exists():
        raise NothingToDo(f"{EMPTY_CACHE_HINT}（缓存文件 {settings.cache_path} 不存在）")


# -- argument types: each refuses a bad value with one Chinese line, before anything is opened


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是日期（应为 YYYY-MM-DD）：{text!r}") from None


def int_range(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high`` (inclusive; no upper bound when None)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"不是整数：{text!r}") from None
        if value < low or (high is not None and value > high):
            wanted = f" {low} 到 {high} 之间的整数" if high is not None else f"不小于 {low} 的整数"
            raise argparse.ArgumentTypeError(f"应为{wanted}：{value}")
        return value

    parse.__name__ = "整数"
    return parse


def path_arg(text: str) -> Path:
    """A path as typed; empty text and NUL characters (no file can have them) are refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError("路径不能为空")
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"路径含有空字符：{text!r}")
    return Path(text).expanduser()


def folder_arg(text: str) -> Path:
    """A folder that may not exist yet, but is not a file."""
    path = path_arg(text)
    for part in (path, *path.parents):
        if part.exists():  # the nearest part that exists must be a folder
            if not part.is_dir():
                raise argparse.ArgumentTypeError(f"{part} 是一个文件，不是文件夹")
            break
    return path


def input_file(text: str) -> Path:
    """A file to read: it exists and is a file."""
    path = path_arg(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"这是一个文件夹，不是文件：{text}")
    if not path.exists():
        raise argparse.ArgumentTypeError(f"文件不存在：{text}")
    return path


def output_file(text: str) -> Path:
    """A file to write: not a folder, in a folder that exists."""
    path = path_arg(text)
    if path.is_dir() or text.endswith(("/", "\\")):
        raise argparse.ArgumentTypeError(
            f"这是一个文件夹；请给出文件名，如 {text.rstrip('/')}/清单.csv"
        )
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"文件夹不存在：{folder}")
    return path


def text_arg(text: str) -> str:
    """A name or code: not empty."""
    if not text.strip():
        raise argparse.ArgumentTypeError("不能为空")
    return text.strip()


def sort_arg(text: str) -> str:
    """A sort key of the lists, a leading '-' reversing it."""
    from specialist_tui.client.cache import SORTS

    if text.removeprefix("-") not in SORTS:
        raise argparse.ArgumentTypeError(
            f"没有排序键 {text!r}（可用：{'、'.join(SORTS)}；前加 - 表示倒序）"
        )
    return text


def view_options(parser: argparse.ArgumentParser) -> None:
    """--view, --filter and --sort: which units, as the app's list shows them."""
    from specialist_tui.client.cache import SORTS, VIEWS
    from specialist_tui.commands.completion import sort_keys

    views = "、".join(f"{name}（{view.label}）" for name, view in VIEWS.items())
    parser.add_argument(
        "--view", default="follow_up", choices=list(VIEWS), metavar="VIEW", help=f"视图：{views}"
    )
    parser.add_argument(
        "--filter",
        default="",
        metavar="TEXT",
        help="按单位名称、信用代码、主管部门、区域代码、拼音或首字母筛选",
    )
    complete_with(
        parser.add_argument(
            "--sort",
            type=sort_arg,
            default=None,
            metavar="KEY",
            help=f"排序键：{'、'.join(SORTS)}；前加 - 表示倒序（如 --sort -unpaid）",
        ),
        sort_keys,
    )


def complete_with(action: argparse.Action, completer: Callable[..., Any]) -> argparse.Action:
    """Attach a shell-completion source to a flag (argcomplete reads ``action.completer``)."""
    action.completer = completer  # type: ignore[attr-defined]
    return action


def common_options() -> argparse.ArgumentParser:
    """Flags every command takes, before or after its name."""
    from specialist_tui.commands.completion import policy_names

    # SUPPRESS keeps a subcommand's parser from overwriting flags given before the subcommand.
    common = ChineseParser(add_help=False)
    common.add_argument(
        "--cache-dir",
        type=folder_arg,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="本地缓存所在的文件夹（默认在用户数据文件夹；见 config path）",
    )
    complete_with(
        common.add_argument(
            "--policy",
            default=argparse.SUPPRESS,
            metavar="POLICY",
            help="政策：内置名称（如 qinghai-2024）或政策 TOML 文件",
        ),
        policy_names,
    )
    common.add_argument(
        "--today",
        type=date_arg,
        default=argparse.SUPPRESS,
        metavar="YYYY-MM-DD",
        help="按这一天评估规则（默认北京时间今天）",
    )
    common.add_argument(
        "--config",
        type=path_arg,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="配置文件（默认见 config path）",
    )
    return common


# -- what went wrong with a file, in Chinese (the OS's own strerror is English)

_OS_REASONS = {
    errno.ENOENT: "不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "已存在",
    errno.EROFS: "位于只读文件系统",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EBUSY: "正被占用",
    errno.EINVAL: "无效",
}


def describe_os_error(exc: OSError) -> str:
    """One Chinese line for a failed file operation: which file, and why."""
    reason = _OS_REASONS.get(exc.errno or 0, f"操作失败（错误 {exc.errno}）")
    where = exc.filename if exc.filename is not None else ""
    return f"无法读写 {where}（{reason}）" if where else f"文件操作失败（{reason}）"


def write_json(data: object, out: TextIO) -> None:
    """JSON for scripts: Chinese kept readable, one value per line, a closing newline."""
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def print_table(
    rows: Sequence[R], columns: Sequence[tuple[str, Callable[[R], str]]], out: TextIO
) -> None:
    """Rows as a plain table with Chinese heads (each column: its head and how a row's cell
    reads); wide when piped so nothing is folded away."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    for head, _ in columns:
        table.add_column(head, overflow="fold")
    for row in rows:
        # Text, not str: a cell from data is shown as it is, never read as rich markup.
        table.add_row(*(Text(terminal_text(cell(row))) for _, cell in columns))
    Console(file=out, width=None if out.isatty() else 200).print(table)
