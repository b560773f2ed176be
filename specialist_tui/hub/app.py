"""The hub's HTTP API (FastAPI): who am I, the change feed, push, and a health check.

Request and response bodies are the wire models of ``specialist_tui.wire``; the OpenAPI
document at /openapi.json is generated from them. Every error answer is a small JSON body.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from specialist_tui.domain.enums import Role
from specialist_tui.hub import auth
from specialist_tui.hub.backend import DatabaseBusy
from specialist_tui.hub.store import Caller, HubStore, Position
from specialist_tui.wire import (
    API_PREFIX,
    MAX_PAGE,
    ChangesPage,
    ErrorBody,
    Me,
    PushRequest,
    PushResult,
    UnitRecords,
    page_json,
    records_json,
)

DEFAULT_MAX_BODY = 8 * 1024 * 1024
# A body not fully sent by then is answered 408: a client trickling bytes must not hold a worker.
BODY_TIMEOUT = 30.0
_DRAIN_LIMIT = 64 * 1024 * 1024
log = logging.getLogger("specialist_tui.hub")

# A database too busy to take a request in time is answered 503 with this Retry-After
# (seconds); the sync client waits that long before its next try.
RETRY_AFTER = "2"
_BUSY = ErrorBody(detail="hub busy, try again later").model_dump_json()

_bearer = HTTPBearer(auto_error=False, description="the API token from `hub specialist add`")
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing, wrong or revoked token"},
    403: {"model": ErrorBody, "description": "the token's role may not do this (read-only)"},
    404: {"model": ErrorBody, "description": "not found (or not yours)"},
    413: {"model": ErrorBody, "description": "body too large"},
    422: {"model": ErrorBody, "description": "malformed JSON or an invalid field"},
    503: {"model": ErrorBody, "description": "busy: try again after Retry-After seconds"},
}


def create_hub_app(
    db: str | Path, *, max_body: int = DEFAULT_MAX_BODY, docs: bool = False
) -> FastAPI:
    """The hub's ASGI app on ``db``, a SQLite path or a PostgreSQL URL (migrated on open).

    ``docs`` serves the interactive /docs and /redoc pages (off by default: they are for
    developers); /openapi.json, the published contract, is always served.
    """
    store = HubStore(db)
    app = FastAPI(
        title="specialist-tui hub",
        version="1",
        description="A regional service center's shared source of truth for specialist-tui.",
        debug=False,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    app.state.store = store
    # Added last, so it runs first: a request without a valid token is answered 401 before
    # a byte of its body is read.
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(TokenGate, store=store)
    _add_error_handlers(app)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(f"{API_PREFIX}/me", response_model=Me, responses=_ERRORS)
    def me(who: Authed) -> Me:
        return Me(
            hub_id=store.hub_id,
            specialist_id=who.id,
            name=who.name,
            center_code=who.center_code,
            center_name=store.center_name(who.center_code),
            role=who.role,
        )

    @app.get(f"{API_PREFIX}/changes", response_model=ChangesPage, responses=_ERRORS)
    def changes(
        who: Authed,
        since: Annotated[
            str, Query(description="next_cursor of the last page; empty at first")
        ] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 5_000,
    ) -> Response:
        position = decode_cursor(since)
        rows, has_more = store.changes_after(who, position, limit)
        last = (rows[-1][0], rows[-1][1]) if rows else position
        # The stored bodies are already the records' canonical JSON: splice, don't re-encode.
        changes = ((kind, key, op, body) for _, _, kind, key, op, body in rows)
        page = page_json(changes, encode_cursor(last), has_more)
        return Response(page, media_type="application/json")

    @app.get(f"{API_PREFIX}/units/{{code}}", response_model=UnitRecords, responses=_ERRORS)
    def unit(who: Authed, code: str) -> Response:
        # The same answer whether the unit does not exist or is someone else's.
        if not store.visible_unit(who, code):
            raise HTTPException(404, "not found")
        changes = ((kind, key, "upsert", body) for kind, key, body in store.unit_records(code))
        return Response(records_json(changes), media_type="application/json")

    @app.post(f"{API_PREFIX}/push", response_model=PushResult, responses=_ERRORS)
    def push(who: Authed, body: PushRequest) -> PushResult:
        if who.role is Role.PROVINCE:
            raise HTTPException(403, "read-only role: a province reader pushes nothing")
        return store.apply_push(who, body)

    return app


async def _caller(  # async: a dependency that only reads the scope needs no worker thread
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The specialist holding the bearer token, found by TokenGate before the body was read."""
    caller: Caller | None = request.scope.get("state", {}).get(_CALLER)
    if caller is None:  # TokenGate answers 401 first; this only guards a route outside it
        raise HTTPException(401, "token wrong or revoked")
    return caller


