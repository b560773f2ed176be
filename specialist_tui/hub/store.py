"""The hub's store: with its parts (store_*.py) and backends, the only hub code that speaks SQL.

Every record lives in ``changes`` as its canonical JSON (the domain model's dump) at a feed
position (txid, seq). Writing a record replaces its row, so the row gets a new, higher
position: the table is both the store and a compacted change feed. A client that has read up
to position P asks for positions after P and gets the latest state of everything changed since.

Why a change is never skipped: a reader is only ever served positions below a horizon no
transaction still running can write under. On SQLite the single writer commits in seq order
(txid stays 0), so the horizon is "everything committed"; on PostgreSQL txid is the writing
transaction's id and the horizon is the oldest transaction still running (docs/hub.md argues
both). Rows are never updated in place but moved, so a record that changes again reappears
above the cursor.

Visibility: a row names its unit's center and owner (the unit's specialist when written). A lead
sees the rows of the center; a specialist sees the rows they own, the center and its specialists,
and "revoke" rows (audience and owner = their id) telling them a unit is no longer theirs; a
province reader sees every center's rows and writes nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from types import TracebackType

from specialist_tui.hub.backend import BackendError, open_backend
from specialist_tui.hub.schema import SCHEMA_VERSION as SCHEMA_VERSION
from specialist_tui.hub.store_copy import COPIED_TABLES as COPIED_TABLES
from specialist_tui.hub.store_copy import Copying
from specialist_tui.hub.store_core import Caller as Caller
from specialist_tui.hub.store_core import Position as Position
from specialist_tui.hub.store_core import StoreError as StoreError
from specialist_tui.hub.store_directory import Directory
from specialist_tui.hub.store_feed import Feed
from specialist_tui.hub.store_push import Push
from specialist_tui.hub.store_records import Records


class HubStore(Directory, Records, Feed, Push, Copying):
    """One hub database, SQLite (a file path) or PostgreSQL (a ``postgresql://`` URL).

    Closing it closes every connection it opened, whichever thread opened it; ``with`` does so.
    """

    def __init__(self, target: str | Path, *, create: bool = True) -> None:
        """Open (``create``: or make) the hub database.

        Without ``create`` a missing file or an empty database is refused, so that a mistyped
        --db never becomes a new, empty hub; a database that is not a hub's is refused untouched.
        """
        try:
            self._db = open_backend(target)
            self._db.check(create)
            self.created = self._db.schema_version == 0  # this open makes the hub's tables
            self._db.migrate()
            self.hub_id = self._hub_id()
        except BackendError as exc:
            raise StoreError(str(exc)) from None
        self.target = self._db.target
        self.engine = self._db.name

    def _hub_id(self) -> str:
        """A random id made once per hub database: clients use it to tell hubs apart."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('hub_id', ?) ON CONFLICT (key) DO NOTHING",
                [uuid.uuid4().hex],
            )
            return str(db.execute("SELECT value FROM meta WHERE key = 'hub_id'").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HubStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._db.schema_version
