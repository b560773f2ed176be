"""Every error the domain raises with a written message says it in Chinese (a user may read it:
forms, the shell, import reports)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "specialist_tui" / "domain"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}")


def written_messages(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, literal text) of each ``raise E("...")`` or ``raise E(f"...")``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            message = node.exc.args[0]
            if isinstance(message, ast.Constant) and isinstance(message.value, str):
                found.append((node.lineno, message.value))
            elif isinstance(message, ast.JoinedStr):
                parts = [v.value for v in message.values if isinstance(v, ast.Constant)]
                found.append((node.lineno, "".join(str(p) for p in parts)))
    return found


def test_every_written_domain_error_is_chinese() -> None:
    english = []
    for path in sorted(DOMAIN.rglob("*.py")):
        for line, text in written_messages(ast.parse(path.read_text(encoding="utf-8"))):
            # Written words without Chinese; a message built only from placeholders and
            # punctuation ("{source}：{reason}") takes its words from Chinese helpers.
            if WORD.search(text) and not CHINESE.search(text):
                english.append(f"{path.relative_to(DOMAIN)}:{line}: {text!r}")
    assert english == []


def test_the_check_reads_literal_and_formatted_messages() -> None:
    tree = ast.parse('raise ValueError(f"{source}: not valid TOML: {exc}")\nraise E("坏")')
    assert written_messages(tree) == [(1, ": not valid TOML: "), (2, "坏")]
