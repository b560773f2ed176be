"""The change feed as clients read it: the rows after a cursor, in the caller's scope."""

from __future__ import annotations

import time
from typing import Any

from specialist_tui.domain.enums import Role
from specialist_tui.hub.store_core import (
    TOKEN_COLUMNS,
    Caller,
    Home,
    Position,
    StoreCore,
    TokenRecord,
    may_see,
    token_row,
)

# A feed row as a page serves it: (txid, seq, kind, key, op, body).
PageRow = tuple[int, int, str, str, str, str | None]

# How long a poll waits for older transactions when committed rows in its scope wait behind
# them (they are served below the horizon only); past it the poll answers what is ready.
HELD_BACK_WAIT = 1.0


class Feed(StoreCore):
    """Pages of the change feed and a unit's records, as the API serves them."""

    def changes_after(
        self, caller: Caller, since: Position, limit: int
    ) -> tuple[list[PageRow], bool]:
        """Up to ``limit`` rows after position ``since`` the caller may see, oldest first.

        Each branch of the caller's scope reads its own index range from ``since`` on, so a poll
        costs what the caller's own changes cost, not everyone's.
        """
        sql, params = self.page_query(caller, since, limit)
        deadline = time.monotonic() + HELD_BACK_WAIT
        while True:
            with self._read() as db:
                rows = db.execute(sql, params).fetchall()
            # Rows are ordered by txid, so those below the horizon are a prefix.
            ready = [tuple(r[1:]) for r in rows if r[1] < r[0]]
            held_back = len(ready) < len(rows)
            if not held_back or ready or time.monotonic() > deadline:
                break
            # Committed rows wait behind an older transaction still running; it is usually
            # a push a few milliseconds from its commit, so wait rather than answer "nothing".
            time.sleep(0.01)
        page: list[PageRow] = ready[:limit]
        return page, len(ready) > limit or (held_back and bool(ready))

    def token_and_news(
        self, token_id: str, caller: Caller, since: Position
    ) -> tuple[TokenRecord | None, bool]:
        """Token ``token_id``'s row as it is now (None: no such token), and whether anything
        follows position ``since`` in ``caller``'s scope, in one statement.

        For a poll whose token named ``caller`` when last checked: most polls find nothing new,
        and such a poll is then one round trip instead of two. The answer is the caller's only
        if the row still names that caller and the secret matches its hash; a rotated, revoked
        or changed token does not, and must be checked afresh.
        """
        sql, params = self.page_query(caller, since, 1)
        with self._read() as db:
            row = db.execute(
                f"SELECT {TOKEN_COLUMNS}, EXISTS ({sql}) FROM specialists WHERE token_id = ?",
                [*params, token_id],
            ).fetchone()
        return (None, False) if row is None else (token_row(row), bool(row[6]))

    def page_query(self, caller: Caller, since: Position, limit: int) -> tuple[str, list[Any]]:
        """The statement (and its parameters) reading a page: one row per change, each led by
        the horizon (bench/hub_explain.py shows its plans)."""
        branches: list[tuple[str, list[str]]]
        if caller.role is Role.PROVINCE:
            branches = [("audience = '*'", [])]
        elif caller.is_lead:
            branches = [("audience = '*' AND center_code = ?", [caller.center_code])]
        else:
            branches = [
                # Their units' records, and the revoke rows addressed to them.
                ("owner = ?", [caller.id]),
                ("kind IN ('center', 'specialist') AND center_code = ?", [caller.center_code]),
            ]
        selects = []
        params: list[Any] = []
        for number, (where, values) in enumerate(branches):
            selects.append(
                "SELECT * FROM (SELECT txid, seq, kind, key, op, body FROM changes "
                f"WHERE {where} AND {self._db.after_position} ORDER BY txid, seq LIMIT ?) "
                f"AS branch{number}"
            )
            params += [*values, since[0], since[1], limit + 1]
        sql = " UNION ALL ".join(selects)
        if len(selects) > 1:
            sql = f"SELECT * FROM ({sql}) AS scope ORDER BY txid, seq LIMIT ?"
            params.append(limit + 1)
        # The horizon in the same statement, so from the same snapshot as the rows: every
        # transaction under it had ended when that snapshot was taken, so the rows below it
        # are final. One round trip; and an empty page never computes it.
        sql = (
            f"SELECT ({self._db.horizon_sql}) AS horizon, page.* FROM ({sql}) AS page "
            "ORDER BY txid, seq"
        )
        return sql, params

    def visible_unit(self, caller: Caller, code: str) -> bool:
        with self._read() as db:
            row = db.execute(
                "SELECT center_code, specialist_id FROM units WHERE code = ?", [code]
            ).fetchone()
        return row is not None and may_see(caller, Home(row[0], row[1]))

    def unit_records(self, code: str) -> list[tuple[str, str, str]]:
        """(kind, key, body) of a unit and all its records."""
        with self._read() as db:
            # Sorted here: ORDER BY made SQLite read the whole audience index (see _move_unit).
            rows = db.execute(
                "SELECT txid, seq, kind, key, body FROM changes WHERE unit_code = ? "
                "AND audience = '*' AND op = 'upsert'",
                [code],
            ).fetchall()
        return [(r[2], r[3], r[4]) for r in sorted(rows)]
