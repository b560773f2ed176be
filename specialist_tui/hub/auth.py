"""API tokens: made with `secrets`, stored only as a salted hash, found by a non-secret id.

A token reads ``sth_<id>_<secret>``. The id (16 hex digits) finds the specialist's row, so
checking a token never scans; the secret (256 random bits) is compared by its PBKDF2 hash in
constant time. A secret that random cannot be guessed from its hash, so a modest iteration count
keeps every request fast while still keeping a stolen database from yielding working tokens.
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
    return hmac.compare_digest(_hash(secret, salt), expected)


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, _ITERATIONS)
