"""No-canteen commitment letters (附件1) as DOCX files, one unit or every unit of a view.

DOCX because the offices edit the letter, print it and stamp it; python-docx writes it. The
wording comes from the policy's template file (domain.letters); the layout here follows the
national standard for official documents (GB/T 9704): A4, its margins, 小标宋 title, 仿宋 body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specialist_tui.atomic import replacing
from specialist_tui.domain.letters import (
    FilledLetter,
    LetterFields,
    LetterTemplate,
    SignOffText,
    fill_letter,
)
from specialist_tui.domain.policy import Policy
from specialist_tui.policies import load_letter_template

if TYPE_CHECKING:
    from docx.styles.style import ParagraphStyle

    from specialist_tui.client.service import Service

# GB/T 9704-2012: fonts, sizes (二号 22pt title, 三号 16pt text) and margins in millimetres.
TITLE_FONT, BODY_FONT, LABEL_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
TITLE_PT, BODY_PT, LINE_PT = 22, 16, 28
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
INDENT_CHARS = 2  # a paragraph's first line, in characters

# Characters Windows refuses in a file name, and runs of white space.
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


class LetterError(Exception):
    """Letters that cannot be written (a bad folder); the message says why, in Chinese."""


@dataclass(frozen=True, slots=True)
class LettersWritten:
    folder: Path
    files: list[Path]
    skipped: int  # units of the view that need no letter


def letter_fields(unit: Mapping[str, Any], policy: Policy) -> LetterFields:
    """The letter's fields from a unit row (name, code, supervisor_code, supervisor)."""
    # A unit without a supervisor is the competent department of its own units: it confirms
    # its own letter, as the summary lets it head its own line.
    supervisor = unit.get("supervisor") or unit.get("supervisor_name") or unit["name"]
    return LetterFields(
        unit_name=unit["name"],
        credit_code=unit["code"],
        supervisor_name=supervisor,
        supervisor_code=unit.get("supervisor_code") or "",
        year=policy.year,
        province=policy.policy.province,
    )


def letter_file_name(unit: Mapping[str, Any]) -> str:
    """``<credit code>-<name>-无食堂承诺.docx``: sortable, unique, safe on every system."""
    name = _UNSAFE.sub("_", unit["name"]).strip("._") or "单位"
    return f"{unit['code']}-{name}-无食堂承诺.docx"


def write_letter(path: Path, letter: FilledLetter) -> None:
    """The letter as a DOCX file, written atomically."""
    from docx import Document

    document = Document()
    _page(document)
    styles = _styles(document)
    document.core_properties.title = letter.title
    document.core_properties.author = ""

    def add(text: str, style: str) -> None:
        document.add_paragraph(text, style=styles[style])

    if letter.attachment:
        add(letter.attachment, "label")
    add("", "body")
    add(letter.title, "title")
    add("", "body")
    if letter.addressee:
        add(letter.addressee, "plain")
    for paragraph in letter.paragraphs:
        add(paragraph, "body")
    if letter.closing:
        add(letter.closing, "body")
    if letter.sign_offs:
        add("", "plain")
        _sign_offs(document, letter.sign_offs, styles["sign"])
    with replacing(path) as temporary:
        document.save(str(temporary))


def write_view_letters(
    service: Service, folder: Path, template: LetterTemplate, view: str, text: str = ""
) -> LettersWritten:
    """A letter for every unit of a view (with its filter) that needs one, in ``folder``."""
    needing, in_view = service.letter_units(view, text)
    _ensure_folder(folder)
    files = []
    for row in needing:
        unit = row.as_dict()  # the letter's helpers read plain unit data (rows or imports)
        path = folder / letter_file_name(unit)
        _write(path, fill_letter(template, letter_fields(unit, service.policy)))
        files.append(path)
    return LettersWritten(folder, files, in_view - len(needing))


def write_unit_letter(service: Service, code: str, folder: Path | None = None) -> Path:
    """One unit's letter in ``folder`` (default: the export folder); returns its full path.

    The same writer as the batch command; a bad template raises PolicyError, a bad folder
    LetterError, before anything is written.
    """
    template = load_letter_template(service.settings.policy)
    rows = service.unit_rows([code])
    if not rows:
        raise LetterError(f"缓存中没有单位 {code}")
    unit = rows[0].as_dict()
    target = (folder or service.settings.export_dir).expanduser().absolute()
    _ensure_folder(target)
    path = target / letter_file_name(unit)
    _write(path, fill_letter(template, letter_fields(unit, service.policy)))
    return path


def _write(path: Path, letter: FilledLetter) -> None:
    try:
        write_letter(path, letter)
    except OSError as exc:
        raise LetterError(f"无法写入 {path}：{exc.strerror or exc}") from None


def _ensure_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise LetterError(f"{folder} 不是文件夹")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LetterError(f"无法创建文件夹 {folder}：{exc.strerror or exc}") from None


# -- layout -----------------------------------------------------------------------------


def _sign_offs(document: Any, sign_offs: Sequence[SignOffText], style: ParagraphStyle) -> None:
    """The signing parties side by side, each with room for its seal above a date.

    Side by side (a table without borders) keeps the letter on one page, as offices expect.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    # The dates in a row of their own, so they line up however the names wrap above them.
    table = document.add_table(rows=2, cols=len(sign_offs))
    for column, sign_off in enumerate(sign_offs):
        top, bottom = table.cell(0, column), table.cell(1, column)
        lines = [*sign_off.lines, *([""] * sign_off.stamp_lines)]
        top.paragraphs[0].text = lines[0]
        top.paragraphs[0].style = style
        for line in lines[1:]:
            top.add_paragraph(line, style=style)
        date = bottom.paragraphs[0]
        date.text, date.style = sign_off.date_line, style
        date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        date.paragraph_format.right_indent = _chars(INDENT_CHARS)


def _chars(count: float) -> Any:
    from docx.shared import Pt

    return Pt(BODY_PT * count)


def _page(document: Any) -> None:
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])


def _styles(document: Any) -> dict[str, ParagraphStyle]:
    """The letter's paragraph styles: label, title, plain, body (indented) and sign-off."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    def style(name: str, font: str, size: int) -> ParagraphStyle:
        made: ParagraphStyle = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        made.base_style = document.styles["Normal"]
        _font(made, font, size)
        fmt = made.paragraph_format
        fmt.space_before = fmt.space_after = 0
        fmt.line_spacing = Pt(LINE_PT)  # a Length means an exact line height
        return made

    label = style("附件标注", LABEL_FONT, BODY_PT)
    title = style("公文标题", TITLE_FONT, TITLE_PT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    plain = style("公文正文无缩进", BODY_FONT, BODY_PT)
    body = style("公文正文", BODY_FONT, BODY_PT)
    # Left, not justified: a justified line before the long credit code spreads its characters.
    body.paragraph_format.first_line_indent = _chars(INDENT_CHARS)
    sign = style("落款", BODY_FONT, BODY_PT)
    return {"label": label, "title": title, "plain": plain, "body": body, "sign": sign}


def _font(style: ParagraphStyle, name: str, size: int) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = name
    style.font.size = Pt(size)
    # Word picks CJK glyphs by the East Asian font slot, which font.name does not set.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
