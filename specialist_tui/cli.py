"""The `specialist-tui` command: the app by default, and subcommands for scripts."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from specialist_tui.client.cache import CacheError, UnknownKey
from specialist_tui.client.config import Settings, SettingsError, load_settings, unknown_keys
from specialist_tui.client.data_home import MoveError, legacy_cache, move_cache
from specialist_tui.client.letters import LetterError
from specialist_tui.client.sync import SyncError
from specialist_tui.client.worklog import WorklogError
from specialist_tui.commands import completion, hub_admin
from specialist_tui.commands.argparse_zh import ChineseParser
from specialist_tui.commands.base import (
    NothingToDo,
    UsageError,
    common_options,
    describe_os_error,
)
from specialist_tui.commands.client import (
    demo,
    events,
    letters,
    settings,
    sync,
    transfer,
    units,
    worklog,
)
from specialist_tui.domain.policy import PolicyError
from specialist_tui.hub.store import StoreError
from specialist_tui.inert import terminal_text

PROGRAM = "specialist-tui"

# Each feature registers its own subcommands; add a module here to add a command.
COMMANDS = [
    demo.register,
    units.register,
    worklog.register,
    settings.register,
    transfer.register,
    hub_admin.register,
    sync.register,
    letters.register,
    events.register,
    completion.register,
]

# Errors a user can cause: one line on stderr, never a traceback.
USER_ERRORS = (
    SettingsError,
    PolicyError,
    CacheError,
    UsageError,
    UnknownKey,
    WorklogError,
    StoreError,
    SyncError,
    MoveError,
    LetterError,
)


def program_version() -> str:
    try:
        return version(PROGRAM)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "未安装"


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = ChineseParser(
        prog=PROGRAM,
        description="832 平台区域服务专员工作台：预算单位跟进、通话与工单、同步与导出。"
        "不带命令时打开终端界面。",
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROGRAM} {program_version()}",
        help="显示版本号并退出",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")
    for register in COMMANDS:
        register(sub, common)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    path = getattr(args, "config", None)
    if path is not None and not path.is_file() and not getattr(args, "writes_config", False):
        what = "是一个文件夹" if path.is_dir() else "不存在"
        raise SettingsError(f"配置文件{what}：{path}（--config 要指向一个已有的 TOML 文件）")
    overrides = {key: getattr(args, key, None) for key in ("cache_dir", "policy", "today")}
    loaded = load_settings(overrides, path=path)
    for key in unknown_keys(loaded.file):
        print(
            f"{PROGRAM}：注意：配置文件 {loaded.file} 中的设置 {key} 无法识别，已忽略",
            file=sys.stderr,
        )
    return loaded


def check_legacy_cache(settings: Settings) -> None:
    """A cache at the old default (./cache) is moved on request, used by flag, or kept in view."""
    old = legacy_cache(settings)
    if old is None:
        return
    folder = settings.cache_path.parent
    if settings.cache_path.exists():
        print(
            f"{PROGRAM}：注意：{old} 是旧版默认位置的缓存，现在用的是 {settings.cache_path}；"
            "要用旧缓存请加 --cache-dir cache，不再需要就删除它",
            file=sys.stderr,
        )
        return
    if sys.stdin.isatty() and sys.stderr.isatty():
        try:
            answer = input(
                f"发现旧版默认位置的缓存 {old}，移到 {folder}（在任何文件夹都能用）？[Y/n] "
            )
        except EOFError:
            answer = "n"
        if answer.strip().lower() in ("", "y", "yes", "是"):
            print(f"已移到 {move_cache(old, folder)}", file=sys.stderr)
            return
    raise UsageError(
        f"发现旧版默认位置的缓存 {old}：运行 {PROGRAM} config move-cache 把它移到 {folder}，"
        "或加 --cache-dir cache 继续在这里使用"
    )


def run_app(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.app import run_app as run

    return run(settings)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    completion.complete(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a usage error (one line already printed), --help or --version
        return exc.code if isinstance(exc.code, int) else 2
    try:
        loaded = settings_from(args)
        if getattr(args, "uses_cache", True):
            check_legacy_cache(loaded)
        handler = getattr(args, "handler", run_app)
        return int(handler(args, loaded))
    except USER_ERRORS as exc:
        # A message can carry text from data (a file's cell, a hub's reason).
        print(f"{PROGRAM}：{terminal_text(str(exc))}", file=sys.stderr)
        return 2
    except NothingToDo as exc:
        print(f"{PROGRAM}：{terminal_text(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `specialist-tui calls | head`: the reader left; say nothing more, like other tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:  # a file the checks could not foresee (full disk, permissions)
        print(f"{PROGRAM}：{describe_os_error(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
