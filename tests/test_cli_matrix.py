"""Every command and subcommand against bad input: one Chinese line, no traceback, nothing written.

Each case runs `specialist-tui` in-process (`cli.main`) against a small world of real files: a
demo cache, a hub database, a text file, a folder, a cache and a hub database written by a newer
version, a non-database file posing as a cache, a client cache posing as a hub database. It
asserts exit status 2 (1 where there is nothing to do), exactly one line on stderr that is
Chinese and names what was wrong, no Python traceback, and no file created, changed or removed
anywhere the command could write (the world, HOME, the working folder).
A few cases run as real subprocesses, and a hypothesis fuzz throws random argv at the parser.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specialist_tui.cli import build_parser, main

CJK = re.compile(r"[\u4e00-\u9fff]")
# Words argparse or Python would print untranslated.
ENGLISH = re.compile(
    r"Traceback|(?<![-.\w])(usage:|error:|argument|expected|invalid|required|unrecognized)\b"
    r"|No such|Errno",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("world")
    cache = root / "cache"
    assert main(["demo", "--no-ui", "--units", "30", "--cache-dir", str(cache)]) == 0
    hub = root / "hub.sqlite"
    assert main(["hub", "init", "--db", str(hub)]) == 0
    assert (
        main(
            ["hub", "center", "add", "QH01", "青海中心", "--area-codes", "QH0101", "--db", str(hub)]
        )
        == 0
    )
    (root / "notes.txt").write_text("不是导出文件\n", encoding="utf-8")
    (root / "folder").mkdir()
    junk = root / "junk"
    junk.mkdir()
    (junk / "specialist.sqlite").write_text("这不是数据库", encoding="utf-8")
    newer = root / "newer"
    assert main(["demo", "--no-ui", "--units", "5", "--cache-dir", str(newer)]) == 0
    _set_version(newer / "specialist.sqlite", 999)
    newer_hub = root / "newer-hub.sqlite"
    assert main(["hub", "init", "--db", str(newer_hub)]) == 0
    _set_version(newer_hub, 999)
    bad_config = root / "bad.toml"
    bad_config.write_text("policy = = 1\n", encoding="utf-8")
    wrong_config = root / "wrong.toml"
    wrong_config.write_text('today = "someday"\n', encoding="utf-8")
    binary = root / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    return {
        "cache": str(cache),
        "hub": str(hub),
        "file": str(root / "notes.txt"),
        "dir": str(root / "folder"),
        "missing": str(root / "no" / "such"),
        "junk": str(junk),
        "newer": str(newer),
        "newerhub": str(newer_hub),
        "clientdb": str(cache / "specialist.sqlite"),
        "badconfig": str(bad_config),
        "wrongconfig": str(wrong_config),
        "binary": str(binary),
        "samples": str(Path(__file__).resolve().parents[1] / "specialist_tui" / "samples"),
        "root": str(root),
    }


def _set_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


C = "--cache-dir {cache}"
H = "--db {hub}"

# (argv with {placeholders}, exit status, a piece the one line must contain)
CASES: list[tuple[str, int, str]] = [
    # global flags, on the app and on a command
    ("--today 2024-13-01", 2, "不是日期"),
    ("--today ''", 2, "不是日期"),
    ("--cache-dir {file} units", 2, "不是文件夹"),
    ("--cache-dir '' units", 2, "路径不能为空"),
    ("--policy nosuch units " + C, 2, "没有政策文件 nosuch"),
    ("--policy {dir} units " + C, 2, "是一个文件夹"),
    ("--policy {badconfig} units " + C, 2, "不是有效的 TOML"),
    ("--policy {binary} units " + C, 2, "无法读取政策文件"),
    ("--config {missing} units " + C, 2, "配置文件不存在"),
    ("--config {dir} units " + C, 2, "配置文件是一个文件夹"),
    ("--config {badconfig} units " + C, 2, "不是有效的 TOML"),
    ("--config {wrongconfig} units " + C, 2, "设置 today 的值无效"),
    ("--nosuch", 2, "无法识别的参数"),
    ("nosuch", 2, "无效的选择"),
    # demo
    ("demo --no-ui --units 0 " + C, 2, "--units"),
    ("demo --no-ui --units abc " + C, 2, "不是整数"),
    ("demo --no-ui --seed -1 " + C, 2, "--seed"),
    ("demo --no-ui --today 2025-01-05 " + C, 2, "不在政策年度"),
    ("demo --no-ui --cache-dir {junk}", 2, "不是可用的缓存数据库"),
    ("demo --no-ui --cache-dir {newer}", 2, "更新版本"),
    # units
    ("units --view bad " + C, 2, "--view"),
    ("units --view " + C, 2, "需要一个值"),
    ("units --sort bogus " + C, 2, "没有排序键 'bogus'"),
    ("units --sort -bogus " + C, 2, "没有排序键 '-bogus'"),
    ("units --sort " + C, 2, "需要一个值"),
    ("units --limit -3 " + C, 2, "--limit"),
    ("units --limit 0 " + C, 2, "--limit"),
    ("units --limit x " + C, 2, "不是整数"),
    ("units --format pdf " + C, 2, "--format"),
    ("units --cache-dir {missing}", 1, "缓存中没有单位"),
    ("units --cache-dir {junk}", 2, "不是可用的缓存数据库"),
    ("units --cache-dir {newer}", 2, "更新版本"),
    # calls and tickets
    ("calls --since 2024-02-30 " + C, 2, "--since"),
    ("calls list --since someday " + C, 2, "--since"),
    ("calls list --format xml " + C, 2, "--format"),
    ("calls --unit '' " + C, 2, "不能为空"),
    ("calls --unit 91630000MA00000000 " + C, 2, "--unit"),
    ("calls --format xml " + C, 2, "--format"),
    ("calls list --since 7-40 " + C, 2, "--since"),
    ("calls --cache-dir {missing}", 1, "缓存中没有单位"),
    ("calls add --outcome reached " + C, 2, "--unit"),
    ("calls add --unit 91630000MA00000000 --outcome reached " + C, 2, "--unit"),
    ("calls add --unit {unit} --outcome picked_up " + C, 2, "--outcome"),
    ("calls add --unit {unit} --outcome reached --topic gossip " + C, 2, "--topic"),
    ("calls add --unit {unit} --outcome reached --follow-up 2024-02-30 " + C, 2, "--follow-up"),
    ("calls add --unit {unit} --outcome reached --duration -1 " + C, 2, "--duration"),
    # neither a topic nor a note: refused like the app's call form does
    ("calls add --unit {unit} --outcome reached " + C, 2, "--topic：请选至少一个话题或写下备注"),
    ("calls add --unit {unit} --outcome busy --notes '  ' " + C, 2, "--topic：请选至少一个话题"),
    ("calls add --unit {unit} --outcome reached --cache-dir {missing}", 1, "缓存中没有单位"),
    ("calls done " + C, 2, "CALL_ID 或 --unit"),
    ("calls done abcd --unit {unit} " + C, 2, "二选一"),
    ("calls done ab " + C, 2, "CALL_ID：请给出通话编号"),
    ("calls done 0000ffff " + C, 2, "缓存中没有这次通话"),
    ("calls done --unit 91630000MA00000000 " + C, 2, "--unit"),
    ("calls done --unit {unit} " + C, 2, "没有未完成的跟进约定"),
    ("calls done abcd --cache-dir {missing}", 1, "缓存中没有单位"),
    ("tickets --status finished " + C, 2, "--status"),
    ("tickets add --unit {unit} --category weather --subject x " + C, 2, "--category"),
    (
        "tickets add --unit {unit} --category account --subject x --priority asap " + C,
        2,
        "--priority",
    ),
    ("tickets add --unit {unit} --category account --subject '' " + C, 2, "不能为空"),
    ("tickets add --unit {unit} --category account " + C, 2, "--subject"),
    # config and policy
    ("config", 2, "缺少必需的参数"),
    ("config path --config {missing}", 2, "配置文件不存在"),
    ("config show --config {badconfig}", 2, "不是有效的 TOML"),
    ("config set-hub ftp://x --config {root}/c.toml", 2, "同步中心地址无效"),
    ("config set-hub '' --config {root}/c.toml", 2, "同步中心地址无效"),
    ("config set-hub http://h:99999 --config {root}/c.toml", 2, "端口"),
    ("config set-hub http://h:8832 --token '' --config {root}/c.toml", 2, "令牌为空"),
    ("config set-hub http://h:8832 --token a --token-stdin", 2, "不能与参数"),
    ("config move-cache", 1, "没有旧版缓存"),
    ("policy --policy nosuch", 2, "没有政策文件"),
    # import, export, summary
    ("import " + C, 2, "缺少必需的参数"),
    ("import {missing} " + C, 2, "文件不存在"),
    ("import {dir} " + C, 2, "是一个文件夹"),
    ("import '' " + C, 2, "路径不能为空"),
    ("import {file} --cache-dir {missing}", 1, "未写入任何数据"),
    ("import {samples}/units.csv --report {missing}/r.csv " + C, 2, "文件夹不存在"),
    ("import {samples}/units.csv --report {dir} " + C, 2, "是一个文件夹"),
    ("export -o {dir} " + C, 2, "是一个文件夹"),
    ("export -o '' " + C, 2, "路径不能为空"),
    ("export -o {missing}/x.csv " + C, 2, "文件夹不存在"),
    ("export -o {root}/x.pdf " + C, 2, "不支持的扩展名 .pdf"),
    ("export -o {root}/x.csv --format xlsx " + C, 2, "与 --format xlsx 不符"),
    ("export -o {root}/x.csv --encoding latin1 " + C, 2, "--encoding"),
    ("export -o {root}/x.csv --sort nope " + C, 2, "没有排序键"),
    ("export " + C, 2, "-o/--output"),
    ("export -o {root}/x.csv --cache-dir {missing}", 1, "缓存中没有单位"),
    ("export -o /proc/x.csv " + C, 2, "无法读写 /proc/x.csv"),
    ("summary --by town " + C, 2, "--by"),
    ("summary --cache-dir {missing}", 1, "缓存中没有单位"),
    ("letters -o {file} " + C, 2, "不是文件夹"),
    ("letters -o '' " + C, 2, "路径不能为空"),
    ("letters -o {root}/letters --view bad " + C, 2, "--view"),
    ("letters -o {root}/letters --cache-dir {missing}", 1, "缓存中没有单位"),
    ("letters " + C, 2, "-o/--output"),
    ("letters status --state lost " + C, 2, "--state"),
    ("letters status --view bad " + C, 2, "--view"),
    ("letters status --format xml " + C, 2, "--format"),
    ("letters status --cache-dir {missing}", 1, "缓存中没有单位"),
    ("letters mark {unit} sent " + C, 2, "不需要无食堂承诺函"),
    ("letters mark {unit} lost " + C, 2, "STATE"),
    ("letters mark {unit} " + C, 2, "缺少必需的参数"),
    ("letters mark 11630000000000000X sent " + C, 2, "缓存中没有这个单位"),
    ("letters mark {unit} sent --note '' --cache-dir {missing}", 1, "缓存中没有单位"),
    ("events --format xml " + C, 2, "--format"),
    ("events --since 2024-02-30 " + C, 2, "--since"),
    ("events --cache-dir {missing}", 1, "缓存中没有单位"),
    ("events add --kind lecture --topic x --view all " + C, 2, "--kind"),
    ("events add --kind training --topic x " + C, 2, "至少给出一个参加单位"),
    ("events add --kind training --topic x --at 2024-13-01 --view all " + C, 2, "--at"),
    ("events add --kind training --topic x --view bad " + C, 2, "--view"),
    ("events untrained --format xml " + C, 2, "--format"),
    ("events untrained --cache-dir {missing}", 1, "缓存中没有单位"),
    ("events export " + C, 2, "-o/--output"),
    ("events export -o {dir} " + C, 2, "是一个文件夹"),
    ("events export -o {root}/x.pdf " + C, 2, "不支持的扩展名 .pdf"),
    ("events export -o {root}/x.csv --format xlsx " + C, 2, "与 --format xlsx 不符"),
    ("events export -o {root}/x.csv --since 2024-02-30 " + C, 2, "--since"),
    ("events export -o {root}/x.csv --view bad " + C, 2, "--view"),
    ("events export -o {root}/x.csv --since 2030-01-01 " + C, 1, "没有可导出的活动"),
    ("events export -o {root}/x.csv --cache-dir {missing}", 1, "缓存中没有单位"),
    ("events import " + C, 2, "缺少必需的参数"),
    ("events import {missing} " + C, 2, "文件不存在"),
    ("events import {dir} " + C, 2, "是一个文件夹"),
    ("events import {file} " + C, 1, "未写入任何数据"),
    ("events import {samples}/units.csv " + C, 1, "没有找到表头"),
    ("events import {file} --cache-dir {missing}", 1, "缓存中没有单位"),
    ("hub specialist list --format xlsx " + H, 2, "-o"),
    ("hub specialist list --format xlsx -o {dir} " + H, 2, "是一个文件夹"),
    # sync: nothing here reaches a network
    ("sync --hub-url htp:/bad " + C, 2, "同步中心地址无效"),
    ("sync --hub-url http://127.0.0.1:99999 " + C, 2, "端口"),
    ("sync --hub-url http://127.0.0.1:9 " + C, 2, "没有 http://127.0.0.1:9 的令牌"),
    ("sync " + C, 2, "未配置同步中心"),
    # hub
    ("hub", 2, "缺少必需的参数"),
    ("hub init --db {dir}", 2, "不是中心数据库"),
    ("hub init --db {file}", 2, "不是中心数据库"),
    ("hub init --db {clientdb}", 2, "不是中心数据库"),
    ("hub init --db {hub}", 1, "已是中心数据库"),
    ("hub init --db ''", 2, "路径不能为空"),
    ("hub serve --db {hub} --port 99999", 2, "--port"),
    ("hub serve --db {hub} --port 0", 2, "--port"),
    ("hub serve --db {hub} --port http", 2, "不是整数"),
    ("hub serve --db {hub} --max-body 0", 2, "--max-body"),
    ("hub serve --db {missing}", 2, "中心数据库不存在"),
    ("hub serve --db {newerhub}", 2, "更新版本"),
    ("hub serve --db {clientdb}", 2, "不是中心数据库"),
    ("hub center add QH01 重复 " + H, 2, "已存在"),
    ("hub center add '' 名称 " + H, 2, "不能为空"),
    ("hub center add QH09 名称 --db {file}", 2, "不是中心数据库"),
    ("hub specialist add 王五 --center NOPE " + H, 2, "没有服务中心 NOPE"),
    ("hub specialist add 王五 --center QH01 --id 'a b' " + H, 2, "服务专员编号"),
    ("hub specialist add 王五 --center QH01 --db {missing}", 2, "中心数据库不存在"),
    ("hub specialist list --db {missing}", 2, "中心数据库不存在"),
    ("hub specialist list --format xml " + H, 2, "--format"),
    ("hub token rotate nobody " + H, 2, "没有服务专员 nobody"),
    ("hub token rotate nobody --db {missing}", 2, "中心数据库不存在"),
    ("hub assign nobody --area NOAREA " + H, 2, "没有区域代码为 NOAREA 的单位"),
    ("hub assign nobody " + H, 2, "没有要分配的单位"),
    ("hub assign nobody --area QH0101 --db {missing}", 2, "中心数据库不存在"),
    ("hub seed-demo --units 0 " + H, 2, "--units"),
    ("hub seed-demo --as-of someday " + H, 2, "不是日期"),
    ("hub seed-demo --db {missing}", 2, "中心数据库不存在"),
    ("hub serve --db {hub} --workers 0", 2, "--workers"),
    ("hub serve --db {hub} --host no.such.host.invalid", 2, "不是本机的地址"),
    ("hub serve --db {hub} --host 192.0.2.1 --port 8832", 2, "无法在 192.0.2.1:8832 监听"),
    ("hub migrate --from {missing} --to {root}/copy.sqlite", 2, "中心数据库不存在"),
    ("hub migrate --from {hub} --to {file}", 2, "不是中心数据库"),
    ("hub migrate --from {hub}", 2, "--to"),
    ("hub import {missing} " + H, 2, "文件不存在"),
    ("hub import {file} " + H, 1, "未写入任何数据"),
    ("hub import {samples}/units.csv --db {missing}", 2, "中心数据库不存在"),
    # completion
    ("completion powershell", 2, "无效的选择"),
    ("completion", 2, "缺少必需的参数"),
]


def _argv(template: str, world: dict[str, str], unit: str) -> list[str]:
    import shlex

    return shlex.split(template.format(unit=unit, **world))


def _snapshot(*roots: Path) -> dict[str, tuple[int, int]]:
    """Every file under the roots with its size and modification time (SQLite's WAL aside)."""
    seen = {}
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in files:
                if name.endswith(("-wal", "-shm")):
                    continue  # a reader's transient companions, gone when it closes
                path = Path(folder) / name
                stat = path.stat()
                seen[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return seen


@pytest.fixture(scope="module")
def unit(world: dict[str, str]) -> str:
    from specialist_tui.client.config import Settings
    from specialist_tui.client.service import Service

    service = Service(Settings(cache_dir=Path(world["cache"])))
    try:
        rows = service.view_rows("all", limit=1)
    finally:
        service.close()
    return rows[0].code


# An import with bad rows lists each of them (file, row, column, value, reason: docs/import.md)
# before its one summary line; that summary is the line checked.
IMPORT_SUMMARY = "未写入任何数据"


def _check(
    argv: list[str], code: int, piece: str, err: str, roots: tuple[Path, ...], before: object
) -> None:
    lines = err.strip().splitlines()
    if piece != IMPORT_SUMMARY:
        assert len(lines) == 1, f"{argv}: {err!r}"
    line = lines[-1]
    assert CJK.search(line) and not ENGLISH.search(line), line
    assert piece in line, line
    assert _snapshot(*roots) == before, f"{argv} wrote a file"


@pytest.mark.parametrize(("template", "code", "piece"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_chinese_line_and_writes_nothing(
    world: dict[str, str],
    unit: str,
    template: str,
    code: int,
    piece: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    argv = _argv(template, world, unit)
    roots = (Path(world["root"]), tmp_path, Path.cwd())
    before = _snapshot(*roots)
    capsys.readouterr()
    assert main(argv) == code, capsys.readouterr().err
    _check(argv, code, piece, capsys.readouterr().err, roots, before)


def _leaf_commands(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    """Every runnable command path ("hub specialist add"), read from the parser itself."""
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                path = f"{prefix} {name}".strip()
                found.add(path)
                found |= _leaf_commands(child, path)
    return found


def test_the_matrix_covers_every_command_and_subcommand() -> None:
    covered = set()
    for template, _, _ in CASES:
        words = [w for w in template.split() if not w.startswith(("-", "{", "'"))]
        for n in range(1, len(words) + 1):
            covered.add(" ".join(words[:n]))
    missing = _leaf_commands(build_parser()) - covered
    assert not missing, f"no bad-input case for: {sorted(missing)}"


def test_every_help_text_is_chinese() -> None:
    """Every command's and flag's help a user reads is Chinese (flags and codes as they are)."""

    def walk(parser: argparse.ArgumentParser, where: str) -> None:
        for action in parser._actions:
            if action.help and action.help != argparse.SUPPRESS:
                assert CJK.search(action.help), f"{where} {action.option_strings}: {action.help}"
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    assert choice.help and CJK.search(choice.help), f"{where} {choice.dest}"
                for name, child in action.choices.items():
                    walk(child, f"{where} {name}")

    walk(build_parser(), "specialist-tui")


SUBPROCESS_CASES = [
    ("export -o {dir} " + C, 2),
    ("units --limit -3 " + C, 2),
    ("hub serve --db {missing}", 2),
    ("--cache-dir {file} units", 2),
    ("units --sort -unpaid --limit 2 " + C, 0),
]


@pytest.mark.parametrize(
    ("template", "code"), SUBPROCESS_CASES, ids=[c[0] for c in SUBPROCESS_CASES]
)
def test_the_real_program_prints_no_traceback(
    world: dict[str, str], unit: str, template: str, code: int
) -> None:
    argv = _argv(template, world, unit)
    done = subprocess.run(
        [sys.executable, "-m", "specialist_tui", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LANG": "en_US.UTF-8"},  # an English locale still gets Chinese
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    if code:
        assert len(done.stderr.strip().splitlines()) == 1 and CJK.search(done.stderr)


# -- fuzz: random argv over the safe commands (none opens the app, serves or syncs) ---------

WORDS = [
    "units", "calls", "tickets", "add", "config", "path", "show", "set-hub", "policy", "export",
    "summary", "import", "hub", "init", "center", "specialist", "list", "token", "rotate",
    "assign", "completion", "bash", "done", "--view", "--sort", "--filter", "--limit",
    "--format", "--today", "--policy", "--cache-dir", "--config", "--db", "-o", "--unit",
    "--outcome", "--since", "--status", "--by", "--area", "--units", "--as-of", "--token",
    "--report", "-unpaid", "all", "json", "csv", "xlsx", "0", "-1", "99999", "", " ", "\t",
    "2024-02-30", "{file}", "{dir}", "{missing}", "{junk}", "{newer}", "{hub}", "{newerhub}",
    "{root}/x.csv", "{root}/x.xlsx", "{root}/x.pdf", "http://", "--", "-", "--help",
]  # fmt: skip
FIRST = ["units", "calls", "tickets", "config", "policy", "export", "summary", "import", "hub"]


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    first=st.sampled_from(FIRST),
    rest=st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=6),
)
def test_fuzzed_argv_never_raises_and_writes_nothing_when_refused(
    world: dict[str, str], first: str, rest: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [first, *(w.format(**world) if w.startswith("{") else w for w in rest)]
    if "hub" in argv and "--db" not in argv:
        argv += ["--db", world["hub"]]  # never the working folder's default hub.sqlite
    if not any(a.startswith("--cache-dir") for a in argv):
        argv += ["--cache-dir", world["cache"]]
    roots = (Path(world["root"]), Path.cwd())
    before = _snapshot(*roots)
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in err, argv
    if code:
        assert err.strip() and CJK.search(err), (argv, err)
        assert _snapshot(*roots) == before, f"{argv} wrote a file and failed"
