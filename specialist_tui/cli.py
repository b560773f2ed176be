"""The `specialist-tui` command: the app by default, and subcommands for scripts."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from specialist_tui.client.cache import CacheError, UnknownKey
from specialist_tui.client.config import Settings, SettingsError, load_settings
from specialist_tui.client.letters import LetterError
from specialist_tui.client.sync import SyncError
from specialist_tui.client.worklog import WorklogError
from specialist_tui.commands import hub_admin
from specialist_tui.commands.base import UsageError, common_options
from specialist_tui.commands.client import (
    demo,
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
    LetterError,
)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="specialist-tui",
        description="832 平台区域服务专员工作台：预算单位跟进、通话与工单、同步与导出。",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in COMMANDS:
        register(sub, common)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {key: getattr(args, key, None) for key in ("cache_dir", "policy", "today")}
    return load_settings(overrides, path=getattr(args, "config", None))


def run_app(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.app import run_app as run

    return run(settings)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler = getattr(args, "handler", run_app)
        return int(handler(args, settings_from(args)))
    except USER_ERRORS as exc:
        # A message can carry text from data (a file's cell, a hub's reason).
        print(f"specialist-tui: {terminal_text(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `specialist-tui calls | head`: the reader left; say nothing more, like other tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    raise SystemExit(main())
