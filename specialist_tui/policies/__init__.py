"""Finding and reading policy files: the shipped ones by name, or any TOML file by path.

A policy may name template files (the no-canteen letter); they are read from beside it.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from specialist_tui.domain.divisions import Divisions, parse_divisions
from specialist_tui.domain.letters import LetterTemplate, parse_letter_template
from specialist_tui.domain.policy import Policy, PolicyError, parse_policy

DEFAULT_POLICY = "qinghai-2024"


def shipped_policies() -> list[str]:
    """Names of the policy files that ship inside the package."""
    return sorted(
        p.name.removesuffix(".toml") for p in _shipped().iterdir() if p.name.endswith(".toml")
    )


def load_policy(name_or_path: str | Path | None = None) -> Policy:
    """A shipped policy by name (default: Qinghai 2024) or a policy file by path."""
    choice = str(name_or_path or DEFAULT_POLICY)
    if choice in shipped_policies():
        return parse_policy(_read(_shipped() / f"{choice}.toml", choice), source=choice)
    path = Path(choice).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = ", ".join(shipped_policies())
        raise PolicyError(f"没有政策文件 {choice}（内置政策：{known}）") from None
    except IsADirectoryError:
        raise PolicyError(f"政策 {choice} 是一个文件夹；请给出政策 TOML 文件") from None
    except (OSError, UnicodeDecodeError):
        raise PolicyError(f"无法读取政策文件 {choice}（不是 UTF-8 文本，或没有权限）") from None
    return parse_policy(text, source=str(path))


def load_letter_template(name_or_path: str | Path | None = None) -> LetterTemplate:
    """The no-canteen letter template the policy names, read from beside the policy file."""
    choice = str(name_or_path or DEFAULT_POLICY)
    relative = load_policy(choice).templates.no_canteen_letter
    if not relative:
        raise PolicyError(
            f"{choice}: 政策文件未指定无食堂承诺函模板（templates.no_canteen_letter）"
        )
    folder: Traversable | Path = (
        _shipped() if choice in shipped_policies() else Path(choice).expanduser().parent
    )
    template = folder.joinpath(*relative.split("/"))
    return parse_letter_template(_read(template, relative), source=relative)


def load_divisions(policy: Policy) -> Divisions:
    """The names of the policy province's divisions (GB/T 2260); none for a national policy."""
    prefix = policy.policy.division_prefix
    table = _shipped() / "divisions" / f"{prefix}.toml"
    if not prefix or not table.is_file():
        return Divisions()
    return parse_divisions(_read(table, f"divisions/{prefix}.toml"), f"divisions/{prefix}.toml")


def _shipped() -> Traversable:
    return resources.files("specialist_tui") / "policies"


def _read(file: Traversable | Path, source: str) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{source}: 文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{source}: cannot read: {exc}") from None
