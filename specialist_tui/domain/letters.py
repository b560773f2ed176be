"""The no-canteen commitment letter (附件1): who needs one, and its text filled for a unit.

The wording is data (a template file beside the policy file, see ``parse_letter_template``);
this module only knows the letter's parts and fills ``${name}`` placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from specialist_tui.domain.enums import CanteenMode, Level
from specialist_tui.domain.policy import PolicyError, parse_toml

# What a template may say; anything else is a typo the author should hear about.
PLACEHOLDERS = (
    "unit_name",
    "credit_code",
    "supervisor_name",
    "supervisor_code",
    "year",
    "province",
)

Text = Annotated[str, Field(min_length=1)]


def needs_no_canteen_letter(
    level: Level | str | None, canteen_mode: CanteenMode | str | None
) -> bool:
    """A provincial-level unit that declared no canteen sends the letter (notice 一(三))."""
    return level == Level.PROVINCIAL and canteen_mode == CanteenMode.NONE


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignOff(_Part):
    """One signing party: what it signs as, the lines under it, room for its stamp."""

    lines: list[Text]
    stamp_lines: Annotated[int, Field(ge=0, le=10)] = 3
    date_line: str = "年    月    日"


class LetterTemplate(_Part):
    """The letter's wording with placeholders: title, addressee, paragraphs, sign-offs."""

    attachment: str = ""
    title: Text
    addressee: str = ""
    paragraphs: Annotated[list[Text], Field(min_length=1)]
    closing: str = ""
    sign_offs: list[SignOff] = Field(default_factory=list)


class _TemplateFile(_Part):
    letter: LetterTemplate


@dataclass(frozen=True, slots=True)
class LetterFields:
    """What the letter says about one unit."""

    unit_name: str
    credit_code: str
    supervisor_name: str
    supervisor_code: str
    year: int
    province: str

    def mapping(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in PLACEHOLDERS}


@dataclass(frozen=True, slots=True)
class SignOffText:
    lines: tuple[str, ...]
    stamp_lines: int
    date_line: str


@dataclass(frozen=True, slots=True)
class FilledLetter:
    """The letter for one unit, every placeholder replaced; ready to lay out."""

    attachment: str
    title: str
    addressee: str
    paragraphs: tuple[str, ...]
    closing: str
    sign_offs: tuple[SignOffText, ...]

    def text(self) -> str:
        """Every line of the letter in reading order (for tests and previews)."""
        lines = [self.attachment, self.title, self.addressee, *self.paragraphs, self.closing]
        for sign_off in self.sign_offs:
            lines += [*sign_off.lines, sign_off.date_line]
        return "\n".join(line for line in lines if line)


def parse_letter_template(text: str, source: str = "template") -> LetterTemplate:
    """A LetterTemplate from TOML text, or PolicyError: one Chinese line naming the bad key."""
    template = parse_toml(_TemplateFile, text, source).letter
    for where, value in _texts(template):
        unknown = _unknown_placeholders(value)
        if unknown:
            known = "、".join(f"${{{p}}}" for p in PLACEHOLDERS)
            raise PolicyError(f"{source}：{where}：未知占位符 {unknown}（可用：{known}）")
    return template


def fill_letter(template: LetterTemplate, fields: LetterFields) -> FilledLetter:
    """The template's text with the unit's fields in place of its placeholders."""
    values = fields.mapping()

    def fill(text: str) -> str:
        return Template(text).substitute(values)

    return FilledLetter(
        attachment=fill(template.attachment),
        title=fill(template.title),
        addressee=fill(template.addressee),
        paragraphs=tuple(fill(p) for p in template.paragraphs),
        closing=fill(template.closing),
        sign_offs=tuple(
            SignOffText(tuple(fill(line) for line in s.lines), s.stamp_lines, fill(s.date_line))
            for s in template.sign_offs
        ),
    )


def _texts(template: LetterTemplate) -> list[tuple[str, str]]:
    """Every text of the template with where it sits, for checking placeholders."""
    out = [
        ("letter.attachment", template.attachment),
        ("letter.title", template.title),
        ("letter.addressee", template.addressee),
        ("letter.closing", template.closing),
    ]
    out += [(f"letter.paragraphs.{i}", p) for i, p in enumerate(template.paragraphs)]
    for i, sign_off in enumerate(template.sign_offs):
        out += [(f"letter.sign_offs.{i}.lines.{j}", x) for j, x in enumerate(sign_off.lines)]
        out.append((f"letter.sign_offs.{i}.date_line", sign_off.date_line))
    return out


def _unknown_placeholders(text: str) -> str:
    """The first placeholder ``text`` uses that a letter cannot fill, or ""."""
    template = Template(text)
    if not template.is_valid():
        return "（$ 后应为 {名称}；要写 $ 本身请写 $$）"
    for name in template.get_identifiers():
        if name not in PLACEHOLDERS:
            return f"${{{name}}}"
    return ""
