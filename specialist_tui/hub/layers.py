"""The ASGI layers in front of the hub's routes: the short way for a poll, the token gate and
the body limit. Each answers some requests itself and hands the rest on unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from specialist_tui.hub import auth
from specialist_tui.hub.backend import DatabaseBusy
from specialist_tui.hub.pages import empty_page, feed_page, parse_cursor
from specialist_tui.hub.store import Caller, HubStore, Position
from specialist_tui.wire import API_PREFIX, DEFAULT_PAGE, MAX_PAGE, ErrorBody

# A body not fully sent by then is answered 408: a client trickling bytes must not hold a worker.
BODY_TIMEOUT = 30.0
_DRAIN_LIMIT = 64 * 1024 * 1024

# A database too busy to take a request in time is answered 503 with this Retry-After
# (seconds); the sync client waits that long before its next try.
RETRY_AFTER = "2"
BUSY_BODY = ErrorBody(detail="hub busy, try again later").model_dump_json()

# Where TokenGate leaves the caller it found, in the request's state, for the routes.
CALLER_KEY = "caller"
CHANGES_PATH = f"{API_PREFIX}/changes"
_CALLERS_MAX = 100_000
# Threads reading polls, per process: enough to overlap the hub's Python with PostgreSQL's
# round trip, and well below its pool of 10 connections. With 8, 200 polls at once kept more
# PostgreSQL backends and hub threads taking turns on the cores: p95 101-159 ms against 85-110
# with 3 (300,000 units, 2 workers, bench/hub_poll.py).
POLL_THREADS = 4


def bearer(authorization: str | None) -> tuple[str, str] | None:
    """(token id, secret) of a well-formed bearer ``Authorization`` header, else None."""
    scheme, _, token = (authorization or "").partition(" ")
    return auth.split(token.strip()) if scheme.lower() == "bearer" else None


def authenticate(store: HubStore, authorization: str | None) -> Caller | None:
    """The specialist a bearer ``Authorization`` header names, or None (for any bad token)."""
    parts = bearer(authorization)
    return None if parts is None else token_holder(store, *parts)


def token_holder(store: HubStore, token_id: str, secret: str) -> Caller | None:
    """The specialist holding the token with this id and secret, or None."""
    record = store.token_record(token_id)
    if record is None or not auth.matches(secret, record.salt, record.hash):
        return None
    return record.caller


def _authorization(headers: dict[bytes, bytes]) -> str:
    return headers.get(b"authorization", b"").decode("latin-1")


class PollShortcut:
    """Answers the common poll, GET /api/v1/changes with a valid token and a well-formed
    query, in one worker-thread hand-off: the token check and the page read together.

    Why a second way in: a poll is the hub's most frequent request (every specialist's app,
    and all of them after a bulk change), and almost always an empty page. Through FastAPI it
    cost 1.0-1.6 ms of CPU (routing, dependencies, two hand-offs to anyio's worker threads),
    while uvicorn alone costs ~0.06 ms. Answered here it costs 0.26-0.35 ms, and 200 polls at
    once on two cores went from p95 195-443 ms to 54-74 ms at 300,000 units (docs/hub.md,
    "What a poll costs"; bench/hub_poll.py measures a poll alone).

    Only success is answered here. A query that is not plainly ``since`` and ``limit``, a
    request with a body, a bad token or any error is handed on untouched to the full stack,
    which alone says what is wrong (the reads were read-only, so doing them again is safe).
    The route in app.py stays the contract: its OpenAPI entry, and the answer the tests
    compare this one with, byte for byte. A busy database is the one exception: it is answered
    503 here as TokenGate would, since trying again at once would only wait twice.
    """

    def __init__(self, store: HubStore) -> None:
        self.store = store
        # Its own threads, not anyio's worker threads as the routes use: handing a poll to
        # those cost ~0.3 ms more CPU per poll with 200 polls waiting (bench/hub_poll.py).
        self._threads = ThreadPoolExecutor(POLL_THREADS, thread_name_prefix="poll")
        # token id → the caller it named when last checked: a guess, checked on every poll
        # against the token's row read with the page, so never trusted stale.
        self._callers: dict[str, Caller] = {}

    def close(self) -> None:
        self._threads.shutdown(wait=True)

    async def answered(self, scope: Scope, send: Send) -> bool:
        """Whether this request was a poll and is now answered; else nothing was sent."""
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != CHANGES_PATH:
            return False
        headers = dict(scope["headers"])
        query = poll_query(scope["query_string"])
        if query is None or b"content-length" in headers or b"transfer-encoding" in headers:
            return False
        try:
            page = await asyncio.get_running_loop().run_in_executor(
                self._threads, self._page, _authorization(headers), *query
            )
        except DatabaseBusy:
            await send_busy(send)
            return True
        except Exception:  # the full stack reads again and answers (and logs) the error
            return False
        if page is None:
            return False
        await send_json(send, 200, page, keep_alive=True)
        return True

    def _page(self, authorization: str, since: Position, limit: int) -> bytes | None:
        """The page, or None for a bad token. For a token seen before, one statement reads its
        row and whether anything is new; the empty page is answered only if that row still
        names the same caller and its hash matches the secret."""
        token = bearer(authorization)
        if token is None:
            return None
        token_id, secret = token
        guess = self._callers.get(token_id)
        if guess is not None:
            record, news = self.store.token_and_news(token_id, guess, since)
            if (
                record is not None
                and record.caller == guess
                and auth.matches(secret, record.salt, record.hash)
            ):
                return feed_page(self.store, guess, since, limit) if news else empty_page(since)
            self._callers.pop(token_id, None)  # revoked, rotated or changed: check afresh
        caller = token_holder(self.store, token_id, secret)
        if caller is None:
            return None
        if len(self._callers) >= _CALLERS_MAX:
            self._callers.clear()
        self._callers[token_id] = caller
        return feed_page(self.store, caller, since, limit)


def poll_query(raw: bytes) -> tuple[Position, int] | None:
    """(since, limit) of a query of at most one ``since`` and one ``limit``, both plain (no
    escapes: a cursor of ours is URL-safe base64) and valid as the route would take them; None
    for anything else, which the full stack then answers. Read by hand: urllib's parse_qsl
    was a tenth of a poll's CPU."""
    fields: dict[bytes, bytes] = {}
    for part in raw.split(b"&") if raw else ():
        name, sep, value = part.partition(b"=")
        if not sep or name in fields or name not in (b"since", b"limit"):
            return None
        fields[name] = value
    since, limit = fields.get(b"since", b""), fields.get(b"limit", b"%d" % DEFAULT_PAGE)
    if not (limit.isdigit() and len(limit) <= 6 and 1 <= int(limit) <= MAX_PAGE):
        return None
    if b"%" in since or b"+" in since:  # escaped: the full stack unescapes it
        return None
    try:
        return parse_cursor(since.decode("ascii")), int(limit)
    except ValueError:  # UnicodeDecodeError is one
        return None


class TokenGate:
    """401 for any API request without a valid token, before its body is read or parsed.

    The caller found is left in the request's state for the routes (``Authed``).
    """

    def __init__(self, app: ASGIApp, store: HubStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        header = _authorization(dict(scope["headers"]))
        try:
            # In a worker thread, like the routes: a read that waits (PostgreSQL's round trip,
            # a SQLite checkpoint) must not stop the event loop serving the other requests.
            caller = await to_thread.run_sync(authenticate, self.store, header)
        except DatabaseBusy:
            await send_busy(send)
            return
        if caller is None:
            payload = ErrorBody(detail="token wrong or revoked").model_dump_json().encode()
            await send_json(send, 401, payload, [(b"www-authenticate", b"Bearer")])
            return
        scope.setdefault("state", {})[CALLER_KEY] = caller
        await self.app(scope, receive, send)


async def send_busy(send: Send) -> None:
    """503 with Retry-After: the database did not take the request in time."""
    await send_json(send, 503, BUSY_BODY.encode(), [(b"retry-after", RETRY_AFTER.encode())])


async def send_json(
    send: Send,
    status: int,
    payload: bytes,
    headers: Sequence[tuple[bytes, bytes]] = (),
    *,
    keep_alive: bool = False,
) -> None:
    """A JSON answer; the connection is closed after it unless ``keep_alive``."""
    closing = [] if keep_alive else [(b"connection", b"close")]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-length", str(len(payload)).encode()),
                (b"content-type", b"application/json"),
                *closing,
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BodyLimit:
    """Answer 413 to a request body over ``max_bytes``, by Content-Length or as it streams in.

    The body is read here, up to the limit, and replayed to the app, so nothing downstream
    ever sees a partial body.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = BODY_TIMEOUT) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large(receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        try:
            async with asyncio.timeout(self.timeout):
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    more = message.get("more_body", False)
                    size += len(chunk)
                    if size > self.max_bytes:
                        await self._too_large(receive, send, more)
                        return
                    chunks.append(chunk)
        except TimeoutError:
            payload = ErrorBody(detail=f"body not sent within {self.timeout:g} s")
            await send_json(send, 408, payload.model_dump_json().encode())
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, receive: Receive, send: Send, more: bool = True) -> None:
        # Read (and drop) a bounded amount of what the client is still sending, so it gets to
        # read the answer instead of a reset connection; past that the connection is closed.
        drained = 0
        while more and drained < _DRAIN_LIMIT:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            drained += len(message.get("body", b""))
            more = message.get("more_body", False)
        payload = ErrorBody(detail=f"body larger than {self.max_bytes} bytes").model_dump_json()
        await send_json(send, 413, payload.encode())
