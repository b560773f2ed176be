"""`specialist-tui demo --no-ui` then `specialist-tui units`, as a script would run them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from specialist_tui.cli import main
from specialist_tui.domain.rules import RULES

UNITS = 400
REQUIRED = {
    "code", "name", "supervisor", "area_code", "filing_status", "canteen_mode",
    "canteen_total_fen", "canteen_reserved_fen", "union_mode", "union_total_fen",
    "union_reserved_fen", "completed_fen", "unpaid_count", "unpaid_fen", "unpaid_oldest_days",
    "next_follow_up", "score", "flags",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cache")
    assert main(["demo", "--units", str(UNITS), "--no-ui", "--cache-dir", str(folder)]) == 0
    return folder


def units_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["units", "--format", "json", *args]) == 0
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows


def test_all_view_lists_every_demo_unit(
    demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = units_json(capsys, "--view", "all", "--cache-dir", str(demo_cache))
    assert len(rows) == UNITS
    assert len({r["code"] for r in rows}) == UNITS


def test_follow_up_rows_carry_flags_with_reasons(
    demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = units_json(capsys, "--view", "follow_up", "--cache-dir", str(demo_cache))
    assert rows and all(row.keys() >= REQUIRED for row in rows)
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    for row in rows:
        flags = row["flags"]
        assert isinstance(flags, list) and flags
        for flag in flags:
            assert flag["rule"] in RULES and flag["label"]
            assert flag["reason"] and flag["severity"] in {"low", "medium", "high", "critical"}


def test_unpaid_days_agree_with_the_flag(
    demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = units_json(capsys, "--view", "unpaid", "--cache-dir", str(demo_cache))
    for row in rows:
        days = row["unpaid_oldest_days"]
        r10 = [f for f in row["flags"] if f["rule"] == "R10"]  # type: ignore[attr-defined]
        assert bool(r10) == (days > 30)  # type: ignore[operator]
        if r10:
            assert f"最久已 {days} 天" in r10[0]["reason"]


def test_today_flag_reevaluates_the_year_end(
    demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    midyear = units_json(capsys, "--view", "all", "--cache-dir", str(demo_cache))
    assert not any(f["rule"] == "R13" for r in midyear for f in r["flags"])  # type: ignore[attr-defined]
    late = units_json(
        capsys, "--view", "all", "--today", "2024-12-20", "--cache-dir", str(demo_cache)
    )
    assert any(f["rule"] == "R13" for r in late for f in r["flags"])  # type: ignore[attr-defined]
    # Back to the demo's own date: the cache follows the date it is asked about.
    again = units_json(capsys, "--view", "all", "--cache-dir", str(demo_cache))
    assert again == midyear


def test_filter_by_pinyin_initials(demo_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = units_json(capsys, "--view", "all", "--cache-dir", str(demo_cache))
    target = next(r for r in rows if str(r["name"]).endswith("教育局"))
    from specialist_tui.domain.search import pinyin_keys

    _, initials = pinyin_keys(str(target["name"]))
    found = units_json(
        capsys, "--view", "all", "--filter", initials, "--cache-dir", str(demo_cache)
    )
    assert target["code"] in {r["code"] for r in found}


def test_csv_and_table_formats(demo_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    args = ["units", "--view", "not_filed", "--cache-dir", str(demo_cache)]
    assert main([*args, "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert table and all(
        row["filing_status"] in {"not_started", "draft", "returned"} for row in table
    )
    assert main([*args, "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "单位名称" in out and "3 个单位 · 视图 未填报" in out


def test_empty_cache_says_how_to_get_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["units", "--cache-dir", str(tmp_path)]) == 1
    assert "specialist-tui demo" in capsys.readouterr().err


def test_unknown_sort_is_one_line(demo_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "--sort", "colour", "--cache-dir", str(demo_cache)]) == 2
    err = capsys.readouterr().err.strip()
    assert "colour" in err and "\n" not in err


def test_demo_refuses_a_date_outside_the_policy_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--no-ui", "--today", "2025-01-05", "--cache-dir", str(tmp_path)]) == 2
    assert "不在政策年度 2024 内" in capsys.readouterr().err


def test_pending_confirmations_grouped_by_finance_office(
    demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = units_json(
        capsys, "--view", "all", "--rule", "R2", "--sort", "finance", "--cache-dir",
        str(demo_cache),
    )  # fmt: skip
    assert rows and all(any(f["rule"] == "R2" for f in r["flags"]) for r in rows)  # type: ignore[attr-defined]
    offices = [str(r["finance_office"]) for r in rows]
    assert offices == sorted(offices)  # grouped office by office
    names = {str(r["finance_office"]): str(r["finance_office_name"]) for r in rows}
    assert all(name.endswith(("财政厅", "财政局")) for name in names.values())


def test_limit_counts_the_units_the_rule_keeps(
    demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The rule is applied before the limit: --limit 5 --rule R10 gives the first five R10
    # units of the view, not those of the view's first five that happen to carry R10.
    every = units_json(capsys, "--view", "all", "--rule", "R10", "--cache-dir", str(demo_cache))
    assert len(every) > 5
    assert all(any(f["rule"] == "R10" for f in r["flags"]) for r in every)  # type: ignore[attr-defined]
    first = units_json(
        capsys, "--view", "all", "--rule", "R10", "--limit", "5", "--cache-dir", str(demo_cache)
    )
    assert [r["code"] for r in first] == [r["code"] for r in every[:5]]


def test_late_filers_are_listed_apart_and_read_late(
    demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = units_json(capsys, "--view", "late", "--cache-dir", str(demo_cache))
    assert rows and all("逾期" in str(r["filing_state"]) for r in rows)
    everyone = units_json(capsys, "--view", "all", "--cache-dir", str(demo_cache))
    late = {r["code"] for r in rows}
    assert late == {r["code"] for r in everyone if "逾期" in str(r["filing_state"])}


@pytest.mark.parametrize(
    "policy", ["national-2024", str(Path(__file__).parent / "policies" / "other-2025.toml")]
)
def test_any_day_and_any_policy(
    demo_cache: Path, capsys: pytest.CaptureFixture[str], policy: str
) -> None:
    # Who had not filed on the filing day, and the same list under another policy file.
    rows = units_json(
        capsys, "--view", "all", "--today", "2024-02-20", "--policy", policy, "--cache-dir",
        str(demo_cache),
    )  # fmt: skip
    assert len(rows) == UNITS
    for row in rows:
        assert row["unpaid_oldest_days"] is None or int(str(row["unpaid_oldest_days"])) >= 0
        assert row["filing_state"] and "None" not in json.dumps(row, ensure_ascii=False)
