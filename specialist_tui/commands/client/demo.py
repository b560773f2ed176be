"""`specialist-tui demo`: fill the cache with a deterministic demo data set, then open the app."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings
from specialist_tui.client.service import DEMO_TODAY_KEY, Service
from specialist_tui.commands.base import Subparsers, UsageError, int_range
from specialist_tui.policies import load_policy

if TYPE_CHECKING:
    from specialist_tui.client.sync import SyncClient


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="用演示数据打开应用：在本机回环端口启动内嵌的同步中心并从它同步",
    )
    demo.add_argument("--units", type=int_range(1), default=2000, help="单位数（默认 2000）")
    demo.add_argument("--seed", type=int_range(0), default=832, help="随机种子（默认 832）")
    demo.add_argument(
        "--no-ui", action="store_true", help="只写入缓存（不打开应用，不启动内嵌中心）"
    )
    demo.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    policy = load_policy(settings.policy)
    today = settings.today or date(policy.year, 6, 30)
    if today.year != policy.year:
        raise UsageError(f"--today {today} 不在政策年度 {policy.year} 内")
    service = Service(settings)
    if not args.no_ui:
        return run_with_hub(settings, service, args.units, today, args.seed)
    started = time.perf_counter()
    summary = write_demo(service, args.units, today, args.seed)
    print(
        f"演示数据：{summary}，截至 {today} → {service.cache.path}"
        f"（{time.perf_counter() - started:.1f} 秒）",
        file=sys.stderr,
    )
    service.close()
    return 0


def run_with_hub(settings: Settings, service: Service, units: int, today: date, seed: int) -> int:
    """The whole loop in one command: a demo hub on a free loopback port, a sync, the app."""
    from specialist_tui.app import run_app
    from specialist_tui.client.sync import SyncClient
    from specialist_tui.hub import admin
    from specialist_tui.hub.server import start_in_thread
    from specialist_tui.hub.store import HubStore

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="specialist-tui-demo-hub-") as folder:
        db = Path(folder) / "hub.sqlite"
        with HubStore(db) as store:
            seeded = admin.seed_demo(store, units, today, service.policy, seed)
            token = admin.rotate_token(store, seeded.user_id)
        hub = start_in_thread(db)
        try:
            # In memory only: the user's config file keeps its own hub, if any.
            demo_settings = settings.model_copy(
                update={"hub_url": hub.url, "token": SecretStr(token)}
            )
            cache = service.cache
            client = SyncClient(demo_settings, cache, service.policy, today)
            _push_leftovers(client, cache)
            with cache.transaction():
                cache.clear()
                cache.set_meta(DEMO_TODAY_KEY, today.isoformat())
            result = client.sync()
            client.close()
            service.close()
            print(
                f"演示：中心 {hub.url}，{seeded.units:,} 个单位、{seeded.orders:,} 笔订单；"
                f"以 {seeded.user_id} 身份{result.line()}"
                f"（{time.perf_counter() - started:.1f} 秒）",
                file=sys.stderr,
            )
            return run_app(demo_settings, "下次运行 specialist-tui demo 时推送到新的演示中心")
        finally:
            hub.stop()


def _push_leftovers(client: SyncClient, cache: Cache) -> None:
    """Calls and tickets a previous demo left unpushed go to this demo's hub, never lost.

    The hub is seeded from the same seed, so their units are there; what it still refuses
    stays in the cache, and the demo stops saying where it is.
    """
    waiting = cache.outbox_count()
    if not waiting:
        return
    result = client.push()
    print(f"demo: 上次演示未推送的 {result.pushed} 条通话/工单已推送到演示中心", file=sys.stderr)
    if cache.outbox_count():
        raise UsageError(
            f"缓存 {cache.path} 中仍有 {cache.outbox_count()} 条通话/工单未被演示中心接受，"
            f"已原样保留；用 `specialist-tui --cache-dir {cache.path.parent} calls` 查看，"
            "或换一个 --cache-dir 运行演示"
        )


def write_demo(service: Service, units: int, today: date, seed: int = 832) -> str:
    """Replace the cache's contents with the demo data set; returns a one-line summary."""
    from specialist_tui.demo import generate

    cache = service.cache
    if cache.outbox_count():
        raise UsageError(
            f"缓存 {cache.path} 中有 {cache.outbox_count()} 条通话/工单尚未推送，已安全保存；"
            "运行 `specialist-tui demo`（不带 --no-ui）会先把它们推送到演示中心，"
            "或换一个 --cache-dir"
        )
    data = generate(units, today, service.policy, seed=seed)
    with cache.transaction():
        cache.clear()
        cache.load(
            {
                "centers": data.centers,
                "specialists": data.specialists,
                "units": data.units,
                "filings": data.filings,
                "orders": data.orders,
                "calls": data.calls,
                "tickets": data.tickets,
                "ticket_events": data.ticket_events,
                "letter_marks": data.letter_marks,
            },
            service.policy,
            today,
        )
        cache.set_meta(DEMO_TODAY_KEY, today.isoformat())
        cache.set_meta("user_id", data.user_id)
        cache.set_meta("source", "demo")
    return f"{len(data.units):,} 个单位、{len(data.orders):,} 笔订单、{len(data.calls):,} 次通话"
