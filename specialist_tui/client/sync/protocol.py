"""Sync with the center's hub: the only client module that speaks HTTP.

A sync pushes the outbox first (so the hub judges our edits before we pull theirs), then pulls
the change feed page by page. Each page is written with its cursor in one transaction, so a
crash at any point loses nothing and the next run continues where the last committed page ended.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from specialist_tui.client.cache import Cache
from specialist_tui.client.cache import sync_state as state
from specialist_tui.client.cache.store import now_iso, storage_rows
from specialist_tui.client.config import Settings, hub_url_problem
from specialist_tui.domain.models import BEIJING, Call, Ticket, TicketEvent
from specialist_tui.domain.policy import Policy
from specialist_tui.wire import (
    API_PREFIX,
    KIND_TABLES,
    ChangesPage,
    ItemStatus,
    Me,
    Op,
    PushRequest,
    PushResult,
    TicketUpdate,
)

Progress = Callable[[str, int], None]  # (stage: "push" | "pull" | "refresh", items so far)

PUSH_BATCH = 500
# Set by tests only: SIGKILL this process at a named point ("pull-page:N", "push-sent").
KILL_HOOK_ENV = "SPECIALIST_TUI_SYNC_KILL_AT"

log = logging.getLogger("specialist_tui.client.sync")
_PAGE = TypeAdapter(ChangesPage)
_DUMPERS: dict[type[BaseModel], TypeAdapter[list[Any]]] = {}


class SyncError(Exception):
    """A sync that could not finish; the message is one line a user can act on."""


@dataclass(frozen=True, slots=True)
class SyncResult:
    pulled: int = 0
    pushed: int = 0
    conflicts: int = 0
    errors: int = 0

    def line(self) -> str:
        return (
            f"同步完成：拉取 {self.pulled} 条，推送 {self.pushed} 条，"
            f"冲突 {self.conflicts} 条，错误 {self.errors} 条"
        )


# The stages a sync reports progress for, as the shell and the app name them.
STAGE_LABELS = {"push": "推送", "pull": "拉取", "refresh": "更新标记"}


def require_hub(settings: Settings) -> tuple[str, str]:
    """The hub URL and token from the settings, or a SyncError saying how to set them."""
    if not settings.hub_url:
        raise SyncError(
            "未配置同步中心：运行 specialist-tui config set-hub URL --token-stdin，"
            "或设置 SPECIALIST_TUI_HUB_URL 与 SPECIALIST_TUI_TOKEN"
        )
    problem = hub_url_problem(settings.hub_url)
    if problem:
        raise SyncError(problem)  # a malformed address is not retried
    if settings.token is None or not settings.token.get_secret_value().strip():
        raise SyncError(
            f"没有 {settings.hub_url} 的令牌：运行 specialist-tui config set-hub "
            f"{settings.hub_url} --token-stdin，或设置 SPECIALIST_TUI_TOKEN"
        )
    return settings.hub_url, settings.token.get_secret_value()


def _quiet(stage: str, done: int) -> None:
    pass


class SyncClient:
    """One user's sync between their cache and the hub named in the settings."""

    def __init__(
        self,
        settings: Settings,
        cache: Cache,
        policy: Policy,
        today: date | None = None,
        *,
        retries: int = 4,
        backoff: float = 0.5,
        page_size: int | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        url, token = require_hub(settings)
        self.url = url.rstrip("/")
        self.cache = cache
        self.policy = policy
        self.today = today or datetime.now(BEIJING).date()
        self.retries = retries
        self.backoff = backoff
        self.page_size = page_size or settings.sync_page_size
        self.http = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(60.0, connect=5.0),
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    # -- the whole round ----------------------------------------------------------------

    def sync(self, progress: Progress = _quiet) -> SyncResult:
        """Push, then pull; stamps the time of the last successful sync."""
        self.check_identity()
        pushed = self.push(progress)
        pulled = self.pull(progress)
        state.stamp_sync(self.cache)
        return SyncResult(
            pulled=pulled, pushed=pushed.pushed, conflicts=pushed.conflicts, errors=pushed.errors
        )

    def me(self) -> Me:
        return Me.model_validate_json(self._request("GET", f"{API_PREFIX}/me").content)

    def check_identity(self) -> Me:
        """Refuse to mix two hubs' (or a demo's) data in one cache; remember who we are."""
        me = self.me()
        identity = f"{me.hub_id}#{me.specialist_id}"
        known = self.cache.get_meta(state.IDENTITY_KEY)
        if known != identity:
            if known or self.cache.get_meta("source") == "demo" or self.cache.count("units"):
                raise SyncError(
                    f"缓存 {self.cache.path} 属于另一个来源（{known or '演示数据'}）；"
                    "请换一个 --cache-dir 再同步"
                )
            with self.cache.transaction():
                self.cache.set_meta(state.IDENTITY_KEY, identity)
                self.cache.set_meta("user_id", me.specialist_id)
                self.cache.set_meta("source", "hub")
        return me

    # -- pull ---------------------------------------------------------------------------

    def pull(self, progress: Progress = _quiet) -> int:
        """Apply every page of changes after the stored cursor; returns how many records."""
        cursor = self.cache.get_meta(state.CURSOR_KEY) or ""
        # A first sync writes everything, then refreshes facts once; so does a resumed one.
        bulk = not cursor or self.cache.get_meta(state.STALE_KEY) == "1"
        pulled = pages = 0
        # Pages are fetched and parsed in a thread while this one writes the previous page:
        # SQLite releases the GIL while it works, and the hub works in its own process. A bulk
        # pull parses in a worker process too, so parsing and writing use two cores.
        with (
            _no_cycle_collection(),
            _ParseWorker() if bulk else _InThread() as parser,
            _PageReader(self._fetch, parser, cursor) as reader,
        ):
            for page in reader:
                state.apply_page(self.cache, page, self.policy, self.today, bulk=bulk)
                pulled += page.size
                pages += 1
                progress("pull", pulled)
                _kill_hook(f"pull-page:{pages}")
        if state.finish_pull(self.cache, self.policy, self.today):
            progress("refresh", pulled)
        return pulled

    def _fetch(self, cursor: str) -> bytes:
        params = {"since": cursor, "limit": str(self.page_size)}
        return self._request("GET", f"{API_PREFIX}/changes", params=params).content

    # -- push ---------------------------------------------------------------------------

    def push(self, progress: Progress = _quiet) -> SyncResult:
        """Send the outbox in batches; mark what the hub stored, keep conflicts and errors."""
        pushed = conflicts = errors = 0
        held = state.conflicted_ids(self.cache)
        after = 0  # each pending row is sent at most once per push, in outbox order
        while True:
            pending = state.outbox_after(self.cache, after, PUSH_BATCH)
            if not pending:
                break
            after = int(pending[-1]["seq"])
            rows = [r for r in pending if not (r["kind"] == "ticket" and r["item_id"] in held)]
            batch = _Batch.of(self.cache, rows)
            if batch.unreadable:
                self.cache.outbox_failed(batch.unreadable, "本地记录缺失或无效")
                errors += len(batch.unreadable)
            if batch.empty:
                continue
            body = batch.request.model_dump_json().encode()
            response = self._request(
                "POST",
                f"{API_PREFIX}/push",
                content=body,
                headers={"Content-Type": "application/json"},
            )
            _kill_hook("push-sent")
            result = PushResult.model_validate_json(response.content)
            now = now_iso()
            for item in result.items:
                seqs = batch.seqs[(item.kind, str(item.id))]
                if item.status in (ItemStatus.ACCEPTED, ItemStatus.DUPLICATE):
                    if item.kind == "ticket" and item.ticket is not None:
                        state.ticket_accepted(self.cache, str(item.id), item.ticket.version, seqs)
                    self.cache.outbox_done(seqs, now)
                    pushed += 1
                elif item.status is ItemStatus.CONFLICT and item.ticket is not None:
                    state.save_conflict(
                        self.cache, str(item.id), item.ticket.model_dump(mode="json")
                    )
                    held.add(str(item.id))
                    conflicts += 1
                else:
                    self.cache.outbox_failed(seqs, item.reason or item.status.value)
                    errors += 1
            progress("push", pushed)
        return SyncResult(pushed=pushed, conflicts=conflicts, errors=errors)

    # -- HTTP with retries ----------------------------------------------------------------

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send with bounded retries and backoff on connection errors, timeouts and 5xx."""
        last = ""
        for attempt in range(self.retries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                last = type(exc).__name__
                log.info("retrying %s %s after %s", method, path, last)
                continue
            if response.status_code >= 500:
                last = f"HTTP {response.status_code}"
                log.info("retrying %s %s after %s", method, path, last)
                continue
            if response.status_code == 401:
                raise SyncError(
                    "令牌错误或已被撤销（HTTP 401）：请向中心负责人索取新令牌，"
                    "再运行 specialist-tui config set-hub"
                )
            if response.status_code >= 400:
                raise SyncError(
                    f"同步中心拒绝了请求（HTTP {response.status_code}）：{_detail(response)}"
                )
            return response
        pending = self.cache.outbox_count()
        what = "同步中心出错" if last.startswith("HTTP") else "无法连接同步中心"
        raise SyncError(
            f"{what} {self.url}（{last}，共尝试 {self.retries} 次）；"
            f"本地 {pending} 条待推送记录已保留，下次同步时推送"
        )


@dataclass
class _Parsed:
    page: state.Page
    has_more: bool
    cursor: str


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    # A pull allocates millions of short-lived objects (models, rows) and frees them by
    # reference counting, as none holds a cycle; the cyclic collector would only walk the
    # growing heap again and again meanwhile (a fifth of a first sync's time).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(content: bytes) -> _Parsed:
    """Validate a whole page against the wire models, then turn it into storage rows."""
    try:
        page = _PAGE.validate_json(content)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SyncError(f"同步中心返回的数据无效（{where}：{first['msg']}）") from None
    models: dict[str, list[BaseModel]] = defaultdict(list)
    deletes: list[tuple[str, str]] = []
    for change in page.changes:
        table = KIND_TABLES[change.kind]
        if change.op is Op.DELETE or change.record is None:
            deletes.append((table, change.key))
        else:
            models[table].append(change.record)
    upserts = {table: _dump(records) for table, records in models.items()}
    for table, rows in upserts.items():
        if table != "units":
            upserts[table] = storage_rows(table, rows)
    for row in upserts.get("tickets", []):
        row.pop("events", None)
    return _Parsed(state.Page(upserts, deletes, page.next_cursor), page.has_more, page.next_cursor)


def _dump(records: list[BaseModel]) -> list[dict[str, Any]]:
    """Storage rows of same-typed records, dumped in one call (much faster than one by one)."""
    kind = type(records[0])
    dumper = _DUMPERS.get(kind)
    if dumper is None:
        dumper = _DUMPERS[kind] = TypeAdapter(list[kind])  # type: ignore[valid-type]
    rows: list[dict[str, Any]] = dumper.dump_python(records, mode="json")
    return rows


@dataclass
class _Batch:
    """One push request and, per item, the outbox rows it settles."""

    request: PushRequest
    seqs: dict[tuple[str, str], list[int]]
    unreadable: list[int]

    @property
    def empty(self) -> bool:
        r = self.request
        return not (r.calls or r.tickets or r.ticket_events)

    @classmethod
    def of(cls, cache: Cache, rows: list[dict[str, Any]]) -> _Batch:
        seqs: dict[tuple[str, str], list[int]] = defaultdict(list)
        for row in rows:
            seqs[(row["kind"], row["item_id"])].append(int(row["seq"]))
        ids: dict[str, list[str]] = defaultdict(list)
        for kind, item_id in seqs:
            ids[kind].append(item_id)
        unreadable: list[int] = []
        calls: list[Call] = []
        tickets: list[TicketUpdate] = []
        events: list[TicketEvent] = []
        found = {
            kind: state.local_items(cache, KIND_TABLES[kind], item_ids)
            for kind, item_ids in ids.items()
        }
        for (kind, item_id), item_seqs in list(seqs.items()):
            item = found[kind].get(item_id)
            try:
                if item is None:
                    raise ValueError(item_id)
                if kind == "call":
                    calls.append(Call.model_validate(_present(item)))
                elif kind == "ticket":
                    # Several local edits of one ticket go as one, based on the first one's base.
                    ticket = Ticket.model_validate(_present(item))
                    base = state.base_version(cache, item_id)
                    tickets.append(TicketUpdate(ticket=ticket, base_version=base))
                else:
                    events.append(TicketEvent.model_validate(_present(item)))
            except (ValueError, ValidationError):
                unreadable.extend(item_seqs)
                del seqs[(kind, item_id)]
        request = PushRequest(calls=calls, tickets=tickets, ticket_events=events)
        return cls(request, seqs, unreadable)


def _present(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


class _PageReader:
    """Fetches and parses pages, one step ahead of the caller, in a background thread."""

    _DONE = object()

    def __init__(
        self, fetch: Callable[[str], bytes], parser: _InThread | _ParseWorker, cursor: str
    ) -> None:
        self._fetch = fetch
        self._parser = parser
        self._cursor = cursor
        self._queue: queue.Queue[object] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sync-pages")

    def __enter__(self) -> _PageReader:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        while self._thread.is_alive():  # unblock a reader waiting to hand over a page
            with suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread.join()

    def __iter__(self) -> Iterator[state.Page]:
        while True:
            item = self._queue.get()
            if item is self._DONE:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, state.Page)
            yield item

    def _run(self) -> None:
        try:
            content = self._fetch(self._cursor)
            while not self._stop.is_set():
                self._parser.submit(content)
                # While the page parses, fetch the next one after the cursor its tail names; the
                # guess is checked against the validated page and, if wrong, fetched again.
                guess = _peek_cursor(content)
                ahead = self._fetch_ahead(guess) if guess else None
                parsed = self._parser.result()
                self._put(parsed.page)
                if not parsed.has_more:
                    break
                if ahead is None or guess != parsed.cursor:
                    ahead = self._fetch(parsed.cursor)
                content = ahead
            self._put(self._DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(exc)

    def _fetch_ahead(self, cursor: str) -> bytes | None:
        # A failure here must not cost the page being parsed: it is fetched again after that.
        try:
            return self._fetch(cursor)
        except SyncError:
            return None

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            with suppress(queue.Full):
                self._queue.put(item, timeout=0.05)
                return


class _InThread:
    """Parses pages in the calling thread: for small pulls, where a worker would cost more."""

    _content = b""

    def __enter__(self) -> _InThread:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, content: bytes) -> None:
        self._content = content

    def result(self) -> _Parsed:
        return _parse(self._content)


_WORKER_MAIN = "from specialist_tui.client.sync.protocol import serve_parses; serve_parses()"


class _ParseWorker:
    """Parses pages in a child process, so a bulk pull validates on one core and writes on another.

    Threads alone would not do: validation holds the GIL. The child is a fresh interpreter (not a
    fork: this process has threads and an open SQLite connection; and not multiprocessing, whose
    helper process needs a real stderr, which Textual replaces). It reads pages on its stdin and
    exits at EOF, so a client that dies, even by SIGKILL, leaves no worker behind.
    """

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[3])  # the folder holding specialist_tui
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_MAIN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # Inside the app the terminal belongs to Textual: a crashing worker must not write
            # over the screen. Its failure still reaches the user as a one-line SyncError.
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._to, self._from = self._process.stdin, self._process.stdout

    def __enter__(self) -> _ParseWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        with suppress(OSError):
            self._to.close()
        self._from.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def submit(self, content: bytes) -> None:
        with suppress(OSError):  # the worker died: result() says so
            _send(self._to, content)

    def result(self) -> _Parsed:
        try:
            result: _Parsed | str = pickle.loads(_receive(self._from))
        except EOFError:
            raise SyncError("同步的解析进程意外退出；请重新同步") from None
        if isinstance(result, str):
            raise SyncError(result)
        return result


def serve_parses() -> None:
    """The worker's loop: a page's bytes in, its parsed page (or the error's message) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the client's to handle
    gc.disable()  # as in the pull: parsing makes no cycles, and collecting costs a third
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the pages
    while True:
        try:
            content = _receive(source)
        except EOFError:  # the client closed the pipe, or died
            return
        try:
            answer: _Parsed | str = _parse(content)
        except SyncError as exc:
            answer = str(exc)
        try:
            _send(sink, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the client stopped listening: nothing left to do
            return


def _send(stream: IO[bytes], data: bytes) -> None:
    stream.write(len(data).to_bytes(8, "big"))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> bytes:
    size = int.from_bytes(_read_exactly(stream, 8), "big")
    return _read_exactly(stream, size)


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data


# How the hub ends a page when more follow; only a guess, checked once the page is validated.
_MORE_TAIL = re.compile(rb'"next_cursor":"([^"\\]*)","has_more":true}\s*$')


def _peek_cursor(content: bytes) -> str | None:
    """The cursor a page's tail names for the next page, if it says more pages follow."""
    match = _MORE_TAIL.search(content, max(0, len(content) - 512))
    return match.group(1).decode("ascii", "replace") if match else None


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", ""))[:200]
    except ValueError:
        return response.text[:200]


def _kill_hook(point: str) -> None:
    # Crash tests only: die here, as a power cut or `kill -9` would.
    if os.environ.get(KILL_HOOK_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)
