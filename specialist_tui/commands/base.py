"""What every subcommand shares: the common flags, the handler type and the usage error."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from specialist_tui.client.config import Settings
from specialist_tui.inert import terminal_text

Handler = Callable[[argparse.Namespace, Settings], int]
# A column of a plain-text table: its Chinese head and how a row's cell reads.
Cell = Callable[[dict[str, Any]], str]
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


def write_json(data: object, out: TextIO) -> None:
    """JSON for scripts: Chinese kept readable, one value per line, a closing newline."""
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def print_table(rows: list[dict[str, Any]], columns: list[tuple[str, Cell]], out: TextIO) -> None:
    """Rows as a plain table with Chinese heads; wide when piped so nothing is folded away."""
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
