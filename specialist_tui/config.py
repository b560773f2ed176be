"""Settings: command-line flags, then SPECIALIST_TUI_* environment, then the TOML config file,
then defaults. One object, every field typed and documented."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import platformdirs
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "specialist-tui"
ENV_PREFIX = "SPECIALIST_TUI_"


class SettingsError(ValueError):
    """Settings that cannot be used; the message is one line naming the setting."""


def config_file() -> Path:
    """Where the config file lives: $SPECIALIST_TUI_CONFIG, else the user's config directory."""
    override = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


class Settings(BaseSettings):
    """Everything a user may set. Later features add their own fields here."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")
    config_path: ClassVar[Path | None] = None

    cache_dir: Path = Field(
        default=Path("cache"),
        description="Folder of the local SQLite cache (relative to the working folder).",
    )
    policy: str = Field(
        default="qinghai-2024",
        description="A shipped policy name (qinghai-2024, national-2024) or a policy TOML file.",
    )
    today: date | None = Field(
        default=None,
        description="Evaluate the rules as of this date instead of today's date in Beijing.",
    )
    user: str = Field(
        default="",
        description="Your specialist id, recorded as the author of calls and tickets.",
    )
    hub_url: str | None = Field(
        default=None,
        description="The center's hub, e.g. http://10.0.0.5:8832 (env SPECIALIST_TUI_HUB_URL).",
    )
    token: SecretStr | None = Field(
        default=None,
        description="Your API token for the hub (env SPECIALIST_TUI_TOKEN); never printed.",
    )
    sync_interval: int = Field(
        default=5,
        ge=0,
        description="Minutes between automatic syncs in the app; 0 turns them off.",
    )
    sync_page_size: int = Field(
        default=5_000,
        ge=1,
        le=10_000,
        description="Records per page when pulling; smaller pages suit a poor connection.",
    )
    theme: str = Field(default="textual-dark", description="The Textual theme of the app.")
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="Key remapping: binding id -> keys, e.g. {'units.filter' = 'ctrl+f'}.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = cls.config_path or config_file()
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, path))

    @property
    def cache_path(self) -> Path:
        from specialist_tui.cache import CACHE_FILE

        return (self.cache_dir / CACHE_FILE).resolve()


def load_settings(overrides: dict[str, Any] | None = None, path: Path | None = None) -> Settings:
    """Settings from flags (``overrides``), environment and file, or SettingsError in one line."""
    Settings.config_path = path
    try:
        return Settings(**{k: v for k, v in (overrides or {}).items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise SettingsError(f"setting {key}: {first['msg']}") from None
    except (OSError, ValueError) as exc:  # an unreadable or malformed TOML file
        raise SettingsError(f"config file {path or config_file()}: {exc}") from None
    finally:
        Settings.config_path = None


def save_hub(url: str, token: str | None, path: Path | None = None) -> Path:
    """Set hub_url (and token) in the config file, keeping its other lines; returns the path.

    The file is replaced atomically and, because it may hold a token, is readable by its owner
    only (mode 0600) from the moment it exists.
    """
    import tomllib

    target = path or config_file()
    lines = target.read_text(encoding="utf-8").splitlines() if target.exists() else []
    values = {"hub_url": url, **({"token": token} if token is not None else {})}
    lines = _set_top_level(lines, {k: json.dumps(v, ensure_ascii=False) for k, v in values.items()})
    text = "\n".join(lines) + "\n"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {target}: {exc}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an older temp file may have kept wider bits
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
    return target


def _set_top_level(lines: list[str], values: dict[str, str]) -> list[str]:
    """Replace or add ``key = value`` lines before the first [table] (TOML's top level)."""
    end = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    head, tail = lines[:end], lines[end:]
    for key, value in values.items():
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        found = [i for i, line in enumerate(head) if pattern.match(line)]
        if found:
            head[found[0]] = f"{key} = {value}"
        else:
            head.append(f"{key} = {value}")
    return head + tail
