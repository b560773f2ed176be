"""A small demo cache shared by the duties' tests (letters, roster, ranking)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from specialist_tui.cli import main
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service

TODAY = date(2024, 6, 30)


@pytest.fixture(scope="module")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 600-unit demo cache as of 2024-06-30 (written once per module)."""
    folder = tmp_path_factory.mktemp("demo") / "cache"
    assert main(["--cache-dir", str(folder), "demo", "--units", "600", "--no-ui"]) == 0
    return folder


@pytest.fixture
def demo_service(demo_cache: Path) -> Iterator[Service]:
    service = Service(Settings(cache_dir=demo_cache, today=TODAY))
    service.prepare()
    yield service
    service.close()
