"""The no-canteen commitment letter's pure part: who needs one, the template's parts and its
checks (one Chinese line naming the bad key), the placeholders filled (the DOCX: tests/duties)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from specialist_tui.domain.enums import CanteenMode, Level
from specialist_tui.domain.letters import (
    PLACEHOLDERS,
    FilledLetter,
    LetterFields,
    SignOffText,
    fill_letter,
    needs_no_canteen_letter,
    parse_letter_template,
)
from specialist_tui.domain.policy import PolicyError
from specialist_tui.policies import load_letter_template

FIELDS = LetterFields(
    unit_name="青海省地质调查院",
    credit_code="126300004626640553",
    supervisor_name="青海省自然资源厅",
    supervisor_code="11630000MB1234567X",
    year=2025,
    province="青海省",
)
KNOWN = "${unit_name}、${credit_code}、${supervisor_name}、${supervisor_code}、${year}、${province}"


def template(body: str) -> str:
    return f'[letter]\ntitle = "承诺"\nparagraphs = ["正文"]\n{body}'


# -- who needs one --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "mode", "needs"),
    [
        ("provincial", "none", True),
        (Level.PROVINCIAL, CanteenMode.NONE, True),
        ("provincial", "own", False),
        ("provincial", "outsourced", False),
        ("provincial", "shared", False),
        ("provincial", None, False),
        (None, "none", False),
        ("prefecture", "none", False),
        ("county", "none", False),
    ],
)
def test_only_provincial_units_without_a_canteen_need_a_letter(
    level: str | None, mode: str | None, needs: bool
) -> None:
    assert needs_no_canteen_letter(level, mode) is needs


# -- the template ---------------------------------------------------------------------------


def test_the_shipped_template_is_the_notices_attachment() -> None:
    shipped = load_letter_template("qinghai-2024")
    assert shipped.attachment == "附件1"
    assert shipped.title == "关于${unit_name}无食堂的承诺"
    assert shipped.addressee == "青海省财政厅政府采购监督管理处："
    assert shipped.closing == "特此承诺。"
    assert [s.lines[0] for s in shipped.sign_offs] == ["承诺单位（盖章）", "主管部门确认：情况属实"]


def test_a_template_gives_room_for_stamps_and_a_blank_date_unless_it_says_otherwise() -> None:
    parsed = parse_letter_template(template('[[letter.sign_offs]]\nlines = ["单位（盖章）"]\n'))
    assert (parsed.attachment, parsed.addressee, parsed.closing) == ("", "", "")
    [sign_off] = parsed.sign_offs
    assert (sign_off.stamp_lines, sign_off.date_line) == (3, "年    月    日")
    assert parse_letter_template(template("")).sign_offs == []


@pytest.mark.parametrize("stamp_lines", [0, 10])
def test_stamp_room_may_be_none_up_to_ten_lines(stamp_lines: int) -> None:
    body = f'[[letter.sign_offs]]\nlines = ["x"]\nstamp_lines = {stamp_lines}\n'
    assert parse_letter_template(template(body)).sign_offs[0].stamp_lines == stamp_lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[letter\n", "t.toml：不是有效的 TOML 文件（第 1 行第 8 列）"),
        ('[letter]\ntitle = "x"\n', "t.toml：letter.paragraphs：缺少必填项"),
        ('[letter]\ntitle = "x"\nparagraphs = []\n', "t.toml：letter.paragraphs：不能为空"),
        ('[letter]\ntitle = ""\nparagraphs = ["y"]\n', "t.toml：letter.title：不能为空"),
        ('[letter]\ntitle = "x"\nparagraphs = [""]\n', "t.toml：letter.paragraphs.0：不能为空"),
        ('[letter]\ntitle = "x"\nparagraphs = ["y"]\nsize = 3\n', "t.toml：letter.size：无法"),
        ("title = 1\n", "t.toml：letter：缺少必填项"),
        (
            template('[[letter.sign_offs]]\nlines = ["x"]\nstamp_lines = 11\n'),
            "t.toml：letter.sign_offs.0.stamp_lines：数值太大，现为 11",
        ),
        (
            template('[[letter.sign_offs]]\nlines = ["x"]\nstamp_lines = -1\n'),
            "t.toml：letter.sign_offs.0.stamp_lines：数值太小，现为 -1",
        ),
        (template('[[letter.sign_offs]]\nlines = [""]\n'), "t.toml：letter.sign_offs.0.lines.0："),
    ],
)
def test_bad_templates_fail_on_one_chinese_line(text: str, expected: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_letter_template(text, "t.toml")
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('attachment = "附件${n}"', "letter.attachment"),
        ('addressee = "${n}："', "letter.addressee"),
        ('closing = "${n}"', "letter.closing"),
        ('closing = "${n}"\n[[letter.sign_offs]]\nlines = ["a"]', "letter.closing"),
        ('[[letter.sign_offs]]\nlines = ["a", "${n}"]', "letter.sign_offs.0.lines.1"),
        ('[[letter.sign_offs]]\nlines = ["a"]\ndate_line = "${n}"', "letter.sign_offs.0.date_line"),
        (
            '[[letter.sign_offs]]\nlines = ["a"]\n[[letter.sign_offs]]\nlines = ["${n}"]',
            "letter.sign_offs.1.lines.0",
        ),
    ],
)
def test_an_unknown_placeholder_is_named_with_where_it_sits(body: str, where: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_letter_template(template(body + "\n"), "t.toml")
    assert str(info.value) == f"t.toml：{where}：未知占位符 ${{n}}（可用：{KNOWN}）"


def test_the_title_and_each_paragraph_are_checked_too() -> None:
    text = '[letter]\ntitle = "关于${unit}的承诺"\nparagraphs = ["x"]\n'
    with pytest.raises(PolicyError, match=r"^t\.toml：letter\.title：未知占位符 \$\{unit\}（"):
        parse_letter_template(text, "t.toml")
    text = '[letter]\ntitle = "x"\nparagraphs = ["${year}", "y", "${unit_name}${code}"]\n'
    with pytest.raises(
        PolicyError, match=r"^template：letter\.paragraphs\.2：未知占位符 \$\{code\}"
    ):
        parse_letter_template(text)


@pytest.mark.parametrize("text", ["5$", "$ 元", "${unit_name", "${1x}"])
def test_a_lone_dollar_says_how_to_write_one(text: str) -> None:
    body = f'[letter]\ntitle = "x"\nparagraphs = ["{text}"]\n'
    with pytest.raises(PolicyError) as info:
        parse_letter_template(body, "t.toml")
    assert str(info.value) == (
        "t.toml：letter.paragraphs.0：未知占位符 （$ 后应为 {名称}；要写 $ 本身请写 $$）"
        f"（可用：{KNOWN}）"
    )


def test_every_placeholder_is_known_and_a_double_dollar_is_a_dollar() -> None:
    names = "".join(f"${{{name}}}" for name in PLACEHOLDERS) + "$$5"
    parsed = parse_letter_template(template(f'closing = "{names}"\n'))
    assert fill_letter(parsed, FIELDS).closing == (
        "青海省地质调查院126300004626640553青海省自然资源厅11630000MB1234567X2025青海省$5"
    )


# -- filling --------------------------------------------------------------------------------


FULL = """
[letter]
attachment = "附件${year}"
title = "关于${unit_name}无食堂的承诺"
addressee = "${province}财政厅："
paragraphs = ["${unit_name}（${credit_code}）", "${year}年度"]
closing = "特此承诺（${supervisor_code}）"