_CALLER = "caller"


def authenticate(store: HubStore, authorization: str | None) -> Caller | None:
    """The specialist a bearer ``Authorization`` header names, or None (for any bad token)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    parts = auth.split(token.strip())
    record = store.token_record(parts[0]) if parts else None
    if parts is None or record is None or not auth.matches(parts[1], record.salt, record.hash):
        return None
    return record.caller


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
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        try:
            caller = authenticate(self.store, header)
        except DatabaseBusy:
            await _send_json(send, 503, _BUSY.encode(), [(b"retry-after", RETRY_AFTER.encode())])
            return
        if caller is None:
            payload = ErrorBody(detail="token wrong or revoked").model_dump_json().encode()
            await _send_json(send, 401, payload, [(b"www-authenticate", b"Bearer")])
            return
        scope.setdefault("state", {})[_CALLER] = caller
        await self.app(scope, receive, send)


async def _send_json(
    send: Send, status: int, payload: bytes, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


Authed = Annotated[Caller, Depends(_caller)]


def encode_cursor(position: Position) -> str:
    txid, seq = position
    return base64.urlsafe_b64encode(f"v2:{txid}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    """The feed position a cursor stands for; an empty cursor is the beginning.

    A v1 cursor (a seq, from hubs before PostgreSQL support) is the position (0, seq): rows
    written then, or copied by `hub migrate`, keep txid 0, so such a client resumes exactly.
    """
    if not cursor:
        return (0, 0)
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, _, rest = text.partition(":")
        parts = rest.split(":")
        if version == "v1":
            parts = ["0", *parts]
        # Bounded like the databases' integers: a longer number is no cursor this hub made.
        if version not in ("v1", "v2") or len(parts) != 2 or not all(_small(p) for p in parts):
            raise ValueError(text)
        return (int(parts[0]), int(parts[1]))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise RequestValidationError(
            [
                {
                    "loc": ("query", "since"),
                    "msg": "not a cursor from this hub",
                    "type": "value_error",
                }
            ]
        ) from None


def _small(digits: str) -> bool:
    return digits.isascii() and digits.isdigit() and len(digits) <= 18


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's "error parsing the body": bytes that are not JSON
            return _error(422, f"invalid body: {exc.detail}", fields=["body"])
        # Keep what the router said (Allow on a 405); a 401 names the scheme.
        headers = dict(exc.headers or {})
        if exc.status_code == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return _error(exc.status_code, str(exc.detail), headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [_field(e.get("loc", ())) for e in exc.errors()]
        first = exc.errors()[0] if exc.errors() else {"msg": "invalid request"}
        message = f"invalid field {fields[0]}: {first['msg']}" if fields else str(first["msg"])
        return _error(422, message, fields=fields)

    @app.exception_handler(DatabaseBusy)
    async def busy(request: Request, exc: DatabaseBusy) -> Response:
        # Load, not a fault: no traceback; the client waits and tries again.
        return Response(_BUSY, 503, {"Retry-After": RETRY_AFTER}, media_type="application/json")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        # The stack trace goes to the hub's log, never to the client.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(500, "internal error")


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts[:1]
    if len(parts) == 1 and parts[0].isdigit():  # a JSON syntax error gives the offset only
        return "body"
    return ".".join(parts) or "body"


def _error(
    status: int,
    detail: str,
    *,
    fields: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(detail=detail, fields=fields or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


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
            await _send_json(send, 408, payload.model_dump_json().encode())
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
        await _send_json(send, 413, payload.encode())
