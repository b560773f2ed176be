"""`specialist-tui config` and `specialist-tui policy`: where things live and what is in force."""

from __future__ import annotations

import argparse
import sys

from specialist_tui.client.config import Settings, config_file, save_hub
from specialist_tui.commands.base import Subparsers, UsageError
from specialist_tui.policies import load_policy, shipped_policies


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    config = sub.add_parser("config", parents=[common], help="where settings and data live")
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    actions.add_parser("path", parents=[common], help="print the config file and cache paths")
    actions.add_parser("show", parents=[common], help="print the settings in effect")
    set_hub = actions.add_parser(
        "set-hub", parents=[common], help="save the hub URL (and token) in the config file"
    )
    set_hub.add_argument("url", help="the hub, e.g. http://10.0.0.5:8832")
    token = set_hub.add_mutually_exclusive_group()
    token.add_argument("--token", default=None, help="the API token (visible in shell history)")
    token.add_argument(
        "--token-stdin", action="store_true", help="read the API token from standard input"
    )
    config.set_defaults(handler=run_config)

    policy = sub.add_parser("policy", parents=[common], help="print the policy in effect")
    policy.add_argument("--list", action="store_true", help="list the shipped policies")
    policy.set_defaults(handler=run_policy)


def run_config(args: argparse.Namespace, settings: Settings) -> int:
    if args.config_command == "set-hub":
        return run_set_hub(args)
    if args.config_command == "path":
        print(f"config file: {getattr(args, 'config', None) or config_file()}")
        print(f"cache file:  {settings.cache_path}")
        return 0
    print(settings.model_dump_json(indent=2))
    return 0


def run_set_hub(args: argparse.Namespace) -> int:
    if not args.url.startswith(("http://", "https://")):
        raise UsageError(f"hub URL must start with http:// or https://: {args.url!r}")
    token = sys.stdin.readline().strip() if args.token_stdin else args.token
    if token is not None and not token:
        raise UsageError("empty token")
    path = save_hub(args.url, token, getattr(args, "config", None))
    print(f"hub saved in {path}" + (" (with token, mode 0600)" if token else ""), file=sys.stderr)
    return 0


def run_policy(args: argparse.Namespace, settings: Settings) -> int:
    if args.list:
        print("\n".join(shipped_policies()))
        return 0
    print(load_policy(settings.policy).model_dump_json(indent=2))
    return 0
