"""`calls add`, `tickets add` and their listings write and show what the forms do."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from specialist_tui.cli import main
from specialist_tui.client.cache import Cache
from tests.worklog_data import UNIT_A, UNIT_B, make_worklog


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPECIALIST_TUI_USER", "sp-cli")
    make_worklog(tmp_path).service.close()
    return tmp_path


def run(cache_dir: Path, *argv: str) -> int:
    return main(["--cache-dir", str(cache_dir), "--today", "2024-06-30", *argv])


def test_calls_add_saves_a_call_that_the_json_listing_shows_unpushed(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        cache_dir,
        "calls", "add", "--unit", UNIT_A, "--outcome", "reached", "--topic", "filing",
        "--topic", "payment", "--notes", "已提醒提交", "--follow-up", "7/3",  # as people type it
        "--contact", "李娜",
    )  # fmt: skip
    assert code == 0
    call_id = capsys.readouterr().out.strip()
    assert run(cache_dir, "calls", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == call_id
    assert (row["unit_code"], row["outcome"], row["topics"]) == (
        UNIT_A,
        "reached",
        ["filing", "payment"],
    )
    assert (row["contact_name"], row["contact_phone"]) == ("李娜", "13909710002")
    assert (row["follow_up_on"], row["author"], row["pushed"]) == ("2024-07-03", "sp-cli", False)
    assert run(cache_dir, "units", "--view", "all", "--format", "json") == 0
    units = {u["code"]: u for u in json.loads(capsys.readouterr().out)}
    assert units[UNIT_A]["next_follow_up"] == "2024-07-03"


def test_calls_done_marks_the_promise_done_and_queues_the_mark(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["calls", "add", "--unit", UNIT_A, "--outcome", "busy", "--topic", "filing"]
    run(cache_dir, *argv, "--follow-up", "7/3")
    call_id = capsys.readouterr().out.strip()
    assert run(cache_dir, "calls", "done", call_id[:6]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == call_id and "已标记跟进完成 2024-06-30" in err

    def next_follow_up(*today: str) -> object:
        argv = ["--cache-dir", str(cache_dir), *today, "units", "--view", "all"]
        assert main([*argv, "--format", "json"]) == 0
        return {u["code"]: u for u in json.loads(capsys.readouterr().out)}[UNIT_A]["next_follow_up"]

    assert next_follow_up("--today", "2024-06-30") is None
    cache = Cache.open(cache_dir)
    pending = cache.rows("SELECT kind FROM outbox WHERE pushed_at IS NULL")
    cache.close()
    assert [r["kind"] for r in pending] == ["call", "follow_up_done"]


def test_the_call_listing_filters_by_date_and_unit_and_writes_csv(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(cache_dir, "calls", "add", "--unit", UNIT_A, "--outcome", "busy", "--notes", "占线")
    run(cache_dir, "calls", "add", "--unit", UNIT_B, "--outcome", "no_answer", "--notes", "没人接")
    capsys.readouterr()
    assert run(cache_dir, "calls", "--unit", UNIT_B, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["unit_code"], r["outcome"], r["pushed"]) for r in rows] == [
        (UNIT_B, "no_answer", "false")
    ]
    assert run(cache_dir, "calls", "--since", "2024-07-01", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_calls_list_is_calls_and_the_table_shows_the_notes(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(cache_dir, "calls", "add", "--unit", UNIT_A, "--outcome", "reached", "--notes", "已提醒")
    capsys.readouterr()
    assert run(cache_dir, "calls", "list", "--unit", UNIT_A) == 0
    table = capsys.readouterr().out
    assert "备注" in table and "已提醒" in table
    assert run(cache_dir, "calls", "list", "--since", "7-1", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["--unit", UNIT_A, "--outcome", "picked_up"], "--outcome"),
        (["--unit", UNIT_A, "--outcome", "reached", "--topic", "gossip"], "--topic"),
        (["--unit", UNIT_A, "--outcome", "reached", "--follow-up", "2024-02-30"], "--follow-up"),
        (["--unit", UNIT_A, "--outcome", "reached", "--follow-up", "2024-06-01"], "--follow-up"),
        (["--unit", "91630000MA00000000", "--outcome", "reached"], "--unit"),
        (["--unit", UNIT_A, "--outcome", "reached", "--phone", "123"], "--phone"),
    ],
)
def test_invalid_calls_exit_2_with_one_line_naming_the_flag(
    cache_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], flag: str
) -> None:
    assert run(cache_dir, "calls", "add", *argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("specialist-tui") and f"{flag}：" in err
    cache = Cache.open(cache_dir)
    assert (cache.count("calls"), cache.count("outbox")) == (0, 0)


def test_tickets_add_and_list(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["tickets", "add", "--unit", UNIT_B, "--category", "payment", "--priority", "urgent"]
    assert run(cache_dir, *argv, "--subject", "订单未付款", "--order", "832-2024-000000001") == 0
    ticket_id = capsys.readouterr().out.strip()
    assert run(cache_dir, "tickets", "--status", "open", "--format", "json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["id"] == ticket_id
    assert (row["priority"], row["order_id"], row["version"], row["pushed"]) == (
        "urgent",
        "832-2024-000000001",
        1,
        False,
    )
    due = datetime.fromisoformat(row["due_at"]) - datetime.fromisoformat(row["created_at"])
    assert due == timedelta(hours=4)  # qinghai-2024: urgent = 4 h
    assert run(cache_dir, "tickets", "--status", "closed", "--format", "csv") == 0
    assert capsys.readouterr().out.strip().count("\n") == 0  # the header only


def test_invalid_tickets_exit_2(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["tickets", "add", "--unit", UNIT_A, "--subject", "x"]
    assert run(cache_dir, *base, "--category", "weather") == 2
    assert capsys.readouterr().err.startswith("specialist-tui：--category：")
    assert run(cache_dir, *base, "--category", "account", "--priority", "asap") == 2
    assert capsys.readouterr().err.startswith("specialist-tui：--priority：")
    assert run(cache_dir, "tickets", "--status", "finished") == 2
    assert run(cache_dir, *base, "--category", "payment", "--order", "ABC") == 2
    assert "订单号应为平台订单编号" in capsys.readouterr().err
    cache = Cache.open(cache_dir)
    assert (cache.count("tickets"), cache.count("outbox")) == (0, 0)
