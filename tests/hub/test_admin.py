"""The hub's admin commands and database, and the client's config file, from the shell's side."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from specialist_tui.cli import main
from specialist_tui.client.config import load_settings
from specialist_tui.hub import auth
from specialist_tui.hub.store import SCHEMA_VERSION, HubStore, StoreError


def _hub(db: str | Path, *args: str) -> list[str]:
    return ["hub", *args, "--db", str(db)]


def test_specialist_add_and_token_rotate_print_the_token_alone_once(
    hub_db: str | Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_hub(hub_db, "center", "add", "QH01", "青海中心", "--area-codes", "QH0101")) == 0
    assert main(_hub(hub_db, "specialist", "add", "张三", "--center", "QH01", "--id", "zs")) == 0
    first = capsys.readouterr().out
    assert first.count("\n") == 1 and auth.split(first.strip()) is not None
    assert main(_hub(hub_db, "token", "rotate", "zs")) == 0
    second = capsys.readouterr().out.strip()
    assert auth.split(second) is not None and second != first.strip()
    # Only a salted hash is stored: neither token's secret appears in the database.
    store = HubStore(hub_db)
    raw = repr(list(store.dump("specialists"))).encode()
    if isinstance(hub_db, Path):
        raw += hub_db.read_bytes()
    for token in (first.strip(), second):
        assert token.split("_", 2)[2].encode() not in raw
    token_id, secret = auth.split(second) or ("", "")
    record = store.token_record(token_id)
    assert record is not None and auth.matches(secret, record.salt, record.hash)
    assert store.token_record((auth.split(first.strip()) or ("", ""))[0]) is None


def test_specialist_list_as_json(hub_db: str | Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(_hub(hub_db, "center", "add", "QH01", "青海中心"))
    main(_hub(hub_db, "specialist", "add", "李四", "--center", "QH01", "--id", "ls", "--lead"))
    capsys.readouterr()
    assert main(_hub(hub_db, "specialist", "list", "--format", "json")) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"id": "ls", "name": "李四", "center": "QH01", "role": "lead", "units": 0}]


def test_admin_mistakes_are_one_line_errors(
    hub_db: str | Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_hub(hub_db, "specialist", "add", "王五", "--center", "NOPE")) == 2
    assert main(_hub(hub_db, "token", "rotate", "nobody")) == 2
    assert main(_hub(hub_db, "assign", "nobody", "--area", "QH0101")) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("specialist-tui：") for e in errors)


def test_a_newer_hub_database_is_refused_and_an_older_one_migrated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "hub.sqlite"
    HubStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="更新版本"):
        HubStore(db)
    assert main(["hub", "serve", "--db", str(db), "--port", "8832"]) == 2
    assert "更新版本" in capsys.readouterr().err
    old = tmp_path / "old.sqlite"
    sqlite3.connect(old).close()  # version 0: an empty database is migrated
    assert HubStore(old).schema_version == SCHEMA_VERSION


def test_a_newer_postgresql_hub_is_refused(pg_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = HubStore(pg_db)
    assert store.schema_version == SCHEMA_VERSION
    with store.transaction() as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION + 1])
    store.close()
    with pytest.raises(StoreError, match="更新版本"):
        HubStore(pg_db)
    assert main(["hub", "serve", "--db", pg_db, "--port", "8832"]) == 2
    assert "更新版本" in capsys.readouterr().err


def test_a_config_file_holding_a_token_is_mode_0600(
    tmp_path: Path, isolated_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_settings.parent.mkdir(parents=True)
    isolated_settings.write_text('# mine\npolicy = "national-2024"\n\n[keymap]\n"app.quit" = "x"\n')
    isolated_settings.chmod(0o644)
    assert main(["config", "set-hub", "http://10.0.0.5:8832", "--token", "sth_x_y"]) == 0
    assert stat.S_IMODE(isolated_settings.stat().st_mode) == 0o600
    text = isolated_settings.read_text()
    assert text.startswith("# mine\n") and '"app.quit" = "x"' in text
    settings = load_settings()
    assert settings.hub_url == "http://10.0.0.5:8832"
    assert settings.token is not None and settings.token.get_secret_value() == "sth_x_y"
    assert settings.policy == "national-2024" and settings.keymap == {"app.quit": "x"}
    # The token is never printed, not even by `config show`.
    assert main(["config", "show"]) == 0
    assert "sth_x_y" not in capsys.readouterr().out


def test_environment_gives_hub_url_and_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECIALIST_TUI_HUB_URL", "http://hub:8832")
    monkeypatch.setenv("SPECIALIST_TUI_TOKEN", "sth_a_b")
    settings = load_settings()
    assert settings.hub_url == "http://hub:8832"
    assert settings.token is not None and settings.token.get_secret_value() == "sth_a_b"


def test_sync_without_a_hub_says_how_to_set_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--cache-dir", str(tmp_path / "never")]) == 2
    assert "config set-hub" in capsys.readouterr().err
    assert not (tmp_path / "never").exists()


SAMPLES = Path(__file__).resolve().parents[2] / "specialist_tui" / "samples"


def test_hub_import_writes_a_clean_batch_and_keeps_assignments(
    hub_db: str | Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(SAMPLES / n) for n in ("units.csv", "filings.xlsx", "orders.csv")]
    assert main(_hub(hub_db, "center", "add", "QH01", "青海中心")) == 0
    assert main(_hub(hub_db, "import", *files)) == 2  # the export names specialist zy001
    assert "hub specialist add" in capsys.readouterr().err
    store = HubStore(hub_db)
    assert store.count("unit") == 0  # all or nothing
    for who in ("zy001", "zy002"):
        assert main(_hub(hub_db, "specialist", "add", who, "--center", "QH01", "--id", who)) == 0
    assert main(_hub(hub_db, "import", *files)) == 0
    units, filings, orders = store.count("unit"), store.count("filing"), store.count("order")
    assert (units, filings, orders) == (12, 11, 17)
    assert {r["id"]: r["units"] for r in store.specialists()} == {"zy001": 6, "zy002": 6}
    assert main(_hub(hub_db, "specialist", "add", "李", "--center", "QH01", "--id", "li")) == 0
    assert main(_hub(hub_db, "assign", "li", *store.units_in_area("QH0001"))) == 0
    moved = len(store.units_in_area("QH0001"))
    # An export without the specialist column leaves every assignment as it is.
    lines = (SAMPLES / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    plain = tmp_path / "units-plain.csv"
    plain.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    assert main(_hub(hub_db, "import", str(plain))) == 0
    counts = {r["id"]: r["units"] for r in store.specialists()}
    assert counts["li"] == moved > 0 and sum(counts.values()) == 12


def test_seed_demo_fills_a_hub_and_prints_tokens_to_stderr(
    hub_db: str | Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_hub(hub_db, "seed-demo", "--units", "120")) == 2  # no hub made by init yet
    assert main(_hub(hub_db, "init")) == 0
    capsys.readouterr()
    assert main(_hub(hub_db, "seed-demo", "--units", "120")) == 0
    out, err = capsys.readouterr()
    assert out == ""
    tokens = [line.split("\t")[-1] for line in err.splitlines() if "\tsth_" in line]
    store = HubStore(hub_db)
    assert store.count("unit") == 120 and store.count("order") > 0
    assert len(tokens) == len(store.specialists()) and all(auth.split(t) for t in tokens)
    assert main(_hub(hub_db, "seed-demo", "--units", "10")) == 2  # never on top of data


@pytest.mark.parametrize("access_log", [True, False])
def test_the_served_hub_logs_requests_but_never_tokens(
    hub_db: str | Path, access_log: bool
) -> None:
    """Each request is logged (never a token); with --no-access-log, only the hub's own lines
    (as behind a reverse proxy that keeps the access log)."""
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    from specialist_tui.hub import admin

    db = hub_db
    store = HubStore(db)
    admin.add_center(store, "QH01", "青海中心", [])
    _, token = admin.add_specialist(store, "张三", "QH01", specialist_id="zs")
    store.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "specialist_tui", "hub", "serve", "--db", str(db),
         "--port", str(port), *([] if access_log else ["--no-access-log"])],
        env={**os.environ, "PYTHONPATH": str(root)}, cwd=root,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        for bearer in (token, token[:-3] + "xyz"):
            headers = {"Authorization": f"Bearer {bearer}"}
            httpx.get(f"{url}/api/v1/changes", headers=headers, params={"limit": 10})
            httpx.post(f"{url}/api/v1/push", headers=headers, content=b"{")
    finally:
        proc.terminate()
        log = proc.communicate(timeout=20)[0]
    assert "启动完成" in log
    logged = "GET /api/v1/changes?limit=10" in log and "401" in log and "422" in log
    assert logged is access_log
    secret = token.split("_", 2)[2]
    assert secret not in log and secret[:-3] not in log and "Bearer" not in log


def test_closing_a_sqlite_store_closes_every_threads_connection(tmp_path: Path) -> None:
    """A pool thread that read keeps its connection until close(): then it must go at once.

    SQLite removes the WAL when its last connection closes, so a connection left open in a
    live thread shows as a WAL file still there after close().
    """
    from concurrent.futures import ThreadPoolExecutor

    db = tmp_path / "hub.sqlite"
    store = HubStore(db)
    with ThreadPoolExecutor(max_workers=1) as pool:  # a live thread, like a server's pool
        assert pool.submit(store.count, "unit").result() == 0
        store.close()
        assert not Path(f"{db}-wal").exists()
        # The same thread reading again after close() opens a fresh connection.
        assert pool.submit(store.count, "unit").result() == 0
        store.close()
    assert not Path(f"{db}-wal").exists()


def test_a_token_checked_once_is_still_checked_against_the_stored_row() -> None:
    """The second check of a token skips PBKDF2, never the comparison with what is stored."""
    first, second = auth.issue(), auth.issue()
    secret = first.token.split("_", 2)[2]
    for _ in range(2):  # the first check computes PBKDF2, the second finds it remembered
        assert auth.matches(secret, first.salt, first.hash)
        assert not auth.matches(secret + "x", first.salt, first.hash)
        # Rotated: the row now holds another salt and hash, which this secret never matched.
        assert not auth.matches(secret, second.salt, second.hash)
