"""A lean load generator for bench/hub_scale.py: many keep-alive HTTP/1.1 clients in one process.

Why not httpx: on the 2-core machine the bench's own httpx client spent 5.5-7 ms of CPU per
poll, several times what the hub spends answering it, so the load generator ate the cores being
measured. Here each simulated client holds one keep-alive connection on raw asyncio streams
(uvloop when present), sends a request whose bytes are built once, and reads the answer by
its Content-Length: a small fraction of a millisecond per request. hub_scale.py runs a few of
these processes side by side and counts their CPU beside the hub's, so what is left for the
hub is known.

Run by hub_scale.py only: one JSON job on stdin, one JSON result on stdout.
    job = {"host", "port", "mode": "poll" | "push", "clients": [...], "start": monotonic
           second to begin at, "seconds": how long, "every": seconds between a client's polls
           (0: back to back), "rounds": polls per client (back to back only), "seed": int}
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sys
import time
import uuid
from typing import Any


class Connection:
    """One keep-alive HTTP/1.1 connection; reconnects when the hub closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, raw: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        """(status, lower-cased headers, body); one retry on a connection the hub dropped."""
        for attempt in (1, 2):
            if self.writer is None or self.writer.is_closing():
                await self.open()
            try:
                return await self._once(raw)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.writer = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _once(self, raw: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name:
                headers[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(headers.get(b"content-length", b"0")))
        if headers.get(b"connection", b"").lower() == b"close":
            self.writer.close()
            self.writer = None
        return status, headers, body


def get(path: str, token: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode()


def post(path: str, token: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def retry_after(headers: dict[bytes, bytes]) -> float:
    try:
        return max(0.0, float(headers.get(b"retry-after", b"1")))
    except ValueError:
        return 1.0


class Tally:
    """What one process saw: (monotonic start, seconds) per answered request, and failures."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self.statuses: dict[str, int] = {}
        self.busy = 0  # 503 answers, retried after their Retry-After as the sync client does
        self.rows = 0  # rows of the pulls that counted them

    def failed(self, status: int) -> None:
        self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1


async def changes_page(conn: Connection, cursor: str, token: str, tally: Tally) -> bytes | None:
    """One page of the feed after ``cursor``, waiting out 503s as the sync client does; None
    (counted in ``tally``) when the hub answers anything else than 200."""
    while True:
        status, headers, body = await conn.request(
            get(f"/api/v1/changes?since={cursor}&limit=5000", token)
        )
        if status == 503:
            tally.busy += 1
            await asyncio.sleep(retry_after(headers))
            continue
        if status != 200:
            tally.failed(status)
            return None
        return body


async def poller(
    job: dict[str, Any], client: dict[str, str], tally: Tally, rng: random.Random
) -> None:
    conn = Connection(job["host"], job["port"])
    await conn.open()
    token, cursor = client["token"], client["cursor"]
    every, deadline = job["every"], job["start"] + job["seconds"]
    # Spread over the first interval: 200 clients on a timer do not all fire in one instant.
    begin = job["start"] + (rng.uniform(0, every) if every else 0)
    await asyncio.sleep(max(0.0, begin - time.monotonic()))
    done = 0
    while time.monotonic() < deadline and (every or done < job["rounds"]):
        started = time.monotonic()
        while True:  # an empty poll is one request; a poll with news pages until has_more ends
            body = await changes_page(conn, cursor, token, tally)
            if body is None:
                break
            page = json.loads(body)
            cursor = page["next_cursor"]
            if not page["has_more"]:
                tally.samples.append((started, time.monotonic() - started))
                break
        done += 1
        if every:
            await asyncio.sleep(
                max(0.0, started + rng.uniform(0.5, 1.5) * every - time.monotonic())
            )


async def pusher(
    job: dict[str, Any], client: dict[str, Any], tally: Tally, rng: random.Random
) -> None:
    conn = Connection(job["host"], job["port"])
    await conn.open()
    # One call per request, as a specialist's app pushes right after logging it.
    template = client["call"]
    deadline = job["start"] + job["seconds"]
    await asyncio.sleep(max(0.0, job["start"] - time.monotonic()))
    while time.monotonic() < deadline:
        call = template.replace("UNIT", rng.choice(client["units"])).replace(
            "CALLID", str(uuid.uuid4())
        )
        raw = post("/api/v1/push", client["token"], f'{{"calls":[{call}]}}'.encode())
        started = time.monotonic()
        while True:
            status, headers, _ = await conn.request(raw)
            if status != 503:
                break
            tally.busy += 1
            await asyncio.sleep(retry_after(headers))
        if status == 200:
            tally.samples.append((started, time.monotonic() - started))
        else:
            tally.failed(status)


_HEAD = re.compile(rb'"next_cursor":"([^"]*)","has_more":(true|false)')


async def puller(
    job: dict[str, Any], client: dict[str, Any], tally: Tally, rng: random.Random
) -> None:
    """A first sync: every page of the feed. Only ``count`` clients parse the pages (to count
    their rows); the others read the cursor from the page's head, as a crowd that costs the
    hub its pages without costing this process a JSON parse of each."""
    conn = Connection(job["host"], job["port"])
    await conn.open()
    await asyncio.sleep(max(0.0, job["start"] - time.monotonic()))
    started, cursor, rows = time.monotonic(), "", 0
    while True:
        body = await changes_page(conn, cursor, client["token"], tally)
        if body is None:
            return
        head = _HEAD.search(body[:400])
        assert head is not None, body[:400]
        cursor, more = head.group(1).decode(), head.group(2) == b"true"
        if client.get("count"):
            rows += len(json.loads(body)["changes"])
        if not more:
            break
    tally.samples.append((started, time.monotonic() - started))
    tally.rows += rows


async def run(job: dict[str, Any]) -> dict[str, Any]:
    tally = Tally()
    rng = random.Random(job["seed"])
    one = {"poll": poller, "push": pusher, "pull": puller}[job["mode"]]
    await asyncio.gather(*(one(job, c, tally, rng) for c in job["clients"]))
    return {"samples": tally.samples, "statuses": tally.statuses, "busy": tally.busy,
            "rows": tally.rows}  # fmt: skip


def main() -> None:
    job = json.load(sys.stdin)
    try:  # uvicorn[standard] brings uvloop; the stdlib loop also works, a little dearer
        from uvloop import new_event_loop
    except ImportError:
        from asyncio import new_event_loop  # type: ignore[assignment]
    cpu = time.process_time()
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        result = runner.run(run(job))
    result["cpu"] = time.process_time() - cpu
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
