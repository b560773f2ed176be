"""Pausing Python's cyclic garbage collector around bulk work: the one place it is tuned.

Bulk work here (a first sync, parsing its pages, building demo data) allocates millions of
short-lived objects (models, dicts, tuples) and frees them by reference counting, as none holds a
reference cycle. Meanwhile the cyclic collector would only walk the growing heap again and again:
a fifth of a first sync's time, a third of parsing a page, a quarter of building a large demo.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Within the block the cyclic collector does not run; it runs again after, if it did before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def stop_cycle_collection() -> None:
    """For a process that does only bulk work until it exits (the sync's parse worker)."""
    gc.disable()
