"""Finding and reading policy files: the shipped ones by name, or any TOML file by path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from specialist_tui.domain.policy import Policy, PolicyError, parse_policy

DEFAULT_POLICY = "qinghai-2024"


def shipped_policies() -> list[str]:
    """Names of the policy files that ship inside the package."""
    folder = resources.files("specialist_tui") / "policies"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def load_policy(name_or_path: str | Path | None = None) -> Policy:
    """A shipped policy by name (default: Qinghai 2024) or a policy file by path."""
    choice = str(name_or_path or DEFAULT_POLICY)
    if choice in shipped_policies():
        text = (resources.files("specialist_tui") / "policies" / f"{choice}.toml").read_text(
            encoding="utf-8"
        )
        return parse_policy(text, source=choice)
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
