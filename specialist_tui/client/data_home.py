"""Where the cache lives by default, and the cache an older version left in ``./cache``.

Older versions kept the cache in ``cache/`` under whatever folder the shell was in, so the same
user saw different data from different folders. The default is now the per-user data folder
(``config.default_cache_dir``); a cache found at the old default is offered for moving, never
silently left behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from specialist_tui.client.cache import CACHE_FILE
from specialist_tui.client.config import Settings

LEGACY_DIR = Path("cache")
# SQLite's companion files: a WAL-mode database is the three together.
_PARTS = ("-wal", "-shm", "")


class MoveError(Exception):
    """The old cache cannot be moved; the message says why and what to do."""


def legacy_cache(settings: Settings) -> Path | None:
    """The cache file at the old default (``./cache``), when these settings use the new default."""
    if "cache_dir" in settings.model_fields_set:
        return None  # chosen by flag, variable or config file: nothing to offer
    old = (LEGACY_DIR / CACHE_FILE).resolve()
    if not old.is_file() or old == settings.cache_path:
        return None
    return old


def move_cache(old: Path, folder: Path) -> Path:
    """Move the cache file (with its WAL files) into ``folder``; returns the new cache file.

    Copies under temporary names, renames the database itself last (so a cut leaves either the
    old cache alone or a complete new one), then removes the old files.
    """
    target = folder / CACHE_FILE
    if target.exists():
        raise MoveError(f"{target} 已存在；不覆盖。不需要其中一个就先删除它，再移动")
    folder.mkdir(parents=True, exist_ok=True)
    moved = []
    for suffix in _PARTS:
        source = old.with_name(old.name + suffix)
        if source.exists():
            temporary = folder / f".{CACHE_FILE}{suffix}.moving"
            shutil.copy2(source, temporary)
            moved.append((source, temporary, folder / f"{CACHE_FILE}{suffix}"))
    for _, temporary, final in moved:
        temporary.replace(final)
    for source, _, _ in moved:
        source.unlink()
    return target
