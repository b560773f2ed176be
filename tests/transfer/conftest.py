"""Fixtures for import and export tests: a service on a temporary cache, the shipped samples."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from specialist_tui.client.config import Settings
from specialist_tui.client.import_apply import apply_batch
from specialist_tui.client.service import Service
from specialist_tui.importer import read_files

from .sample_data import SAMPLES

TODAY = date(2024, 6, 30)
SAMPLE_FILES = sorted(SAMPLES.glob("*.*"))


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def service(cache_dir: Path) -> Iterator[Service]:
    svc = Service(Settings(cache_dir=cache_dir, today=TODAY))
    svc.prepare()
    yield svc
    svc.close()


@pytest.fixture
def loaded(service: Service) -> Service:
    """The service with the shipped samples imported."""
    batch = read_files(SAMPLE_FILES)
    assert batch.problems == []
    apply_batch(service.cache, batch, service.policy, service.today)
    return service


def cli_args(cache_dir: Path, *args: Any) -> list[str]:
    return ["--cache-dir", str(cache_dir), "--today", TODAY.isoformat(), *map(str, args)]


def dump(service: Service) -> dict[str, list[dict[str, Any]]]:
    """Every row of every data table, in key order: the cache's content, for comparisons."""
    tables = ["units", "filings", "orders", "unit_stats", "meta"]
    return {t: service.cache.rows(f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}
