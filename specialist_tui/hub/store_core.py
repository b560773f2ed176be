"""What every part of the hub's store shares: the caller, a unit's home, feed rows and locks.

The store is one class (``HubStore``, store.py) made of parts, each in its own module: the
directory of centers and specialists, units and their records, the change feed, push, and the
copy between databases. They share the base here: the database, transactions, and the few
statements every part needs (writing feed rows, locking units).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from specialist_tui.domain.enums import Role
from specialist_tui.domain.models import Ticket
from specialist_tui.hub.backend import Backend, Db

# Rows meant for everyone allowed to see the unit; a specialist id marks a revoke row.
EVERYONE = "*"
NOT_FOUND = "not found"


class StoreError(Exception):
    """A hub database or an admin request the hub cannot use; the message says why."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The specialist a request's token belongs to."""

    id: str
    name: str
    center_code: str
    role: Role

    @property
    def is_lead(self) -> bool:
        return self.role is Role.LEAD


_T = TypeVar("_T")

# Records written per statement batch by the admin paths (bounded memory, few round trips).
WRITE_CHUNK = 5_000

# A place in the change feed: (writing transaction's id, seq); see store.py's docstring.
Position = tuple[int, int]

# A feed row to write: (kind, key, unit, center, owner, body).
FeedRow = tuple[str, str, str | None, str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A token's row: who holds it, and the salt and hash its secret is checked against."""

    caller: Caller
    salt: bytes
    hash: bytes


# The columns of a token's row that make a TokenRecord (token_row reads them back).
TOKEN_COLUMNS = "id, name, center_code, role, token_salt, token_hash"


def token_row(row: Sequence[Any]) -> TokenRecord:
    return TokenRecord(Caller(row[0], row[1], row[2], Role(row[3])), bytes(row[4]), bytes(row[5]))


@dataclass(frozen=True, slots=True)
class Home:
    """Where a unit belongs: its center and its specialist."""

    center_code: str
    owner: str | None


class StoreCore:
    """The database and the statements every part of the store shares."""

    _db: Backend
    hub_id: str

    def transaction(self) -> AbstractContextManager[Db]:
        """One write transaction (nested calls join the outer one)."""
        result: AbstractContextManager[Db] = self._db.write()
        return result

    def _read(self) -> AbstractContextManager[Db]:
        result: AbstractContextManager[Db] = self._db.read()
        return result

    def _homes(self, db: Db, codes: Iterable[str], *, lock: bool = False) -> dict[str, Home]:
        found: dict[str, Home] = {}
        wanted = sorted(codes)
        locking = f" ORDER BY code{self._db.for_update}" if lock else ""
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ", ".join("?" for _ in chunk)
            for code, center, owner in db.execute(
                "SELECT code, center_code, specialist_id FROM units "
                f"WHERE code IN ({marks}){locking}",
                chunk,
            ).fetchall():
                found[code] = Home(center, owner)
        return found

    def _ticket_units(self, db: Db, ticket_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ticket_ids), 900):
            chunk = ticket_ids[start : start + 900]
            marks = ", ".join("?" for _ in chunk)
            for tid, code in db.execute(
                f"SELECT id, unit_code FROM tickets WHERE id IN ({marks})", chunk
            ).fetchall():
                found[tid] = code
        return found

    def _put(
        self,
        db: Db,
        rows: Sequence[FeedRow],
        *,
        op: str = "upsert",
        audience: str = EVERYONE,
    ) -> None:
        """Write (kind, key, unit, center, owner, body) rows at fresh feed positions."""
        db.executemany(
            self._db.upsert_change,
            [
                (kind, key, audience, op, unit, center, owner, body)
                for kind, key, unit, center, owner, body in rows
            ],
        )

    def _put_ticket(self, db: Db, ticket_id: str, unit_code: str, version: int) -> None:
        db.execute(
            "INSERT INTO tickets (id, unit_code, version) VALUES (?, ?, ?) ON CONFLICT (id) "
            "DO UPDATE SET unit_code = excluded.unit_code, version = excluded.version",
            [ticket_id, unit_code, version],
        )


def chunked(items: Iterable[_T]) -> Iterator[list[_T]]:
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == WRITE_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def may_see(caller: Caller, home: Home) -> bool:
    if caller.role is Role.PROVINCE:
        return True
    if caller.is_lead:
        return home.center_code == caller.center_code
    return home.owner == caller.id


def as_json(record: BaseModel) -> str:
    return record.model_dump_json()


def stored_ticket(ticket: Ticket, version: int) -> Ticket:
    # The timeline travels as ticket_event records of its own, never inside the ticket.
    return ticket.model_copy(update={"version": version, "events": []})
