"""pydantic's validation errors said in Chinese, for settings and policy files a user edits."""

from __future__ import annotations

import re
from typing import Any

_REASONS = {
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_type": "应为日期 YYYY-MM-DD",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "greater_than": "数值太小",
    "greater_than_equal": "数值太小",
    "less_than": "数值太大",
    "less_than_equal": "数值太大",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "too_short": "不能为空",  # a list that needs at least one item
    "dict_type": "应为表（键 = 值）",
    "list_type": "应为列表",
    "missing": "缺少必填项",
    "extra_forbidden": "无法识别的设置",
    "path_type": "应为路径",
    "literal_error": "不是可选的值",
    "enum": "不是可选的值",
    "value_error": "值不合理",
}


def error_line(error: Any) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as a Chinese phrase."""
    reason = _REASONS.get(str(error["type"]), "格式不对")
    value = error.get("input")
    if error["type"] == "value_error" and error.get("ctx", {}).get("error"):
        reason = f"{reason}：{error['ctx']['error']}"
    if isinstance(value, dict | list) or value is None:
        return reason
    return f"{reason}，现为 {value!r}"


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_error_line(error: Exception) -> str:
    """Where a TOML file is malformed, in Chinese (tomllib says it in English)."""
    place = _TOML_PLACE.search(str(error))
    if place is None:
        return "不是有效的 TOML 文件"
    return f"不是有效的 TOML 文件（第 {place.group(1)} 行第 {place.group(2)} 列）"
