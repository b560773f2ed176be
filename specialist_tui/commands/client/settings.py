"""`specialist-tui config` and `specialist-tui policy`: where things live and what is in force."""

from __future__ import annotations

import argparse
import os
import sys

from specialist_tui.client.config import ENV_PREFIX, Settings, hub_url_problem, save_hub
from specialist_tui.client.data_home import LEGACY_DIR, legacy_cache, move_cache
from specialist_tui.commands.base import NothingToDo, Subparsers, UsageError
from specialist_tui.policies import load_policy, shipped_policies


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    config = sub.add_parser("config", parents=[common], help="设置与数据放在哪里")
    actions = config.add_subparsers(
        dest="config_command", metavar="ACTION", title="操作", required=True
    )
    actions.add_parser("path", parents=[common], help="打印配置文件与缓存的位置")
    actions.add_parser("show", parents=[common], help="打印生效的设置（令牌不显示）")
    set_hub = actions.add_parser(
        "set-hub", parents=[common], help="把同步中心地址（和令牌）写入配置文件（权限 0600）"
    )
    set_hub.add_argument("url", metavar="URL", help="同步中心，如 http://10.0.0.5:8832")
    token = set_hub.add_mutually_exclusive_group()
    token.add_argument("--token", default=None, help="接口令牌（会留在 shell 历史里）")
    token.add_argument("--token-stdin", action="store_true", help="从标准输入读取接口令牌")
    set_hub.set_defaults(writes_config=True)
    actions.add_parser(
        "move-cache",
        parents=[common],
        help=f"把当前文件夹下旧版默认位置的缓存（{LEGACY_DIR}/）移到现在的缓存文件夹",
    )
    config.set_defaults(handler=run_config, uses_cache=False)

    policy = sub.add_parser("policy", parents=[common], help="打印生效的政策")
    policy.add_argument("--list", action="store_true", help="列出内置的政策")
    policy.set_defaults(handler=run_policy, uses_cache=False)


def run_config(args: argparse.Namespace, settings: Settings) -> int:
    if args.config_command == "set-hub":
        return run_set_hub(args)
    if args.config_command == "move-cache":
        return run_move_cache(settings)
    if args.config_command == "path":
        return run_path(args, settings)
    print(settings.model_dump_json(indent=2))
    return 0


def run_path(args: argparse.Namespace, settings: Settings) -> int:
    config = settings.file
    print(f"配置文件：{config}{'' if config.exists() else '（尚未创建）'}")
    print(f"缓存文件：{settings.cache_path}（{_cache_source(args, settings)}）")
    old = legacy_cache(settings)
    if old is not None:
        print(f"旧版缓存：{old}（运行 specialist-tui config move-cache 移到上面的缓存文件夹）")
    return 0


def _cache_source(args: argparse.Namespace, settings: Settings) -> str:
    if getattr(args, "cache_dir", None) is not None:
        return "来自 --cache-dir"
    if os.environ.get(f"{ENV_PREFIX}CACHE_DIR"):
        return f"来自环境变量 {ENV_PREFIX}CACHE_DIR"
    if "cache_dir" in settings.model_fields_set:
        return "来自配置文件"
    return "默认：用户数据文件夹"


def run_move_cache(settings: Settings) -> int:
    old = (LEGACY_DIR / "specialist.sqlite").resolve()
    if not old.is_file():
        raise NothingToDo(f"当前文件夹没有旧版缓存 {old}，无需移动")
    if old == settings.cache_path:
        raise NothingToDo(f"{old} 就是现在使用的缓存，无需移动")
    moved = move_cache(old, settings.cache_path.parent)
    print(f"已把 {old} 移到 {moved}；以后在任何文件夹都使用它", file=sys.stderr)
    return 0


def run_set_hub(args: argparse.Namespace) -> int:
    problem = hub_url_problem(args.url)
    if problem:
        raise UsageError(problem)
    token = sys.stdin.readline().strip() if args.token_stdin else args.token
    if token is not None and not token.strip():
        raise UsageError("令牌为空：请给出中心负责人发给你的令牌")
    path = save_hub(args.url, token, getattr(args, "config", None))
    saved = "同步中心地址和令牌（文件权限 0600）" if token else "同步中心地址"
    print(f"已把{saved}写入 {path}", file=sys.stderr)
    return 0


def run_policy(args: argparse.Namespace, settings: Settings) -> int:
    if args.list:
        print("\n".join(shipped_policies()))
        return 0
    print(load_policy(settings.policy).model_dump_json(indent=2))
    return 0