[[letter.sign_offs]]
lines = ["承诺单位（盖章）", "${unit_name}"]
stamp_lines = 2

[[letter.sign_offs]]
lines = ["${supervisor_name}"]
date_line = "${year}年  月  日"
"""


def test_filling_replaces_every_placeholder_in_every_part() -> None:
    filled = fill_letter(parse_letter_template(FULL), FIELDS)
    assert filled == FilledLetter(
        attachment="附件2025",
        title="关于青海省地质调查院无食堂的承诺",
        addressee="青海省财政厅：",
        paragraphs=("青海省地质调查院（126300004626640553）", "2025年度"),
        closing="特此承诺（11630000MB1234567X）",
        sign_offs=(
            SignOffText(("承诺单位（盖章）", "青海省地质调查院"), 2, "年    月    日"),
            SignOffText(("青海省自然资源厅",), 3, "2025年  月  日"),
        ),
    )


def test_the_letters_text_reads_in_order_and_skips_empty_parts() -> None:
    filled = fill_letter(parse_letter_template(FULL), FIELDS)
    assert filled.text().splitlines() == [
        "附件2025",
        "关于青海省地质调查院无食堂的承诺",
        "青海省财政厅：",
        "青海省地质调查院（126300004626640553）",
        "2025年度",
        "特此承诺（11630000MB1234567X）",
        "承诺单位（盖章）",
        "青海省地质调查院",
        "年    月    日",
        "青海省自然资源厅",
        "2025年  月  日",
    ]
    bare = fill_letter(parse_letter_template(template("")), FIELDS)
    assert bare.text() == "承诺\n正文"


def test_the_fields_map_every_placeholder_to_text() -> None:
    assert FIELDS.mapping() == {
        "unit_name": "青海省地质调查院",
        "credit_code": "126300004626640553",
        "supervisor_name": "青海省自然资源厅",
        "supervisor_code": "11630000MB1234567X",
        "year": "2025",
        "province": "青海省",
    }


def test_a_parsed_template_cannot_be_changed_by_accident() -> None:
    parsed = parse_letter_template(template('[[letter.sign_offs]]\nlines = ["x"]\n'))
    with pytest.raises(ValidationError):
        parsed.title = "别的标题"
    with pytest.raises(ValidationError):
        parsed.sign_offs[0].stamp_lines = 5
