"""pydantic's errors and tomllib's, said in one Chinese phrase."""

from __future__ import annotations

from specialist_tui.domain.validation_text import error_line, toml_error_line


def test_known_and_unknown_error_types() -> None:
    assert error_line({"type": "int_parsing", "input": "x"}) == "应为整数，现为 'x'"
    assert error_line({"type": "missing", "input": {}}) == "缺少必填项"
    assert error_line({"type": "something_new", "input": 3}) == "格式不对，现为 3"
    # Only a value error carries its own sentence along.
    assert error_line({"type": "something_new", "ctx": {"error": "坏"}, "input": 3}) == (
        "格式不对，现为 3"
    )


def test_a_value_error_says_its_reason_when_it_has_one() -> None:
    with_reason = {"type": "value_error", "ctx": {"error": "早于截止日"}, "input": None}
    assert error_line(with_reason) == "值不合理：早于截止日"
    assert error_line({"type": "value_error", "input": 5}) == "值不合理，现为 5"


def test_a_toml_error_says_where_when_it_can() -> None:
    assert toml_error_line(ValueError("Expected '=' (at line 3, column 7)")) == (
        "不是有效的 TOML 文件（第 3 行第 7 列）"
    )
    assert toml_error_line(ValueError("boom")) == "不是有效的 TOML 文件"
