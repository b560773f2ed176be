"""The local SQLite cache (the only client code that speaks SQL)."""

from specialist_tui.client.cache.store import CACHE_FILE, Cache, CacheError
from specialist_tui.client.cache.views import SORTS, VIEWS, UnknownKey

__all__ = ["CACHE_FILE", "SORTS", "VIEWS", "Cache", "CacheError", "UnknownKey"]
