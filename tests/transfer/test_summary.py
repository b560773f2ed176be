"""The center summary per area code and supervisor, checked against the units' own rows."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from specialist_tui.cli import main
from specialist_tui.client.cache.summary import summary
from specialist_tui.client.read_models import UnitRow, total
from specialist_tui.client.service import Service
from specialist_tui.client.summary_table import bar

from .conftest import SAMPLE_FILES, cli_args


def expected(rows: list[UnitRow], line: Callable[[UnitRow], str]) -> dict[str, dict[str, int]]:
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        g = groups[line(row)]
        filed = row.filing_status in ("submitted", "confirmed")
        g["units"] += 1
        g["filed"] += filed
        g["not_filed"] += not filed
        g["reserved_fen"] += row.reserved_fen
        g["completed_fen"] += row.completed_fen
        g["unpaid_fen"] += row.unpaid_fen
        g["reserved_not_bought"] += row.reserved_fen > 0 and row.completed_fen == 0
    return groups


FIELDS = ["units", "filed", "not_filed", "reserved_fen", "completed_fen", "unpaid_fen",
          "reserved_not_bought"]  # fmt: skip


def test_summary_by_area_matches_the_unit_rows(loaded: Service) -> None:
    rows = loaded.view_rows("all")
    want = expected(rows, lambda r: r.area_code)
    got = summary(loaded.cache, "area")
    assert [r.key for r in got] == sorted(want)
    for row in got:
        assert {f: getattr(row, f) for f in FIELDS} == {f: want[row.key][f] for f in FIELDS}
    everything = total(got)
    assert everything.units == len(rows)
    assert everything.completion_rate == Fraction(
        sum(r.completed_fen for r in rows), sum(r.reserved_fen for r in rows)
    )


def test_summary_by_supervisor_groups_a_department_with_its_units(loaded: Service) -> None:
    rows = loaded.view_rows("all")
    want = expected(rows, lambda r: r.supervisor_code or r.code)
    got = summary(loaded.cache, "supervisor")
    assert {r.key: r.units for r in got} == {k: v["units"] for k, v in want.items()}
    names = {r.name for r in got}
    assert "青海省卫生健康委员会" in names and "" not in names


def test_bars() -> None:
    assert bar(None, 4) == "    "
    assert bar(Fraction(0), 4) == "····"
    assert bar(Fraction(1, 2), 4) == "██··"
    assert bar(Fraction(1, 8), 4) == "▌···"  # half a cell
    assert bar(Fraction(1, 16), 4) == "▎···"
    assert bar(Fraction(3), 4) == "████"


def test_cli_summary_formats(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(cli_args(cache_dir, "import", *SAMPLE_FILES)) == 0
    capsys.readouterr()
    assert main(cli_args(cache_dir, "summary", "--format", "json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert sum(d["units"] for d in data) == 12
    assert main(cli_args(cache_dir, "summary", "--by", "supervisor", "--format", "csv")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("主管部门,单位数,已填报占比") and lines[-1].startswith("合计,12,")
    assert main(cli_args(cache_dir, "summary")) == 0
    out = capsys.readouterr().out
    assert "合计" in out and "█" in out and "截至 2024-06-30" in out
