"""Settings: command-line flags, then SPECIALIST_TUI_* environment, then the TOML config file,
then defaults. One object, every field typed and documented."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import platformdirs
import tomlkit
from pydantic import BaseModel, Field, PrivateAttr, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from specialist_tui.domain.validation_text import error_line, toml_error_line
from specialist_tui.private_files import private_folder

APP_NAME = "specialist-tui"
ENV_PREFIX = "SPECIALIST_TUI_"


class SettingsError(ValueError):
    """Settings that cannot be used; the message is one line naming the setting."""


def default_cache_dir() -> Path:
    """The per-user data folder: every command and the app find the same cache from any folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """Where the config file lives: $SPECIALIST_TUI_CONFIG, else the user's config directory."""
    override = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def hub_url_problem(url: str) -> str | None:
    """Why a hub address cannot be used (one Chinese line), or None when it looks right."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return f"同步中心地址无效：{url!r}（端口应为 1–65535 的数字）"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"同步中心地址无效：{url!r}（应形如 http://10.0.0.5:8832）"
    if port == 0:
        return f"同步中心地址无效：{url!r}（端口应为 1–65535）"
    return None


class SavedView(BaseModel):
    """A named filter + sort over one of the list views, shown as an extra tab."""

    name: str = Field(min_length=1, max_length=40, description="The tab's title.")
    view: str = Field(default="all", description="The list view it starts from (all, unpaid...).")
    filter: str = Field(default="", description="The filter text, as typed after /.")
    sort: str = Field(default="", description="A sort key, '-' in front reverses; empty: default.")


class Settings(BaseSettings):
    """Everything a user may set. Later features add their own fields here."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")
    config_path: ClassVar[Path | None] = None

    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Folder of the local SQLite cache; default: the per-user data folder.",
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
    export_dir: Path = Field(
        default=Path("."),
        description="Folder the app's `e` (export the current list) suggests for the file.",
    )
    advance_after_call: bool = Field(
        default=True,
        description="After a call is saved, move the list's cursor to the next unit of the view.",
    )
    theme: str = Field(default="textual-dark", description="The Textual theme of the app.")
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="Key remapping: binding id -> keys, e.g. {'units.filter' = 'ctrl+f'}.",
    )
    saved_views: list[SavedView] = Field(
        default_factory=list,
        description="Named filter + sort views, shown as extra tabs on the units screen.",
    )
    _file: Path | None = PrivateAttr(default=None)

    @property
    def file(self) -> Path:
        """The config file these settings were read from (and saved views are written to)."""
        return self._file or config_file()

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
        from specialist_tui.client.cache import CACHE_FILE

        return (self.cache_dir / CACHE_FILE).resolve()


def load_settings(overrides: dict[str, Any] | None = None, path: Path | None = None) -> Settings:
    """Settings from flags (``overrides``), environment and file, or SettingsError in one line."""
    Settings.config_path = path
    try:
        settings = Settings(**{k: v for k, v in (overrides or {}).items() if v is not None})
        settings._file = path
        return settings
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise SettingsError(f"设置 {key} 的值无效：{error_line(first)}") from None
    except OSError:
        raise SettingsError(f"无法读取配置文件 {path or config_file()}") from None
    except ValueError as exc:  # a malformed TOML file
        raise SettingsError(f"配置文件 {path or config_file()}：{toml_error_line(exc)}") from None
    finally:
        Settings.config_path = None


def unknown_keys(path: Path) -> list[str]:
    """Top-level keys of a config file that are no setting (a typo, or a newer version's)."""
    import tomllib

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [key for key in document if key not in Settings.model_fields]


def save_hub(url: str, token: str | None, path: Path | None = None) -> Path:
    """Set hub_url (and token) in the config file, keeping the rest of it; returns the path.

    The file may hold a token, so it is written readable by its owner only (mode 0600).
    """
    target = path or config_file()
    document = _document(target)
    document["hub_url"] = url
    if token is not None:
        document["token"] = token
    _write_private(target, tomlkit.dumps(document))
    return target


def _document(path: Path) -> tomlkit.TOMLDocument:
    """The config file as an editable document (tomlkit keeps the user's comments and layout)."""
    if path.exists():
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    return tomlkit.document()


def _write_private(path: Path, text: str) -> None:
    """Replace a file atomically with one only its owner can read (mkstemp makes it 0600).

    A symlinked config (dotfiles kept in a repository) is written through: its target is
    replaced, the link stays.
    """
    path = path.resolve()
    private_folder(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_saved_views(path: Path, views: list[SavedView]) -> None:
    """Replace the file's saved_views, keeping the rest of it (comments too), atomically."""
    document = _document(path)
    table = tomlkit.aot()
    for view in views:
        table.append(
            tomlkit.table()
            .add("name", view.name)
            .add("view", view.view)
            .add("filter", view.filter)
            .add("sort", view.sort)
        )
    if "saved_views" in document:
        del document["saved_views"]
    document.append("saved_views", table)
    _write_private(path, tomlkit.dumps(document))
