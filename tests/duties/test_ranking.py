"""The 通报 ranking: grouping by GB/T 2260 divisions, places with ties, the change between two
days in words, the figures recomputed here from the raw records at two dates, and the outputs
(`summary --rank` as a table, JSON, CSV and a workbook whose bar chart openpyxl reads back)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from specialist_tui.cli import main
from specialist_tui.client.cache import Cache
from specialist_tui.client.cache.ranking import unit_figures
from specialist_tui.client.ranking import build_ranking
from specialist_tui.client.service import Service
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.models import Order, Unit
from specialist_tui.domain.ranking import METRICS, change_text
from specialist_tui.policies import load_divisions, load_policy

QH = load_divisions(load_policy("qinghai-2024"))
EARLIER, LATER = date(2024, 2, 20), date(2024, 6, 30)


# -- recomputed from the raw records ----------------------------------------------------------


def recomputed(service: Service, day: date) -> dict[str, dict[str, int]]:
    """Per prefecture, the sums as of ``day``, read here from the cache's raw rows in Python."""
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), BEIJING)
    year_start, year_end = (
        datetime(2024, 1, 1, tzinfo=BEIJING),
        datetime(2025, 1, 1, tzinfo=BEIJING),
    )

    def at(text: str | None) -> datetime | None:
        return datetime.fromisoformat(text) if text else None

    rows = service.cache.rows
    filings = {r["unit_code"]: r for r in rows("SELECT * FROM filings WHERE year = 2024")}
    by_unit: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for order in rows("SELECT * FROM orders WHERE year IN (2023, 2024)"):
        placed, paid, done = at(order["placed_at"]), at(order["paid_at"]), at(order["completed_at"])
        sums = by_unit[order["unit_code"]]
        if order["status"] == "completed" and done and year_start <= done < min(end, year_end):
            sums["completed"] += order["amount"]
        if order["year"] != 2024:
            continue
        unpaid_then = order["status"] == "pending_payment" or (
            order["status"] not in ("cancelled", "refunded") and paid is not None and paid >= end
        )
        if placed is not None and placed < end and unpaid_then:
            sums["unpaid"] += order["amount"]
    trained = {
        c["unit_code"]
        for c in rows("SELECT * FROM calls")
        if year_start <= at(c["started_at"]) < end  # type: ignore[operator]
        and c["outcome"] in ("reached", "resolved")
        and "training" in json.loads(c["topics"] or "[]")
    }
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for u in rows("SELECT code, level, division_code FROM units"):
        code, division = u["code"], u["division_code"]
        provincial = u["level"] == "provincial" or division[2:4] == "00"
        group = out["province" if provincial else division[:4] + "00"]
        filing = filings.get(code)
        submitted = at(filing["submitted_at"]) if filing else None
        filed = bool(
            filing
            and filing["status"] in ("submitted", "confirmed")
            and submitted is not None
            and submitted < end
        )
        group["units"] += 1
        group["filed"] += filed
        if filed and filing:
            group["canteen_total"] += filing["canteen_total"]
            group["canteen_reserved"] += filing["canteen_reserved"]
            group["reserved"] += filing["canteen_reserved"] + filing["union_reserved"]
        group["completed"] += by_unit[code]["completed"]
        group["unpaid"] += by_unit[code]["unpaid"]
        group["trained"] += code in trained
    return out


@pytest.mark.parametrize("day", [EARLIER, LATER])
def test_the_ranking_matches_the_raw_records(demo_service: Service, day: date) -> None:
    want = recomputed(demo_service, day)
    service = Service(demo_service.settings.model_copy(update={"today": day}), demo_service.cache)
    for metric in METRICS:
        ranking = build_ranking(service, "prefecture", metric)
        got = {r.group.key: r.group for r in ranking.rows}
        assert set(got) == set(want) and len(got) == 9
        for key, sums in want.items():
            group = got[key]
            fields = ("units", "filed", "canteen_total", "canteen_reserved", "reserved")
            fields += ("completed", "unpaid", "trained")
            assert {f: getattr(group, f) for f in fields} == {f: sums[f] for f in fields}
        values = [r.value for r in ranking.rows if r.rank is not None]
        better_first = sorted(values, reverse=METRICS[metric].higher_is_better)  # type: ignore[type-var]
        assert values == better_first


