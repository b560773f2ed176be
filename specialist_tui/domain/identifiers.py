"""Checks for the identifiers units and contacts carry: credit codes, phones, division codes."""

from __future__ import annotations

import re
from functools import lru_cache

# GB 32100-2015: the unified social credit code alphabet leaves out I, O, S, V and Z.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# GB 11714-1997 organisation code, which a credit code carries in characters 9 to 17.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_SERVICE = re.compile(r"^[48]00-?\d{3}-?\d{4}$")
_DIVISION = re.compile(r"^[1-8]\d{5}$")


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 are given."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The 9th character of an organisation code whose first 8 are given."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


# Pure and hot: a sync validates a unit's code once per order, so most checks are repeats.
@lru_cache(maxsize=1 << 16)
def make_credit_code(head: str, org8: str) -> str:
    """A valid credit code from its head (registration kind + division code, 8 characters,
    e.g. "11630100") and the first 8 characters of its organisation code (demo and test data)."""
    body = head + org8 + org_code_check_char(org8)
    return body + credit_code_check_char(body)


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, or None when it is."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实际 {len(code)} 位"
    if not _CREDIT_SHAPE.match(code):
        return "统一社会信用代码含有不允许的字符"
    if credit_code_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确"
    return None


def normalise_phone(phone: str) -> str:
    """The phone number without spaces, or ValueError when it is not a Chinese phone number."""
    compact = re.sub(r"[\s()（）]", "", phone)
    if _MOBILE.match(compact) or _LANDLINE.match(compact) or _SERVICE.match(compact):
        return compact
    raise ValueError(f"电话号码格式不正确：{phone!r}")


def is_division_code(code: str) -> bool:
    return bool(_DIVISION.match(code))


# A platform order number: letters, digits and hyphens with at least six digits, such as
# 832-2024-000000123 (our exports) or the platform's long all-digit numbers.
_ORDER_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{5,39}")


def order_number_problem(text: str) -> str | None:
    """Why ``text`` is not an order number (Chinese), or None when it has the shape of one."""
    value = text.strip()
    if _ORDER_NUMBER.fullmatch(value) and sum(ch.isdigit() for ch in value) >= 6:
        return None
    return "订单号应为平台订单编号：至少 6 位数字，可含字母和“-”，如 832-2024-000000123"
