"""The no-canteen commitment letter (附件1): its fields from a unit, its template found beside the
policy file, the DOCX read back with python-docx, and the batch command over a view."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from specialist_tui.cli import main
from specialist_tui.client.letters import letter_fields, letter_file_name, write_letter
from specialist_tui.client.service import Service
from specialist_tui.domain.letters import LetterFields, fill_letter
from specialist_tui.domain.policy import PolicyError
from specialist_tui.policies import load_letter_template, load_policy

POLICY = load_policy("qinghai-2024")
UNIT = {
    "name": "青海省应急管理厅",
    "code": "11630000093863621M",
    "supervisor": "",
    "supervisor_code": None,
}
MEMBER = {
    "name": "青海省地质调查院",
    "code": "126300004626640553",
    "supervisor": "青海省自然资源厅",
    "supervisor_code": "11630000MB1234567X",
}


def paragraphs(path: Path) -> list[str]:
    """The letter's lines: its paragraphs, then the sign-off table's cells row by row."""
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return lines


# -- the template (its pure checks: tests/domain/test_letters.py) ------------------------


def test_filling_replaces_every_placeholder() -> None:
    letter = fill_letter(load_letter_template(), letter_fields(MEMBER, POLICY))
    text = letter.text()
    assert "$" not in text
    assert letter.title == "关于青海省地质调查院无食堂的承诺"
    assert "青海省地质调查院（统一社会信用代码：126300004626640553）" in text
    assert "2024年度" in text
    assert "主管部门（盖章）\n青海省自然资源厅\n" in text


def test_a_unit_without_a_supervisor_confirms_its_own_letter() -> None:
    fields = letter_fields(UNIT, POLICY)
    assert fields.supervisor_name == "青海省应急管理厅"
    assert fields.supervisor_code == ""


def test_a_policy_file_elsewhere_finds_its_template_beside_it(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "specialist_tui" / "policies"
    text = (shipped / "qinghai-2024.toml").read_text(encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "qh.toml").write_text(text, encoding="utf-8")
    (tmp_path / "templates" / "qinghai-2024-no-canteen-letter.toml").write_text(
        '[letter]\ntitle = "关于${unit_name}无食堂的承诺（${year}）"\n'
        'paragraphs = ["另一省的措辞。"]\n',
        encoding="utf-8",
    )
    template = load_letter_template(tmp_path / "qh.toml")
    assert template.paragraphs == ["另一省的措辞。"]
    assert fill_letter(template, letter_fields(UNIT, POLICY)).title.endswith("（2024）")


def test_a_policy_without_a_template_says_so(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "specialist_tui" / "policies"
    (tmp_path / "nat.toml").write_text(
        (shipped / "national-2024.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(PolicyError, match=r"templates\.no_canteen_letter"):
        load_letter_template(tmp_path / "nat.toml")


def test_a_missing_template_file_is_one_line(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "specialist_tui" / "policies"
    (tmp_path / "qh.toml").write_text(
        (shipped / "qinghai-2024.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(PolicyError, match="文件不存在"):
        load_letter_template(tmp_path / "qh.toml")


# -- the DOCX -------------------------------------------------------------------------------


def test_the_docx_reads_back_as_the_letter(tmp_path: Path) -> None:
    letter = fill_letter(load_letter_template(), letter_fields(MEMBER, POLICY))
    path = tmp_path / "letter.docx"
    write_letter(path, letter)
    non_empty = [t for t in paragraphs(path) if t]
    assert non_empty[:3] == [
        "附件1",
        "关于青海省地质调查院无食堂的承诺",
        "青海省财政厅政府采购监督管理处：",
    ]
    assert non_empty[3:5] == list(letter.paragraphs)
    assert "统一社会信用代码：126300004626640553" in non_empty[3]
    assert "2024年度" in non_empty[4]
    assert non_empty[5:] == [
        "特此承诺。",
        "承诺单位（盖章）",
        "青海省地质调查院",
        "主管部门确认：情况属实",
        "主管部门（盖章）",
        "青海省自然资源厅",
        "年    月    日",
        "年    月    日",
    ]
    assert Document(str(path)).core_properties.title == "关于青海省地质调查院无食堂的承诺"


def test_the_docx_is_laid_out_as_an_official_letter(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    write_letter(path, fill_letter(load_letter_template(), letter_fields(MEMBER, POLICY)))
    document = Document(str(path))
    section = document.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.left_margin]
    assert [round(s.mm) for s in sizes if s is not None] == [210, 297, 37, 28]
    by_text = {p.text: p for p in document.paragraphs if p.text}
    title = by_text["关于青海省地质调查院无食堂的承诺"]
    assert title.style is not None
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = by_text["特此承诺。"].style
    assert body is not None and body.paragraph_format.first_line_indent is not None
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    # The sign-offs side by side: each party's lines and room for its seal, then its date.
    [table] = document.tables
    unit, supervisor = ([p.text for p in c.paragraphs] for c in table.rows[0].cells)
    assert unit == ["承诺单位（盖章）", "青海省地质调查院", ""]
    assert supervisor == ["主管部门确认：情况属实", "主管部门（盖章）", "青海省自然资源厅", ""]
    for cell in table.rows[1].cells:
        [date] = cell.paragraphs
        assert (date.text, date.alignment) == ("年    月    日", WD_ALIGN_PARAGRAPH.RIGHT)


def test_file_names_are_safe_and_unique() -> None:
    unit = {"name": "西宁/城东 区:学校*", "code": "12630102MB0000001X"}
    assert letter_file_name(unit) == "12630102MB0000001X-西宁_城东_区_学校-无食堂承诺.docx"


# -- the batch command ----------------------------------------------------------------------


def needing(service: Service) -> dict[str, str]:
    """Provincial units with canteen mode none this year, straight from the cache's tables."""
    rows = service.cache.rows(
        "SELECT u.code, u.name FROM units u JOIN filings f ON f.unit_code = u.code "
        "WHERE u.level = 'provincial' AND f.canteen_mode = 'none' AND f.year = ?",
        [service.policy.year],
    )
    return {r["code"]: r["name"] for r in rows}


