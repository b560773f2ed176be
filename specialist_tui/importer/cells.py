"""Reading one spreadsheet cell as text, money in fen, a moment, a count, a yes/no or an enum.

Each reader takes what openpyxl or the csv module gives (str, int, float, datetime, None) and
returns the value or raises CellError with a reason in Chinese.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from specialist_tui.domain.enums import Labelled
from specialist_tui.domain.fields import MAX_FEN


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the user."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """The cell as trimmed text; whole numbers lose Excel's ".0" (phones and codes as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


_MONEY_NOISE = re.compile(r"[\s,，¥￥元]")


def money(value: Any, factor: int) -> int:
    """An amount in fen; ``factor`` is the fen per unit of the column (100 for 元)."""
    if isinstance(value, bool):
        raise CellError("不是金额")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        cleaned = _MONEY_NOISE.sub("", str(value))
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise CellError("不是金额") from None
    if not amount.is_finite():
        raise CellError("不是金额")
    if amount < 0:
        raise CellError("金额不能为负")
    # Checked before scaling: 1e30 or 1e999999 would overflow the rounding below.
    if amount > Decimal(MAX_FEN) / factor:
        raise CellError(f"金额过大（上限 {MAX_FEN // 100:,} 元）")
    # Spreadsheet formulas leave float dust (1234.5600000001): round to the fen.
    return int((amount * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}(?:\.\d+)?))?秒?)?$"
)


def moment(value: Any) -> datetime:
    """A date or date and time: Excel date cells, 2024-02-20, 2024/2/20 9:30, 2024年2月20日."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    raw = text(value)
    match = _DATE.match(raw)
    if match:
        year, month, day, hour, minute, second = match.groups()
        try:
            return datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(float(second or 0)),
            )
        except ValueError:
            raise CellError("日期不存在") from None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise CellError("不是日期（应为 2024-02-20、2024/2/20 或 2024年2月20日）") from None


def count(value: Any) -> int:
    """A whole number ≥ 0 (staff counts, years)."""
    if isinstance(value, bool):
        raise CellError("不是整数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = text(value).replace(",", "")
        if not re.fullmatch(r"-?\d+(\.0+)?", raw):
            raise CellError("不是整数")
        number = int(raw.split(".")[0])
    if number < 0:
        raise CellError("不能为负")
    return number


_YES = {"是", "有", "已开户", "已说明", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "无", "未开户", "未说明", "n", "no", "false", "0", "×", "✗"}


def yes_no(value: Any) -> bool:
    raw = text(value).lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError("应为 是 或 否")


def label(enum: type[Labelled], value: Any) -> Labelled:
    """An enum member by its Chinese label or its English code."""
    raw = text(value)
    try:
        return enum.from_label(raw)
    except ValueError:
        choices = "、".join(member.label for member in enum)
        raise CellError(f"未知的取值（可用：{choices}）") from None
