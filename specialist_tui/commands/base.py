"""What every subcommand shares: the common flags, the handler type and the usage error."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from specialist_tui.config import Settings

Handler = Callable[[argparse.Namespace, Settings], int]
# argparse's private _SubParsersAction has no public name; this alias keeps signatures readable.
Subparsers = Any


class UsageError(Exception):
    """A mistake on the command line; printed as one line on stderr, exit status 2."""


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def common_options() -> argparse.ArgumentParser:
    """Flags every command takes, before or after its name."""
    # SUPPRESS keeps a subcommand's parser from overwriting flags given before the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--cache-dir", type=Path, default=argparse.SUPPRESS, help="cache folder")
    common.add_argument(
        "--policy",
        default=argparse.SUPPRESS,
        help="policy name or TOML file (default qinghai-2024)",
    )
    common.add_argument(
        "--today", type=date_arg, default=argparse.SUPPRESS, help="evaluate as of YYYY-MM-DD"
    )
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="config file")
    return common
