"""`specialist-tui sync`: push the outbox to the hub and pull its changes, from the shell."""

from __future__ import annotations

import argparse
import sys

from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.client.sync import STAGE_LABELS as _STAGES
from specialist_tui.client.sync import SyncClient, require_hub
from specialist_tui.commands.base import Subparsers


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    sync = sub.add_parser(
        "sync", parents=[common], help="与服务中心的同步中心同步：推送本地通话与工单，拉取变更"
    )
    sync.add_argument(
        "--hub-url", default=None, metavar="URL", help="同步中心地址（覆盖配置文件中的设置）"
    )
    sync.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.hub_url:
        settings = settings.model_copy(update={"hub_url": args.hub_url})
    require_hub(settings)  # before the cache is opened (or created)
    service = Service(settings)
    client = SyncClient(settings, service.cache, service.policy, service.today)
    try:
        result = client.sync(_progress)
    finally:
        _progress_done()
        client.close()
        service.close()
    print(result.line())
    # A call or ticket that is still only in this cache must not look like a finished sync.
    return 1 if result.unpushed else 0


_shown = {"width": 0}


def _progress(stage: str, done: int) -> None:
    text = f"{_STAGES.get(stage, stage)} {done:,} 条…"
    if sys.stderr.isatty():
        sys.stderr.write("\r" + text.ljust(_shown["width"]))
        _shown["width"] = len(text)
    else:
        sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _progress_done() -> None:
    if _shown["width"] and sys.stderr.isatty():
        sys.stderr.write("\n")
        _shown["width"] = 0
