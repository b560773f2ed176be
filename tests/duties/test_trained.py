"""Units reached by a training this year, one definition everywhere: the summary (screen,
`summary`, the XLSX 汇总 sheets), the ranking's 培训覆盖率, the list's 今年未培训 view and
`events untrained` agree, count only the year's seminars and trainings by the day, and move
when a training is logged."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from specialist_tui.cli import main
from specialist_tui.client.config import Settings
from specialist_tui.client.ranking import build_ranking
from specialist_tui.client.read_models import total
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.fields import BEIJING

from .conftest import TODAY


@pytest.fixture
def cache(demo_cache: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "cache"
    shutil.copytree(demo_cache, copy)
    return copy


def open_service(cache: Path, today: date = TODAY) -> Service:
    service = Service(Settings(cache_dir=cache, today=today))
    service.prepare()
    return service


def counts(service: Service) -> tuple[int, int, int, int]:
    """Trained units by the summary, the ranking, and untrained by the view and the command."""
    summary = total(service.summary("area")).trained
    ranking = build_ranking(service, "prefecture", "trained").total.trained
    view = len(service.view_codes("untrained"))
    command = len(Worklog(service).untrained())
    return summary, ranking, view, command


def test_every_count_of_trained_units_agrees_and_moves_with_a_training(cache: Path) -> None:
    service = open_service(cache)
    try:
        units = service.cache.count("units")
        summary, ranking, view, command = counts(service)
        assert 0 < summary < units  # the demo's calls about training reach some units
        assert summary == ranking == units - view == units - command
        invited = service.view_codes("untrained")[:3]
        at = datetime(2024, 6, 12, 9, 30, tzinfo=BEIJING)
        log = Worklog(service)
        log.log_event("training", "填报培训", dict.fromkeys(invited, 2), starts_at=at)
        # A visit trains nobody; a training of last year does not count this year.
        others = service.view_codes("untrained")[:6]
        log.log_event("visit", "上门走访", dict.fromkeys(others[3:], 1), starts_at=at)
        last_year = datetime(2023, 11, 2, 9, 0, tzinfo=BEIJING)
        log.log_event("training", "去年的培训", dict.fromkeys(others[3:], 1), starts_at=last_year)
        assert counts(service) == (summary + 3, ranking + 3, view - 3, command - 3)
        assert not set(invited) & set(service.view_codes("untrained"))
        assert {r.code: r.trained for r in service.unit_rows(invited + others[3:])} == {
            **dict.fromkeys(invited, True),
            **dict.fromkeys(others[3:], False),
        }
    finally:
        service.close()


def test_looking_back_a_later_training_has_not_happened(cache: Path) -> None:
    service = open_service(cache)
    try:
        invited = service.view_codes("untrained")[:2]
        at = datetime(2024, 6, 12, 9, 30, tzinfo=BEIJING)
        Worklog(service).log_event("seminar", "座谈会", dict.fromkeys(invited, 1), starts_at=at)
    finally:
        service.close()
    before = open_service(cache, date(2024, 6, 11))
    try:
        assert set(invited) <= set(before.view_codes("untrained"))
        assert set(invited) <= {r["code"] for r in Worklog(before).untrained()}
        day_before = build_ranking(before, "prefecture", "trained").total.trained
    finally:
        before.close()
    on_the_day = open_service(cache, date(2024, 6, 12))
    try:
        assert not set(invited) & set(on_the_day.view_codes("untrained"))
        assert build_ranking(on_the_day, "prefecture", "trained").total.trained >= day_before + 2
    finally:
        on_the_day.close()


def test_the_export_summary_sheets_count_trained_units(cache: Path, tmp_path: Path) -> None:
    out = tmp_path / "list.xlsx"
    argv = ["--cache-dir", str(cache), "--today", str(TODAY), "export", "--view", "all"]
    assert main([*argv, "-o", str(out)]) == 0
    service = open_service(cache)
    try:
        want = total(service.summary("area")).trained
    finally:
        service.close()
    sheet = load_workbook(out)["按区域代码汇总"]
    headers = [c.value for c in sheet[2]]
    column = headers.index("今年已培训单位数") + 1
    assert headers[column] == "培训覆盖率"
    last = sheet.max_row
    assert sheet.cell(row=last, column=1).value == "合计"
    assert sheet.cell(row=last, column=column).value == want


def test_summary_in_the_shell_says_how_many_were_trained(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cache-dir", str(cache), "--today", str(TODAY), "summary"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[-1] == "今年已培训"
    service = open_service(cache)
    try:
        want = total(service.summary("area")).trained
    finally:
        service.close()
    assert next(line for line in lines if line.startswith("合计")).split()[-1] == str(want)


def test_the_ranking_reads_the_same_facts_as_the_list(cache: Path) -> None:
    """As of the list's day, each unit's ranking figures are its list row's figures, including
    what the ranking's own SQL got wrong: last year's order completed this January counts in
    this year's spend (DOMAIN: a year's spend is by completion date), and last year's order
    still unpaid is arrears."""
    from specialist_tui.client.cache.ranking import unit_figures

    service = open_service(cache)
    try:
        code = service.view_codes("all")[0]
        order = {
            "unit_code": code, "year": 2023, "part": "canteen", "area_code": "",
            "placed_at": "2023-12-20T10:00:00+08:00",
        }  # fmt: skip
        service.cache.upsert(
            "orders",
            [
                {
                    **order,
                    "id": "T-LATE-1",
                    "amount": 12_345,
                    "status": "completed",
                    "paid_at": "2023-12-21T10:00:00+08:00",
                    "completed_at": "2024-01-10T10:00:00+08:00",
                },
                {**order, "id": "T-LATE-2", "amount": 6_789, "status": "pending_payment"},
            ],
            service.policy,
            service.today,
        )
        rows = {r.code: r for r in service.unit_rows(service.view_codes("all"))}
        figures = unit_figures(service.cache, 2024, TODAY)
        assert unit_figures(service.cache, 2024, TODAY, stored=True) == figures
        assert len(figures) == len(rows)
        for unit in figures:
            row = rows[unit.code]
            assert (unit.completed, unit.unpaid, unit.trained) == (
                row.completed_fen,
                row.unpaid_fen,
                row.trained,
            )
            assert unit.filed == (row.filing_status in ("submitted", "confirmed"))
        [mine] = [u for u in figures if u.code == code]
        assert mine.completed >= 12_345 and mine.unpaid >= 6_789
    finally:
        service.close()
