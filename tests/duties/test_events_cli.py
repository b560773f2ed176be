"""`specialist-tui events`: a training for every unit under a supervisor in one command, the
listing, the units never trained this year, the errors a user can make; the ranking's trained
share counts events."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from specialist_tui.cli import main
from specialist_tui.client.config import Settings
from specialist_tui.client.ranking import build_ranking
from specialist_tui.client.service import Service

from .conftest import TODAY


@pytest.fixture
def cache(demo_cache: Path, tmp_path: Path) -> Path:
    """A private copy of the demo cache: these tests write to it."""
    copy = tmp_path / "cache"
    shutil.copytree(demo_cache, copy)
    return copy


def run(cache: Path, *args: str) -> int:
    return main(["--cache-dir", str(cache), "--today", str(TODAY), "events", *args])


def service(cache: Path) -> Service:
    return Service(Settings(cache_dir=cache, today=TODAY))


def supervisor_with_units(cache: Path) -> tuple[str, list[str]]:
    svc = service(cache)
    try:
        [row] = svc.cache.rows(
            "SELECT supervisor_name AS name FROM units WHERE supervisor_name != '' "
            "GROUP BY supervisor_name ORDER BY COUNT(*) DESC LIMIT 1"
        )
        codes = svc.cache.rows(
            "SELECT code FROM units WHERE supervisor_name = :s OR name = :s ORDER BY code",
            {"s": row["name"]},
        )
    finally:
        svc.close()
    return row["name"], [r["code"] for r in codes]


def test_a_training_for_every_unit_under_a_supervisor(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, codes = supervisor_with_units(cache)
    assert len(codes) >= 5
    args = ["add", "--kind", "training", "--topic", "预留份额填报培训", "--supervisor", name]
    assert run(cache, *args, "--at", "2024-03-05 09:30", "--place", "线上", "--people", "2") == 0
    out, err = capsys.readouterr()
    event_id = out.strip()
    assert f"已保存培训会「预留份额填报培训」：{len(codes)} 个单位" in err
    assert run(cache, "--format", "json") == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["id"] == event_id
    assert (listed["units"], listed["people"], listed["pushed"]) == (
        len(codes),
        2 * len(codes),
        False,
    )
    assert listed["unit_codes"] == codes
    assert listed["starts_at"] == "2024-03-05T09:30:00+08:00"
    assert run(cache, "--unit", codes[0]) == 0
    assert "预留份额填报培训" in capsys.readouterr().out


def test_units_never_trained_this_year_and_inviting_them(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(cache, "untrained", "--format", "json") == 0
    before = [r["code"] for r in json.loads(capsys.readouterr().out)]
    svc = service(cache)
    units = svc.cache.count("units")
    svc.close()
    assert 0 < len(before) < units
    assert run(cache, "add", "--kind", "seminar", "--topic", "座谈会", "--untrained") == 0
    capsys.readouterr()
    assert run(cache, "untrained", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_the_trained_share_counts_trainings_not_visits(cache: Path) -> None:
    name, codes = supervisor_with_units(cache)

    def trained() -> int:
        svc = service(cache)
        try:
            rows = build_ranking(svc, "supervisor", "trained").rows
        finally:
            svc.close()
        [group] = [r.group for r in rows if r.group.name == name]
        assert group.units == len(codes)
        return group.trained

    before = trained()
    assert before < len(codes)
    assert run(cache, "add", "--kind", "visit", "--topic", "走访", "--supervisor", name) == 0
    assert trained() == before  # a visit is no training
    assert run(cache, "add", "--kind", "training", "--topic", "培训", "--supervisor", name) == 0
    assert trained() == len(codes)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "lecture", "--topic", "x", "--view", "all"], "--kind：应为 seminar（座谈会）"),
        (["--kind", "training", "--topic", "", "--view", "all"], "--topic：不能为空"),
        (["--kind", "training", "--topic", "x", "--unit", "nope"], "--unit：缓存中没有这个单位"),
        (["--kind", "training", "--topic", "x", "--supervisor", "不存在的局"], "没有主管部门为"),
        (["--kind", "training", "--topic", "x"], "至少给出一个参加单位"),
        (
            [
                "--kind",
                "training",
                "--topic",
                "x",
                "--view",
                "all",
                "--at",
                "2024-03-05 10:00",
                "--until",
                "2024-03-05 09:00",
            ],
            "--until：结束时间早于开始时间",
        ),
        (["--kind", "training", "--topic", "x", "--view", "all", "--people", "-1"], "人数不能为负"),
    ],
)
def test_mistakes_are_one_line_and_write_nothing(
    cache: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run(cache, "add", *args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    svc = service(cache)
    assert svc.cache.rows("SELECT COUNT(*) AS n FROM event_attendance")[0]["n"] == 0
    assert svc.cache.outbox_count() == 0
    svc.close()
