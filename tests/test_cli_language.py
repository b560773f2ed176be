"""The shell speaks Chinese whatever the locale, completes on TAB, and says its version."""

from __future__ import annotations

import argparse
import ast
import gettext
import os
import re
from pathlib import Path

import pytest

from specialist_tui.cli import main
from specialist_tui.commands.argparse_zh import DOMAIN, LOCALE_DIR, wrap

CATALOG = LOCALE_DIR / "zh_CN" / "LC_MESSAGES"


def _po_entries() -> dict[str, str]:
    """msgid -> msgstr (the first form for plurals) from the .po source, unescaped."""
    entries: dict[str, str] = {}
    text = (CATALOG / f"{DOMAIN}.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.*)"$', block, re.M)
        if msgid and msgstr and msgid.group(1):
            entries[_unescape(msgid.group(1))] = _unescape(msgstr.group(1))
    return entries


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n")


def _argparse_messages() -> set[str]:
    """Every message argparse looks up through gettext (its `_()` and `ngettext()` calls)."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "ngettext")
            and node.args
        ):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_the_compiled_catalog_matches_its_source() -> None:
    with (CATALOG / f"{DOMAIN}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    entries = _po_entries()
    assert len(entries) > 30
    for msgid, msgstr in entries.items():
        assert compiled.gettext(msgid) == msgstr, msgid


def test_the_catalog_covers_every_message_of_this_pythons_argparse() -> None:
    missing = _argparse_messages() - set(_po_entries())
    assert not missing, f"add to {DOMAIN}.po and compile with msgfmt: {sorted(missing)}"


def test_help_and_errors_are_chinese_under_an_english_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LANGUAGE", "en")
    assert main(["units", "-h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：specialist-tui units") and "显示本帮助并退出" in out
    assert "usage" not in out and "show this help" not in out
    assert main(["units", "--view"]) == 2
    assert "需要一个值" in capsys.readouterr().err
    assert os.environ["LANGUAGE"] == "en"  # put back after parsing


def test_help_lines_fit_the_terminal_in_columns() -> None:
    from specialist_tui.commands.argparse_zh import cell_width

    lines = wrap("排序键：score、name、supervisor、area、status、reserved；前加 - 表示倒序", 30)
    assert all(cell_width(line) <= 30 for line in lines)
    assert "supervisor" in "".join(lines).replace(" ", "")  # ASCII words are never split
    assert any(line.endswith("、") or "supervisor" in line for line in lines)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert re.fullmatch(r"specialist-tui \S+\n", capsys.readouterr().out)


def _complete(line: str, tmp_path: Path) -> list[str]:
    """What the program answers the shell for ``line`` (the cursor at its end), as the shell
    asks it: a child process with argcomplete's variables, answering into a file."""
    import subprocess
    import sys

    answer = tmp_path / "completions"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
    }
    done = subprocess.run(
        [sys.executable, "-m", "specialist_tui"], env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [w.strip() for w in answer.read_text(encoding="utf-8").split("\n") if w.strip()]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("specialist-tui ", {"units", "hub", "completion", "calls", "tickets"}),
        ("specialist-tui hub ", {"init", "serve", "assign", "import"}),
        ("specialist-tui units --", {"--view", "--sort", "--limit", "--cache-dir"}),
        ("specialist-tui units --view ", {"follow_up", "unpaid", "all"}),
        ("specialist-tui export --sort un", {"unpaid"}),
        ("specialist-tui units --sort=-", {"--sort=-unpaid", "--sort=-score"}),
        ("specialist-tui units --policy q", {"qinghai-2024"}),
        ("specialist-tui calls add --outcome r", {"reached", "resolved"}),
    ],
)
def test_completion_offers_commands_flags_views_sort_keys_and_policies(
    line: str, expected: set[str], tmp_path: Path
) -> None:
    assert expected <= set(_complete(line, tmp_path))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_for_each_shell(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "specialist-tui" in script and "_ARGCOMPLETE" in script
