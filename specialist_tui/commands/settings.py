"""`specialist-tui config` and `specialist-tui policy`: where things live and what is in force."""

from __future__ import annotations

import argparse

from specialist_tui.commands.base import Subparsers
from specialist_tui.config import Settings, config_file
from specialist_tui.policy_files import load_policy, shipped_policies


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    config = sub.add_parser("config", parents=[common], help="where settings and data live")
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    actions.add_parser("path", parents=[common], help="print the config file and cache paths")
    actions.add_parser("show", parents=[common], help="print the settings in effect")
    config.set_defaults(handler=run_config)

    policy = sub.add_parser("policy", parents=[common], help="print the policy in effect")
    policy.add_argument("--list", action="store_true", help="list the shipped policies")
    policy.set_defaults(handler=run_policy)


def run_config(args: argparse.Namespace, settings: Settings) -> int:
    if args.config_command == "path":
        print(f"config file: {getattr(args, 'config', None) or config_file()}")
        print(f"cache file:  {settings.cache_path}")
        return 0
    print(settings.model_dump_json(indent=2))
    return 0


def run_policy(args: argparse.Namespace, settings: Settings) -> int:
    if args.list:
        print("\n".join(shipped_policies()))
        return 0
    print(load_policy(settings.policy).model_dump_json(indent=2))
    return 0
