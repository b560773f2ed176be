"""The protocol client: one user's push and pull with the hub over HTTP, with retries.

A sync pushes the outbox first (so the hub judges our edits before we pull theirs), then pulls
the change feed page by page (pages.py fetches ahead; parsing.py and parse_worker.py parse). Each
page is written with its cursor in one transaction, so a crash at any point loses nothing and the
next run continues where the last committed page ended.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx

from specialist_tui.client.cache import Cache
from specialist_tui.client.cache import sync_state as state
from specialist_tui.client.cache.storage_form import now_iso
from specialist_tui.client.config import Settings, hub_url_problem
from specialist_tui.client.sync.errors import SyncError
from specialist_tui.client.sync.pages import InThread, PageReader
from specialist_tui.client.sync.parse_worker import ParseWorker
from specialist_tui.client.sync.push_batch import PushBatch
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.policy import Policy
from specialist_tui.gc_pause import no_cycle_collection
from specialist_tui.wire import API_PREFIX, ItemStatus, Me, PushResult

Progress = Callable[[str, int], None]  # (stage: "push" | "pull" | "refresh", items so far)

PUSH_BATCH = 500
# The longest a busy hub's Retry-After makes one retry wait (a sync must not hang on it).
MAX_RETRY_AFTER = 30.0
# Set by tests only: SIGKILL this process at a named point ("pull-page:N", "push-sent").
KILL_HOOK_ENV = "SPECIALIST_TUI_SYNC_KILL_AT"

log = logging.getLogger("specialist_tui.client.sync")


@dataclass(frozen=True, slots=True)
class SyncResult:
    pulled: int = 0
    pushed: int = 0
    conflicts: int = 0
    errors: int = 0
    skipped: int = 0
    unpushed: int = 0  # outbox items still not on the hub after this sync

    def line(self) -> str:
        text = (
            f"同步完成：拉取 {self.pulled} 条，推送 {self.pushed} 条，"
            f"冲突 {self.conflicts} 条，错误 {self.errors} 条"
        )
        if self.skipped:
            text += f"；跳过中心的无效记录 {self.skipped} 条（原因见日志）"
        if self.unpushed:
            text += f"；仍有 {self.unpushed} 条本地记录未推送到中心"
        return text


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
        pulled, skipped = self.pull(progress)
        state.stamp_sync(self.cache)
        return SyncResult(
            pulled=pulled,
            pushed=pushed.pushed,
            conflicts=pushed.conflicts,
            errors=pushed.errors,
            skipped=skipped,
            unpushed=self.cache.outbox_count(),
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

    def pull(self, progress: Progress = _quiet) -> tuple[int, int]:
        """Apply every page of changes after the stored cursor; returns how many records were
        applied and how many skipped as invalid."""
        cursor = self.cache.get_meta(state.CURSOR_KEY) or ""
        # A first sync writes everything, then refreshes facts once; so does a resumed one.
        bulk = not cursor or self.cache.get_meta(state.STALE_KEY) == "1"
        pulled = pages = skipped = 0
        # Pages are fetched and parsed in a thread while this one writes the previous page:
        # SQLite releases the GIL while it works, and the hub works in its own process. A bulk
        # pull parses in a worker process too, so parsing and writing use two cores.
        with (
            no_cycle_collection(),
            ParseWorker() if bulk else InThread() as parser,
            PageReader(self._fetch, parser, cursor) as reader,
        ):
            for page in reader:
                state.apply_page(self.cache, page, self.policy, self.today, bulk=bulk)
                pulled += page.size
                for reason in page.skipped:  # logged here: a parse worker has no stderr
                    log.warning("skipped a change from the hub: %s", reason)
                skipped += len(page.skipped)
                pages += 1
                progress("pull", pulled)
                _kill_hook(f"pull-page:{pages}")
        if state.finish_pull(self.cache, self.policy, self.today):
            progress("refresh", pulled)
        return pulled, skipped

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
            batch = PushBatch.of(self.cache, rows)
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
        """Send with bounded retries and backoff on connection errors, timeouts and 5xx.

        A busy hub's 503 names how long to wait (Retry-After): that wait, if longer than the
        backoff, up to MAX_RETRY_AFTER.
        """
        last = ""
        asked = 0.0
        for attempt in range(self.retries):
            if attempt:
                time.sleep(max(self.backoff * 2 ** (attempt - 1), asked))
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                last = type(exc).__name__
                log.info("retrying %s %s after %s", method, path, last)
                continue
            if response.status_code >= 500:
                last = f"HTTP {response.status_code}"
                asked = _retry_after(response)
                log.info("retrying %s %s after %s", method, path, last)
                continue
            if response.status_code == 401:
                raise SyncError(
                    "令牌错误或已被撤销（HTTP 401）：请向中心负责人索取新令牌，"
                    "再运行 specialist-tui config set-hub"
                )
            if response.status_code >= 400:
                log.info("%s %s refused: HTTP %s %s", method, path, response.status_code,
                            _detail(response))  # fmt: skip
                raise SyncError(_refused(response.status_code))
            return response
        pending = self.cache.outbox_count()
        what = (
            "同步中心繁忙"
            if last == "HTTP 503"
            else "同步中心出错"
            if last.startswith("HTTP")
            else "无法连接同步中心"
        )
        raise SyncError(
            f"{what} {self.url}（{last}，共尝试 {self.retries} 次）；"
            f"本地 {pending} 条待推送记录已保留，下次同步时推送"
        )


def _retry_after(response: httpx.Response) -> float:
    """The seconds a 503 asks to wait (0 when it names none), bounded by MAX_RETRY_AFTER."""
    value = response.headers.get("retry-after", "") if response.status_code == 503 else ""
    return min(float(value), MAX_RETRY_AFTER) if value.isdigit() else 0.0


# What a refusal means to the specialist, by status. The hub's own detail (English, for its
# operator) goes to the log only.
_REFUSALS = {
    403: "此令牌无权这样做（只读）",
    404: "这个地址上没有同步中心的接口，请检查地址（specialist-tui config set-hub）",
    405: "这个地址上没有同步中心的接口，请检查地址（specialist-tui config set-hub）",
    413: "一次推送的数据太多",
    422: "同步中心不接受这些数据",
}


def _refused(status: int) -> str:
    """One line on a 4xx answer: what it means to the specialist."""
    meaning = _REFUSALS.get(status)
    return f"同步中心拒绝了请求（HTTP {status}）" + (f"：{meaning}" if meaning else "")


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", ""))[:200]
    except ValueError:
        return response.text[:200]


def _kill_hook(point: str) -> None:
    # Crash tests only: die here, as a power cut or `kill -9` would.
    if os.environ.get(KILL_HOOK_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)
