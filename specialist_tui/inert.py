"""Text from data made inert before it reaches a spreadsheet cell or a terminal.

Data is whatever a specialist typed, an import carried or a hub sent: a unit named
``=HYPERLINK(...)`` must not become a formula in Excel, and a note holding ``ESC]0;...`` must not
retitle or clear a reader's terminal. Every writer of spreadsheet cells and every printer of data
to a terminal passes text through here, so the rule lives in one place. Pure: no I/O.
"""

from __future__ import annotations

import re

from specialist_tui.domain.fields import UNSAFE_CHARS

# OWASP CSV injection: a cell starting with one of these is read as a formula (or, for tab
# and CR, can be turned into one by the importing program); a leading apostrophe makes Excel,
# LibreOffice and Google Sheets take the cell as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters an XLSX cell cannot hold (XML 1.0 forbids C0 controls but tab, LF and CR) and
# those no spreadsheet shows: DEL, the C1 controls and lone surrogates (which no encoder writes).
_SHEET_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# What a terminal would act on rather than show (ESC starts escape sequences, 0x9b is a one-byte
# CSI) or what reorders what a reader sees: the characters no record may hold.
_TERMINAL_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")
_TERMINAL_UNSAFE_KEEP_NEWLINES = re.compile(f"(?!\n)[{UNSAFE_CHARS}]")


def sheet_text(text: str) -> str:
    """``text`` as a spreadsheet cell that is only ever text: never a formula, never a crash."""
    cleaned = _SHEET_UNSAFE.sub("", text)
    if cleaned.startswith(FORMULA_STARTS):
        return "'" + cleaned
    return cleaned


def text_from_sheet(text: str) -> str:
    """A cell written by ``sheet_text`` read back as the text it was made from (the apostrophe
    that kept a formula start inert is not part of the data)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def sheet_value(value: object) -> object:
    """A cell value with any text made inert; numbers, dates and None pass as they are."""
    return sheet_text(value) if isinstance(value, str) else value


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` safe to print: every control or reordering character shown escaped (``\\x1b``)."""
    unsafe = _TERMINAL_UNSAFE_KEEP_NEWLINES if keep_newlines else _TERMINAL_UNSAFE
    return unsafe.sub(_escaped, text)
