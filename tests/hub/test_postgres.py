"""What only PostgreSQL brings: moving a SQLite hub onto it, and several hub processes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from specialist_tui.cli import main
from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings
from specialist_tui.client.sync import SyncClient
from specialist_tui.hub import admin
from specialist_tui.hub.server import start_in_thread
from specialist_tui.hub.store import HubStore
from tests.hub.conftest import MAX_BODY, POLICY, TODAY, make_unit, seed

ROOT = Path(__file__).resolve().parents[2]


def _client(url: str, token: str, cache: Cache) -> SyncClient:
    settings = Settings(hub_url=url, token=token, cache_dir=cache.path.parent)
    return SyncClient(settings, cache, POLICY, TODAY, backoff=0.01, retries=2)


def test_migrate_copies_everything_and_a_client_resumes_without_a_full_download(
    tmp_path: Path, pg_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite_db = tmp_path / "hub.sqlite"
    source = HubStore(sqlite_db)
    tokens = seed(source, {"a": [1, 2, 3], "b": [4, 5]})
    source.close()
    hub = start_in_thread(sqlite_db, max_body=MAX_BODY)
    cache = Cache.open(tmp_path / "cache-a")
    try:
        assert _client(hub.url, tokens["a"], cache).sync().pulled > 0
    finally:
        hub.stop()

    assert main(["hub", "migrate", "--from", str(sqlite_db), "--to", pg_db]) == 0
    err = capsys.readouterr().err
    assert "changes" in err and "无需重新下载" in err
    # A second copy onto the now non-empty database is refused, in one line.
    assert main(["hub", "migrate", "--from", str(sqlite_db), "--to", pg_db]) == 2
    assert "不是空的" in capsys.readouterr().err

    target = HubStore(pg_db)
    assert target.hub_id == HubStore(sqlite_db).hub_id
    target.upsert_units([make_unit(6, "a")])
    hub = start_in_thread(pg_db, max_body=MAX_BODY)
    try:
        # The token still works (its hash was copied); only the new unit comes down.
        result = _client(hub.url, tokens["a"], cache).sync()
        assert result.pulled == 1
        codes = sorted(r["code"] for r in cache.rows("SELECT code FROM units"))
        assert codes == sorted(make_unit(s, "a").code for s in (1, 2, 3, 6))
    finally:
        hub.stop()
        target.close()
        cache.close()


def test_a_province_reader_sees_every_center_and_pushes_nothing(hub_db: str | Path) -> None:
    store = HubStore(hub_db)
    seed(store, {"a": [1, 2]})
    admin.add_center(store, "QH02", "海西区域服务中心", ["QH0201"])
    admin.add_specialist(store, "海西专员", "QH02", specialist_id="c")
    other = make_unit(9, "c").model_copy(update={"area_code": "QH0201"})
    store.upsert_units([other])
    _, token = admin.add_specialist(store, "省厅", "QH01", specialist_id="prov", province=True)
    hub = start_in_thread(hub_db, max_body=MAX_BODY)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=hub.url, headers=headers, timeout=10) as http:
            page = http.get("/api/v1/changes").json()
            units = sorted(c["key"] for c in page["changes"] if c["kind"] == "unit")
            centers = sorted(c["key"] for c in page["changes"] if c["kind"] == "center")
            pushed = http.post("/api/v1/push", json={"calls": []})
            me = http.get("/api/v1/me").json()
    finally:
        hub.stop()
        store.close()
    assert units == sorted([make_unit(1, "a").code, make_unit(2, "a").code, other.code])
    assert centers == ["QH01", "QH02"]
    assert pushed.status_code == 403 and me["role"] == "province"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_several_worker_processes_refuse_a_rotated_token_at_once(pg_db: str) -> None:
    store = HubStore(pg_db)
    tokens = seed(store, {"a": [1]})
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "specialist_tui", "hub", "serve", "--db", pg_db,
         "--port", str(port), "--workers", "3"],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        old = {"Authorization": f"Bearer {tokens['a']}"}
        paths = ("/api/v1/me", "/api/v1/changes")  # a poll takes the short way (PollShortcut)

        def statuses(headers: dict[str, str]) -> set[int]:
            # Fresh connections land on different workers.
            return {
                httpx.get(url + p, headers=headers).status_code for _ in range(12) for p in paths
            }

        assert statuses(old) == {200}  # every worker knows the token...
        new = admin.rotate_token(store, "a")
        # ...and every one refuses it as soon as it is rotated: no worker trusts what it saw.
        assert statuses(old) == {401}
        assert statuses({"Authorization": f"Bearer {new}"}) == {200}
    finally:
        proc.terminate()
        log = proc.communicate(timeout=30)[0]
        store.close()
    assert len(re.findall(r"中心进程 \[\d+\] 已启动", log)) == 3


def test_both_engines_publish_one_contract_and_give_the_same_answers(
    tmp_path: Path, pg_db: str
) -> None:
    answers = []
    for db in (tmp_path / "hub.sqlite", pg_db):
        store = HubStore(db)
        tokens = seed(store, {"a": [1, 2], "b": [3]})
        store.assign([make_unit(3, None).code], "a")
        hub = start_in_thread(db, max_body=MAX_BODY)
        try:
            with httpx.Client(base_url=hub.url, timeout=10) as http:
                schema = http.get("/openapi.json").json()
                feeds = {
                    who: http.get(
                        "/api/v1/changes", headers={"Authorization": f"Bearer {tokens[who]}"}
                    ).json()
                    for who in ("a", "b", "lead")
                }
        finally:
            hub.stop()
            store.close()
        # Cursors name engine-specific positions; everything else must match.
        answers.append((schema, {w: (f["changes"], f["has_more"]) for w, f in feeds.items()}))
    assert answers[0][0] == answers[1][0]
    assert answers[0][1] == answers[1][1]
    assert [c["op"] for c in answers[0][1]["b"][0] if c["kind"] == "unit"] == ["delete"]


def test_a_running_writer_holds_the_feed_back_but_one_of_another_database_does_not(
    pg_db: str,
) -> None:
    import psycopg

    from specialist_tui.domain.enums import Role
    from specialist_tui.hub.store import Caller
    from tests.hub.conftest import PG_URL

    store = HubStore(pg_db)
    seed(store, {"a": [1]})
    lead = Caller("lead", "专员lead", "QH01", Role.LEAD)
    rows, _ = store.changes_after(lead, (0, 0), 1000)
    cursor = (rows[-1][0], rows[-1][1])
    # Both hold a transaction id and stay open: one here, one in the server's other database.
    with psycopg.connect(PG_URL) as elsewhere, psycopg.connect(pg_db) as here:
        elsewhere.execute("SELECT pg_current_xact_id()")
        here.execute("SELECT pg_current_xact_id()")
        store.upsert_units([make_unit(2, "a")])  # commits after `here` began
        held, more = store.changes_after(lead, cursor, 100)
        assert held == [] and not more  # it could still commit below the new unit
        here.rollback()
        served, _ = store.changes_after(lead, cursor, 100)
        elsewhere.rollback()
    store.close()
    assert [(r[2], r[3]) for r in served] == [("unit", make_unit(2, "a").code)]
