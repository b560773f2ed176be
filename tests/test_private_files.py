"""The cache, the hub database and the config are their owner's alone, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from specialist_tui.client.cache import Cache
from specialist_tui.client.config import save_hub
from specialist_tui.hub.store import HubStore


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The most permissive common umask: files would be 0644 and folders 0755 without care."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_cache_and_its_wal_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "cache"
    cache = Cache.open(folder)
    try:
        cache.set_meta("probe", "1")  # writes the WAL
        files = [cache.path, *folder.glob("*-wal"), *folder.glob("*-shm")]
        assert len(files) == 3
        assert {_mode(f) for f in files} == {0o600}
        assert _mode(folder) == 0o700
    finally:
        cache.close()


def test_the_hub_database_and_its_wal_are_private(tmp_path: Path) -> None:
    db = tmp_path / "hub" / "hub.sqlite"
    store = HubStore(db)
    try:
        files = [db, *db.parent.glob("*-wal"), *db.parent.glob("*-shm")]
        assert len(files) == 3
        assert {_mode(f) for f in files} == {0o600}
        assert _mode(db.parent) == 0o700
    finally:
        store.close()


def test_a_cache_left_world_readable_is_tightened(tmp_path: Path) -> None:
    Cache.open(tmp_path).close()
    path = next(tmp_path.glob("*.sqlite"))
    path.chmod(0o644)
    Cache.open(tmp_path).close()
    assert _mode(path) == 0o600


def test_a_symlinked_config_is_written_through_and_stays_private(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "specialist-tui.toml"
    target.write_text("# 我的设置\n", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    save_hub("http://127.0.0.1:8832", "sth_0123456789abcdef_secret", link)
    assert link.is_symlink() and link.resolve() == target
    assert "hub_url" in target.read_text(encoding="utf-8")
    assert "# 我的设置" in target.read_text(encoding="utf-8")
    assert _mode(target) == 0o600
