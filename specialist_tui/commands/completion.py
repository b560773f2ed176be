"""`specialist-tui completion bash|zsh|fish`: shell completion, by argcomplete.

argcomplete completes from the parser itself (commands, flags, choices such as view names), so a
new flag completes without a second list to keep in step; the shell asks the program on each
TAB. The few values that are not argparse choices get a completer here.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from specialist_tui.client.config import Settings
from specialist_tui.commands.argparse_zh import chinese
from specialist_tui.commands.base import Subparsers

PROGRAM = "specialist-tui"
SHELLS = ("bash", "zsh", "fish")


def policy_names(prefix: str, **_: Any) -> list[str]:
    """The shipped policy names, then policy files in the folder being typed."""
    from argcomplete.completers import FilesCompleter

    from specialist_tui.policies import shipped_policies

    files = [f for f in FilesCompleter(allowednames=("toml",))(prefix) if isinstance(f, str)]
    return [name for name in shipped_policies() if name.startswith(prefix)] + files


def sort_keys(prefix: str, **_: Any) -> list[str]:
    """Every sort key, and each reversed with a leading '-'."""
    from specialist_tui.client.cache import SORTS

    keys = [*SORTS, *(f"-{key}" for key in SORTS)]
    return [key for key in keys if key.startswith(prefix)]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    completion = sub.add_parser(
        "completion",
        parents=[common],
        help="打印 shell 补全脚本（bash、zsh、fish）",
        description=(
            '打印补全脚本。bash：在 ~/.bashrc 加入 eval "$(specialist-tui completion bash)"；'
            'zsh：在 ~/.zshrc 加入 eval "$(specialist-tui completion zsh)"；'
            "fish：specialist-tui completion fish > ~/.config/fish/completions/specialist-tui.fish"
        ),
    )
    completion.add_argument("shell", choices=SHELLS, help="shell 的名称")
    completion.set_defaults(handler=run, uses_cache=False)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from argcomplete.shell_integration import shellcode

    sys.stdout.write(shellcode([PROGRAM], shell=args.shell))
    return 0


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit, when the shell is asking (else nothing)."""
    import os

    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    with chinese():
        argcomplete.autocomplete(parser)
