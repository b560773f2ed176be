"""argparse in Chinese: its own messages from a gettext catalog, and errors on one line.

argparse looks every message it prints ("usage: ", "expected one argument", "invalid choice")
up through ``gettext.gettext``, the documented way to translate it. That lookup uses the
default text domain and the language named by $LANGUAGE (or the locale), so the user's locale
would pick the language; the shell's rule is Chinese for everyone. While a parser is built or
parses, ``chinese()`` points the default domain at the catalog shipped in
``specialist_tui/locale`` and names zh_CN, then puts both back.
"""

from __future__ import annotations

import argparse
import gettext
import os
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

DOMAIN = "specialist_tui"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGE = "zh_CN"

# Options whose value may start with "-" (a reversed sort key: `--sort -unpaid`). argparse
# reads such a value as an option, so it is joined to its option before parsing.
DASH_VALUE_OPTIONS = frozenset({"--sort"})


@contextmanager
def chinese() -> Iterator[None]:
    """argparse's messages in Chinese inside the block, whatever the user's locale."""
    previous_domain = gettext.textdomain()
    previous_language = os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = LANGUAGE
    try:
        yield
    finally:
        gettext.textdomain(previous_domain)
        if previous_language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = previous_language


def join_dash_values(argv: Sequence[str]) -> list[str]:
    """``--sort -unpaid`` as ``--sort=-unpaid``, so the value is not taken for an option."""
    out: list[str] = []
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in DASH_VALUE_OPTIONS and following[:1] == "-" and following[1:2].isalpha():
            out.append(f"{token}={following}")
            i += 2
            continue
        out.append(token)
        i += 1
    return out


def cell_width(text: str) -> int:
    """Terminal columns a text takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# A run of ASCII non-space characters stays on one line; anything else may break anywhere.
_TOKEN = re.compile(r"[!-~]+|\s+|.")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` terminal columns, breaking between Chinese characters."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and cell_width(line + token) > width:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Help text wrapped by terminal columns, so Chinese lines fit the terminal's width.

    argparse counts characters; a Chinese character is two columns wide, so its own wrapping
    would run past the edge and split ASCII words (`unp` / `aid`).
    """

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose texts are Chinese and whose errors are one line on stderr."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        # Section titles and the -h help are looked up while the parser is built.
        with chinese():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with chinese():
            return super().add_subparsers(**kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        # "unrecognized arguments" is reported here, after parse_known_args has returned.
        with chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        argv = join_dash_values(sys.argv[1:] if args is None else args)
        with chinese():
            return super().parse_known_args(argv, namespace)

    def format_usage(self) -> str:
        with chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        """One line: what was wrong, and where the usage is; exit status 2."""
        self.exit(2, f"{self.prog}：{message}（用法见 {self.prog} -h）\n")
