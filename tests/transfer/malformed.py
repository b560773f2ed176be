"""Malformed platform exports, made from the shipped samples: truncated, corrupt, hostile.

Deterministic (a seeded generator), so a failure names a file that can be made again.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from specialist_tui.importer.read import decode

from .sample_data import SAMPLES

SHEET = "xl/worksheets/sheet1.xml"


@dataclass(frozen=True)
class Malformed:
    name: str  # says how it was made, e.g. "units.csv cut at byte 812"
    suffix: str
    content: bytes


def _rezip(xlsx: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, replace.get(item.filename, source.read(item.filename)))
    return out.getvalue()


def _sheet(xlsx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        return source.read(SHEET).decode()


def stale_dimension(xlsx: bytes, ref: str = "A1:T3") -> bytes:
    """The workbook with its <dimension> tag under-stating the rows, as some exporters write."""
    sheet = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', _sheet(xlsx))
    return _rezip(xlsx, {SHEET: sheet.encode()})


_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
        for i in range(9)
    )
    + "]>"
)
_XXE = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _flipped(name: str, suffix: str, data: bytes, rng: random.Random) -> Iterator[Malformed]:
    for _ in range(10):
        flipped = bytearray(data)
        for _ in range(rng.randrange(1, 8)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        yield Malformed(f"{name} with flipped bytes", suffix, bytes(flipped))


def _csv_cases(name: str, data: bytes, rng: random.Random) -> Iterator[Malformed]:
    text, encoding = decode(data)
    lines = text.splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    for _ in range(25):
        cut = rng.randrange(len(header.encode(encoding)) + 1, len(data) - 1)
        yield Malformed(f"{name} cut at byte {cut}", ".csv", data[:cut])
    yield from _flipped(name, ".csv", data, rng)
    first = body[0].rstrip("\r\n").split(",")
    for label, value in [
        ("amount 1e30", "1e30"),
        ("amount 1e999999", "1e999999"),
        ("amount 2^63 fen", str(2**63)),
        ("amount NaN", "NaN"),
        ("amount -Infinity", "-Infinity"),
        ("count 10^23", str(10**23)),
        ("date year 1", "0001-01-01 00:00:00"),
        ("date year 9999", "9999-12-31 23:59:59"),
        ("date 2024-02-30", "2024-02-30"),
        ("a 200 KB cell", "字" * 200_000),
        ("a NUL byte", "a\x00b"),
        ("an escape", "\x1b]0;x\x07"),
        ("a formula", '=HYPERLINK("http://x")'),
    ]:
        for column in range(len(first)):
            row = list(first)
            row[column] = f'"{value}"' if "," in value else value
            changed = header + ",".join(row) + "\r\n" + "".join(body[1:])
            yield Malformed(f"{name} {label} in column {column}", ".csv", changed.encode(encoding))
    yield Malformed(f"{name} header only", ".csv", header.encode(encoding))
    yield Malformed(f"{name} empty", ".csv", b"")
    yield Malformed(f"{name} 5000 columns", ".csv", (header.rstrip() + ",x" * 5000 + "\n").encode())
    yield Malformed(
        f"{name} unclosed quote", ".csv", (text + '"never closed,1,2\n').encode(encoding)
    )


def _xlsx_cases(name: str, data: bytes, rng: random.Random) -> Iterator[Malformed]:
    for _ in range(20):
        cut = rng.randrange(1, len(data) - 1)
        yield Malformed(f"{name} cut at byte {cut}", ".xlsx", data[:cut])
    yield from _flipped(name, ".xlsx", data, rng)
    sheet = _sheet(data)
    body = sheet.split("?>", 1)[-1] if sheet.startswith("<?xml") else sheet
    members = {
        "sheet not XML": {SHEET: b"this is not xml"},
        "sheet cut in half": {SHEET: sheet.encode()[: len(sheet) // 2]},
        "sheet empty": {SHEET: b""},
        "sheet with a billion laughs": {
            SHEET: (_BOMB + body.replace("<t>", "<t>&lol8;", 1)).encode()
        },
        "sheet with an external entity": {
            SHEET: (_XXE + body.replace("<t>", "<t>&x;", 1)).encode()
        },
        "workbook not XML": {"xl/workbook.xml": b"<workbook"},
        "content types missing sheet": {"[Content_Types].xml": b"<Types/>"},
        "rels broken": {"xl/_rels/workbook.xml.rels": b"<Relationships><Relationship/>"},
        "a row number of 2^40": {
            SHEET: sheet.replace('<row r="3"', '<row r="1099511627776"').encode()
        },
        "a cell at column XFD9": {SHEET: sheet.replace('r="A3"', 'r="XFZ3"').encode()},
        "a shared string out of range": {
            SHEET: sheet.replace('t="inlineStr"><is><t>', 't="s"><v>99999</v><is><t>', 1).encode()
        },
    }
    for label, replace in members.items():
        yield Malformed(f"{name} {label}", ".xlsx", _rezip(data, replace))
    yield Malformed(f"{name} stale dimension", ".xlsx", stale_dimension(data))
    yield Malformed(
        f"{name} not a zip", ".xlsx", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(300))
    )


def malformed_files(seed: int = 832) -> list[Malformed]:
    """Every malformed file made from the shipped samples (a few hundred)."""
    rng = random.Random(seed)
    cases: list[Malformed] = []
    for path in sorted(SAMPLES.glob("*.csv")):
        cases.extend(_csv_cases(path.name, path.read_bytes(), rng))
    for path in sorted(SAMPLES.glob("*.xlsx")):
        cases.extend(_xlsx_cases(path.name, path.read_bytes(), rng))
    return cases
