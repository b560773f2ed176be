"""API tokens: made with `secrets`, stored only as a salted hash, found by a non-secret id.

A token reads ``sth_<id>_<secret>``. The id (16 hex digits) finds the specialist's row, so
checking a token never scans; the secret (256 random bits) is compared by its PBKDF2 hash in
constant time. A secret that random cannot be guessed from its hash, so a modest iteration count
keeps a token's first request fast while still keeping a stolen database from yielding working
tokens; later requests with the same token skip PBKDF2 (``matches``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "sth"
_ITERATIONS = 2_000
_ID_HEX = 16


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str  # shown once to the admin, never stored
    token_id: str
    salt: bytes
    hash: bytes


def issue() -> IssuedToken:
    token_id = secrets.token_hex(_ID_HEX // 2)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    return IssuedToken(f"{PREFIX}_{token_id}_{secret}", token_id, salt, _hash(secret, salt))


def split(token: str) -> tuple[str, str] | None:
    """(token id, secret) of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != _ID_HEX or not parts[2]:
        return None
    return parts[1], parts[2]


def matches(secret: str, salt: bytes, expected: bytes) -> bool:
    """Whether ``secret`` is the token whose stored salt and hash these are.

    PBKDF2 runs once per token and process: a secret that matched is remembered by a SHA-256
    of it, under the stored salt and hash it matched. The caller reads that row on every
    request, so a rotated token (a new id, salt and hash) is refused at once by every process;
    only the cost of a repeated check goes.
    """
    quick = hashlib.sha256(salt + secret.encode()).digest()
    known = _checked.get((salt, expected))
    if known is not None:
        return hmac.compare_digest(known, quick)
    if not hmac.compare_digest(_hash(secret, salt), expected):
        return False
    if len(_checked) >= _CHECKED_MAX:
        _checked.clear()
    _checked[(salt, expected)] = quick
    return True


# (stored salt, stored hash) → SHA-256 of the secret that matched them; bounded.
_checked: dict[tuple[bytes, bytes], bytes] = {}
_CHECKED_MAX = 100_000


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, _ITERATIONS)
