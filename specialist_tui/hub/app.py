"""The hub's HTTP API (FastAPI): who am I, the change feed, push, and a health check.

Request and response bodies are the wire models of ``specialist_tui.wire``; the OpenAPI
document at /openapi.json is generated from them. Every error answer is a small JSON body.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from specialist_tui.domain.enums import Role
from specialist_tui.hub.backend import DatabaseBusy
from specialist_tui.hub.layers import (
    BUSY_BODY,
    CALLER_KEY,
    CHANGES_PATH,
    RETRY_AFTER,
    BodyLimit,
    PollShortcut,
    TokenGate,
)
from specialist_tui.hub.pages import feed_page, parse_cursor
from specialist_tui.hub.store import Caller, HubStore, Position
from specialist_tui.wire import (
    API_PREFIX,
    DEFAULT_PAGE,
    MAX_PAGE,
    ChangesPage,
    ErrorBody,
    Me,
    PushRequest,
    PushResult,
    UnitRecords,
    records_json,
)

DEFAULT_MAX_BODY = 8 * 1024 * 1024
log = logging.getLogger("specialist_tui.hub")

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
) -> HubApi:
    """The hub's ASGI app on ``db``, a SQLite path or a PostgreSQL URL (migrated on open).

    ``docs`` serves the interactive /docs and /redoc pages (off by default: they are for
    developers); /openapi.json, the published contract, is always served.
    """
    store = HubStore(db)
    app = HubApi(
        PollShortcut(store),
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

    @app.get(CHANGES_PATH, response_model=ChangesPage, responses=_ERRORS)
    def changes(
        who: Authed,
        since: Annotated[
            str, Query(description="next_cursor of the last page; empty at first")
        ] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    ) -> Response:
        # Most polls are answered before this, by PollShortcut; the two give the same bytes.
        page = feed_page(store, who, decode_cursor(since), limit)
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
    caller: Caller | None = request.scope.get("state", {}).get(CALLER_KEY)
    if caller is None:  # TokenGate answers 401 first; this only guards a route outside it
        raise HTTPException(401, "token wrong or revoked")
    return caller


Authed = Annotated[Caller, Depends(_caller)]


class HubApi(FastAPI):
    """The FastAPI app, with polls answered first by ``PollShortcut`` (see there why)."""

    def __init__(self, shortcut: PollShortcut, **settings: Any) -> None:
        super().__init__(**settings)
        self.shortcut = shortcut

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not await self.shortcut.answered(scope, send):
            await super().__call__(scope, receive, send)

    def close(self) -> None:
        """Stop the shortcut's threads and close the database (the app serves no more)."""
        self.shortcut.close()
        self.state.store.close()


def decode_cursor(cursor: str) -> Position:
    """The position a ``since`` names; 422 (as for any invalid field) for no cursor of ours."""
    try:
        return parse_cursor(cursor)
    except ValueError:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", "since"),
                    "msg": "not a cursor from this hub",
                    "type": "value_error",
                }
            ]
        ) from None


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
        return Response(BUSY_BODY, 503, {"Retry-After": RETRY_AFTER}, media_type="application/json")

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