def test_letters_writes_one_file_per_unit_that_needs_one(
    demo_cache: Path, demo_service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    want = needing(demo_service)
    assert len(want) >= 3  # the demo has such units
    folder = tmp_path / "out" / "letters"  # created with its parents
    assert main(["--cache-dir", str(demo_cache), "letters", "-o", str(folder)]) == 0
    files = sorted(folder.glob("*.docx"))
    assert {f.name.split("-")[0] for f in files} == set(want)
    for file in files:
        code = file.name.split("-")[0]
        text = "\n".join(paragraphs(file))
        assert f"关于{want[code]}无食堂的承诺" in text
        assert f"统一社会信用代码：{code}" in text
    out, err = capsys.readouterr()
    assert out.splitlines() == [str(folder / f.name) for f in _in_printed_order(out, files)]
    assert f"已生成 {len(want)} 份无食堂承诺函" in err


def _in_printed_order(out: str, files: list[Path]) -> list[Path]:
    names = [Path(line).name for line in out.splitlines()]
    return sorted(files, key=lambda f: names.index(f.name))


def test_letters_keeps_the_views_filter(
    demo_cache: Path, demo_service: Service, tmp_path: Path
) -> None:
    code, name = sorted(needing(demo_service).items())[0]
    argv = ["--cache-dir", str(demo_cache), "letters", "--filter", code, "-o", str(tmp_path)]
    assert main(argv) == 0
    assert [f.name for f in tmp_path.glob("*.docx")] == [
        letter_file_name({"code": code, "name": name})
    ]


def test_a_view_without_such_units_writes_nothing(
    demo_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--cache-dir", str(demo_cache), "letters", "--filter", "西宁市", "-o", str(tmp_path)]
    assert main(argv) == 0
    assert list(tmp_path.iterdir()) == []
    assert "没有需要无食堂承诺函的单位" in capsys.readouterr().err


@pytest.mark.parametrize("under_a_file", [False, True])
def test_a_bad_folder_is_one_line_without_a_traceback(
    demo_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], under_a_file: bool
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    folder = blocker / "letters" if under_a_file else blocker
    assert main(["--cache-dir", str(demo_cache), "letters", "-o", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("specialist-tui") and err.count("\n") == 1
    assert "不是文件夹" in err
    assert "Traceback" not in err
    assert blocker.read_text() == "x"


def test_letter_fields_name_the_policy_year() -> None:
    assert letter_fields(UNIT, POLICY) == LetterFields(
        unit_name="青海省应急管理厅",
        credit_code="11630000093863621M",
        supervisor_name="青海省应急管理厅",
        supervisor_code="",
        year=2024,
        province="青海省",
    )
