"""`events export` and `events import`: one row per event and unit with Chinese headers, no
live formula from data, read back in the same shape idempotently by the event's id; fewer
rows drop the units left out; a bad file says each problem on a line and changes nothing."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from specialist_tui.cli import main
from specialist_tui.client.config import Settings
from specialist_tui.client.events_file import COLUMNS
from specialist_tui.client.service import Service

from .conftest import TODAY

HEADERS = [c.header for c in COLUMNS]
FORMULA_TOPIC = '=HYPERLINK("http://x","培训")'


@pytest.fixture
def cache(demo_cache: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "cache"
    shutil.copytree(demo_cache, copy)
    return copy


def run(cache: Path, *args: str) -> int:
    return main(["--cache-dir", str(cache), "--today", str(TODAY), "events", *args])


def state(cache: Path) -> tuple[list[tuple[str, str, int, str]], int]:
    """Every local event part (event, unit, people, topic) and the outbox's pending rows."""
    service = Service(Settings(cache_dir=cache, today=TODAY))
    try:
        parts = service.cache.rows(
            "SELECT event_id, unit_code, people, topic FROM event_attendance "
            "ORDER BY event_id, unit_code"
        )
        return [tuple(r.values()) for r in parts], service.cache.outbox_count()  # type: ignore[misc]
    finally:
        service.close()


def some_units(cache: Path, n: int) -> list[str]:
    service = Service(Settings(cache_dir=cache, today=TODAY))
    try:
        return service.view_codes("all")[:n]
    finally:
        service.close()


def log_two_events(cache: Path) -> list[str]:
    codes = some_units(cache, 5)
    units = [a for code in codes[:4] for a in ("--unit", code)]
    assert run(cache, "add", "--kind", "training", "--topic", FORMULA_TOPIC, *units,
               "--at", "2024-03-05 09:30", "--until", "2024-03-05 11:30", "--place", "会议室",
               "--people", "2", "--notes", "@备注", "--follow-up", "两周后回访") == 0  # fmt: skip
    assert run(cache, "add", "--kind", "visit", "--topic", "上门走访", "--unit", codes[4],
               "--at", "2024-06-01 10:00") == 0  # fmt: skip
    return codes


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def test_export_writes_a_row_per_event_and_unit_without_live_formulas(
    cache: Path, tmp_path: Path
) -> None:
    codes = log_two_events(cache)
    out = tmp_path / "活动.xlsx"
    assert run(cache, "export", "-o", str(out)) == 0
    sheet = load_workbook(out)["活动"]
    assert [c.value for c in sheet[2]] == HEADERS
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 5
    assert {r[9] for r in rows} == set(codes)
    assert [r[1] for r in rows] == ["培训会"] * 4 + ["上门走访"]
    assert all(r[10] == 2 for r in rows[:4]) and rows[0][3].hour == 11
    # Text from data is never a formula: the cells hold text starting with an apostrophe.
    for row in sheet.iter_rows(min_row=3):
        assert all(cell.data_type != "f" for cell in row)
    assert rows[0][6] == "'" + FORMULA_TOPIC and rows[0][11] == "'@备注"
    # --since and --view narrow it; CSV holds the same rows.
    assert run(cache, "export", "-o", str(tmp_path / "june.csv"), "--since", "2024-04-01") == 0
    june = read_csv(tmp_path / "june.csv")
    assert june[0] == HEADERS and [r[1] for r in june[1:]] == ["上门走访"]
    one = tmp_path / "one.csv"
    assert run(cache, "export", "-o", str(one), "--view", "all", "--filter", codes[0]) == 0
    assert [r[9] for r in read_csv(one)[1:]] == [codes[0]]


def test_import_of_an_export_is_idempotent_and_fewer_rows_drop_units(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = log_two_events(cache)
    before = state(cache)
    for name in ("all.xlsx", "all.csv"):
        assert run(cache, "export", "-o", str(tmp_path / name)) == 0
        assert run(cache, "import", str(tmp_path / name)) == 0
        assert state(cache) == before  # nothing new queued either
    assert "0 次活动" in capsys.readouterr().err
    rows = read_csv(tmp_path / "all.csv")
    training = [r for r in rows[1:] if r[1] == "培训会"]
    # Drop two units of the training, give one more people, and type a new seminar by hand.
    kept = [training[0][:], training[1][:]]
    kept[0][10] = "7"
    typed = ["", "座谈会", "2024-06-20 14:00", "16:00", "线上", "", "预留座谈会", "", "",
             codes[4], "3", "", "", ""]  # fmt: skip
    write_csv(tmp_path / "edited.csv", [rows[0], *kept, typed])
    assert run(cache, "import", str(tmp_path / "edited.csv")) == 0
    parts, pending = state(cache)
    by_topic: dict[str, dict[str, int]] = {}
    for _, unit, people, topic in parts:
        by_topic.setdefault(str(topic), {})[str(unit)] = int(people)
    assert by_topic[FORMULA_TOPIC] == {training[0][9]: 7, training[1][9]: 2}  # inert, not "'="
    assert by_topic["预留座谈会"] == {codes[4]: 3}
    assert by_topic["上门走访"] == {codes[4]: 0}  # not in the file: left as it was
    assert pending == before[1] - 2 + 2 + 1  # dropped parts leave the outbox; kept ones re-queue
    assert run(cache, "import", str(tmp_path / "edited.csv")) == 0
    assert state(cache) == (parts, pending)  # the typed seminar found again by what it is


def test_a_bad_file_says_each_problem_and_changes_nothing(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_two_events(cache)
    assert run(cache, "export", "-o", str(tmp_path / "all.csv")) == 0
    before = state(cache)
    rows = read_csv(tmp_path / "all.csv")
    bad = [rows[0], *(r[:] for r in rows[1:6])]
    bad[1][1] = "讲座"
    bad[2][2] = "明天下午"
    bad[3][9] = "91630100MA0000000X"
    bad[4][10] = "-1"
    bad[5][6] = "改过的主题"  # the visit's own row, changed and valid: still not saved
    write_csv(tmp_path / "bad.csv", bad)
    capsys.readouterr()
    assert run(cache, "import", str(tmp_path / "bad.csv")) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:4] == [
        "  第 2 行：类型“讲座”应为 座谈会、培训会 或 上门走访",
        "  第 3 行：开始时间“明天下午”应为 YYYY-MM-DD HH:MM",
        "  第 4 行：缓存中没有这个单位：'91630100MA0000000X'",
        "  第 5 行：参加人数“-1”应为不小于 0 的整数",
    ]
    assert err[-1] == "有 4 处问题，未写入任何数据。改正后重试。"
    assert state(cache) == before
    # Fixed rows but one event's details differ between its rows, and an end before its start.
    clash = [rows[0], rows[1][:], rows[2][:]]
    clash[2][6] = "另一个主题"
    write_csv(tmp_path / "clash.csv", clash)
    assert run(cache, "import", str(tmp_path / "clash.csv")) == 1
    assert "第 3 行：主题与第 2 行不同" in capsys.readouterr().err
    backwards = [rows[0], rows[1][:]]
    backwards[1][3] = "2024-03-05 08:00"
    write_csv(tmp_path / "backwards.csv", backwards)
    assert run(cache, "import", str(tmp_path / "backwards.csv")) == 1
    assert "结束时间早于开始时间" in capsys.readouterr().err
    assert state(cache) == before
