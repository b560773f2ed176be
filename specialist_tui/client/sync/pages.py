"""The page pipeline of a pull: fetch a page ahead while the previous one parses and is written.

The caller writes each page with its cursor in one transaction (cache.sync_state.apply_page), so
a crash between pages loses nothing and the next pull continues after the last written page.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Protocol

from specialist_tui.client.cache import sync_state as state
from specialist_tui.client.sync.errors import SyncError
from specialist_tui.client.sync.parsing import Parsed, parse
from specialist_tui.wire import peek_next_cursor


class Parser(Protocol):
    """Parses one page at a time: submit its bytes, then take the result."""

    def submit(self, content: bytes) -> None: ...

    def result(self) -> Parsed: ...


class InThread:
    """Parses pages in the calling thread: for small pulls, where a worker would cost more."""

    _content = b""

    def __enter__(self) -> InThread:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, content: bytes) -> None:
        self._content = content

    def result(self) -> Parsed:
        return parse(self._content)


class PageReader:
    """Fetches and parses pages, one step ahead of the caller, in a background thread."""

    _DONE = object()

    def __init__(self, fetch: Callable[[str], bytes], parser: Parser, cursor: str) -> None:
        self._fetch = fetch
        self._parser = parser
        self._cursor = cursor
        self._queue: queue.Queue[object] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sync-pages")

    def __enter__(self) -> PageReader:
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
                # While the page parses, fetch the next one after the cursor its head names; the
                # guess is checked against the validated page and, if wrong, fetched again.
                guess = peek_next_cursor(content)
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