@pytest.mark.parametrize(
    ("day", "completed"),
    [
        (date(2024, 1, 4), 0),
        (date(2024, 1, 5), 1_000),  # December's order completed in January counts this year
        (date(2024, 12, 31), 3_000),
        (date(2025, 1, 10), 3_000),  # completed on 2025-01-03: not the year's spend
    ],
)
def test_the_year_spend_is_what_completed_within_the_year(
    tmp_path: Path, day: date, completed: int
) -> None:
    code = make_credit_code("11630100", "00000001")

    def stamp(when: date) -> datetime:
        return datetime(when.year, when.month, when.day, 10, tzinfo=BEIJING)

    def order(number: int, placed: date, done: date) -> Order:
        return Order.model_validate(
            {
                "id": f"832-{number}", "unit_code": code, "year": placed.year,
                "placed_at": stamp(placed), "amount": 1_000 * number, "part": "canteen",
                "area_code": "QH0101", "status": "completed", "paid_at": stamp(placed),
                "completed_at": stamp(done),
            }
        )  # fmt: skip

    unit = Unit.model_validate(
        {"code": code, "name": "西宁市教育局", "level": "prefecture", "division_code": "630100"}
    )
    cache = Cache.open(tmp_path)
    try:
        orders = [
            order(1, date(2023, 12, 20), date(2024, 1, 5)),
            order(2, date(2024, 12, 1), date(2024, 12, 30)),
            order(4, date(2024, 12, 20), date(2025, 1, 3)),
        ]
        cache.load({"units": [unit], "orders": orders}, load_policy("qinghai-2024"), day)
        (figures,) = unit_figures(cache, 2024, day)
    finally:
        cache.close()
    assert figures.completed == completed


def test_the_change_since_an_earlier_day_is_the_difference(demo_service: Service) -> None:
    earlier = recomputed(demo_service, EARLIER)
    later = build_ranking(demo_service, "prefecture", "filing", EARLIER)
    assert later.day == LATER
    for row in later.rows:
        before = earlier[row.group.key]
        assert row.earlier_value == Fraction(before["filed"], before["units"])
        assert row.change == row.group.filing_rate - row.earlier_value  # type: ignore[operator]
    assert any(row.change for row in later.rows)  # filings came in after the deadline


# -- the command and the workbook ----------------------------------------------------------


def run(cache: Path, *args: str) -> int:
    return main(["--cache-dir", str(cache), "--today", str(LATER), "summary", "--rank", *args])


def test_summary_rank_prints_places_and_changes(
    demo_cache: Path, demo_service: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(demo_cache, "--since", "2024-02-20") == 0
    out = capsys.readouterr().out
    assert out.startswith("按市州排名 · 完成率 · 截至 2024-06-30")
    first = build_ranking(demo_service, "prefecture", "completion", EARLIER).rows[0]
    line = next(line for line in out.splitlines() if first.group.name in line)
    assert line.split()[0] == "1"
    assert change_text(first, METRICS["completion"], EARLIER).removeprefix("比 02-20 ") in line


def test_summary_rank_as_json_and_csv(
    demo_cache: Path, demo_service: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    want = build_ranking(demo_service, "county", "filing")
    assert run(demo_cache, "--by", "county", "--metric", "filing", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["rank"], r["key"]) for r in rows] == [(x.rank, x.group.key) for x in want.rows]
    assert rows[0]["filing"] == float(want.rows[0].group.filing_rate or 0)
    assert run(demo_cache, "--by", "county", "--metric", "filing", "--format", "csv") == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0][:4] == ["名次", "县区", "单位数", "填报率"]
    assert [r[1] for r in table[1:]] == [x.group.name for x in want.rows]


def test_the_ranking_workbook_has_a_native_bar_chart(
    demo_cache: Path, demo_service: Service, tmp_path: Path
) -> None:
    out = tmp_path / "通报.xlsx"
    assert run(demo_cache, "--since", "2024-02-20", "--format", "xlsx", "-o", str(out)) == 0
    sheet = load_workbook(out)["排名"]
    assert sheet["A1"].value == "按市州排名 · 完成率 · 截至 2024-06-30"
    assert sheet.print_title_rows == "$2:$2"  # printed like every exported sheet
    headers = [c.value for c in sheet[2]]
    assert headers[:4] == ["名次", "市州", "单位数", "完成率"]
    assert headers[-3:] == ["02-20 完成率", "比 02-20", "02-20 名次"]
    want = build_ranking(demo_service, "prefecture", "completion", EARLIER).rows
    assert [sheet.cell(row=3 + i, column=2).value for i in range(len(want))] == [
        r.group.name for r in want
    ]
    assert sheet["D3"].number_format == "0.0%"
    [chart] = sheet._charts
    assert (chart.tagname, chart.type) == ("barChart", "bar")
    [series] = chart.series
    assert series.val.numRef.f == f"'排名'!$D$3:$D${2 + len(want)}"
    assert series.cat.numRef.f == f"'排名'!$B$3:$B${2 + len(want)}"


def test_the_follow_up_export_adds_the_ranking_sheet(demo_cache: Path, tmp_path: Path) -> None:
    out = tmp_path / "list.xlsx"
    argv = ["--cache-dir", str(demo_cache), "--today", str(LATER), "export", "-o", str(out)]
    assert main(argv) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["跟进清单", "按区域代码汇总", "按主管部门汇总", "排名"]
    assert len(book["排名"]._charts) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "--format xlsx 需要用 -o 指定文件"),
        (["--since", "2024-07-01"], "应早于截至日"),
        (["--format", "csv", "-o", "/no/such/dir/x.csv"], "文件夹不存在"),
    ],
)
def test_ranking_mistakes_are_one_line(
    demo_cache: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run(demo_cache, *args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_ranking_options_without_rank_say_so(
    demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cache-dir", str(demo_cache), "summary", "--by", "county"]) == 2
    assert "加上 --rank" in capsys.readouterr().err
