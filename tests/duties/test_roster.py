"""The roster (附件2): areas named from the units each specialist holds, written as CSV and
XLSX with the policy's supervision hotline under it; GB/T 2260 division arithmetic."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from specialist_tui.cli import main
from specialist_tui.domain.divisions import (
    county_of,
    prefecture_of,
    province_of,
)
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.models import Unit
from specialist_tui.hub import admin
from specialist_tui.hub.store import HubStore
from specialist_tui.policies import load_divisions, load_policy

QH = load_divisions(load_policy("qinghai-2024"))
HOTLINE = "“832平台”监督电话：400-1188-832，17812282832"


# -- divisions ------------------------------------------------------------------------------


def test_a_code_knows_its_province_prefecture_and_county() -> None:
    assert (province_of("630102"), prefecture_of("630102"), county_of("630102")) == (
        "630000",
        "630100",
        "630102",
    )
    assert (prefecture_of("630100"), county_of("630100")) == ("630100", None)
    assert (prefecture_of("630000"), county_of("630000")) == (None, None)


def test_the_shipped_table_names_qinghais_prefectures_and_counties() -> None:
    codes = list(QH.names)
    assert QH.name("630000") == "青海省"
    prefectures = [c for c in codes if prefecture_of(c) == c]
    assert len(prefectures) == 8
    assert len([c for c in codes if county_of(c)]) == 44
    assert all(prefecture_of(c) in prefectures for c in codes if county_of(c))
    assert QH.name("632800") == "海西蒙古族藏族自治州"
    assert QH.name("999999") == "999999"  # unknown codes show as they are
    assert (QH.seat_label("630100"), QH.seat_label("632200")) == ("市本级", "州本级")


def test_a_national_policy_has_no_names() -> None:
    assert load_divisions(load_policy("national-2024")).names == {}


# -- the files ------------------------------------------------------------------------------


def code(serial: int, division: str) -> str:
    return make_credit_code(f"11{division}", f"{serial:08d}")


@pytest.fixture
def hub_db(tmp_path: Path) -> Path:
    db = tmp_path / "hub.sqlite"
    store = HubStore(db)
    admin.add_center(store, "QH01", "青海东部区域服务中心", ["QH0100", "QH0101", "QH0103"])
    admin.add_specialist(
        store, "马晓军", "QH01", lead=True, specialist_id="lead", phone="13800000001"
    )
    admin.add_specialist(store, "李娜", "QH01", specialist_id="li", phone="13800000002")
    admin.add_specialist(store, "=HYPERLINK(1)", "QH01", specialist_id="odd")
    places = [
        (1, "provincial", "630000", "QH0100", "lead"),
        (2, "prefecture", "630100", "QH0101", "li"),
        (3, "county", "630102", "QH0101", "li"),
        (4, "county", "630106", "QH0101", "odd"),
        (5, "county", "632221", "QH0103", "odd"),
    ]
    store.upsert_units(
        [
            Unit(
                code=code(n, division),
                name=f"单位{n}",
                level=level,
                division_code=division,
                area_code=area,
                specialist_id=who,
            )
            for n, level, division, area, who in places
        ]
    )
    store.close()
    return db


EXPECTED = [
    ["1", "青海东部区域服务中心", "马晓军", "13800000001", "省本级"],
    ["2", "青海东部区域服务中心", "李娜", "13800000002", "西宁市（市本级、城东区）"],
    ["3", "青海东部区域服务中心", "=HYPERLINK(1)", "", "西宁市（湟中区）、海北藏族自治州"],
]


def test_the_csv_roster_on_stdout(hub_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hub", "specialist", "list", "--db", str(hub_db), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["序号", "区域服务中心", "服务专员", "专属服务电话", "服务区域"]
    inert = [*EXPECTED[2][:2], "'=HYPERLINK(1)", *EXPECTED[2][3:]]
    assert rows[1:4] == [EXPECTED[0], EXPECTED[1], inert]
    assert rows[4:] == [[], [HOTLINE]]


def test_the_csv_roster_in_a_file_opens_in_excel(hub_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    argv = ["hub", "specialist", "list", "--db", str(hub_db), "--format", "csv", "-o", str(out)]
    assert main(argv) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert out.read_text(encoding="utf-8-sig").splitlines()[-1] == HOTLINE


def test_the_xlsx_roster_as_the_province_publishes_it(hub_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "roster.xlsx"
    argv = ["hub", "specialist", "list", "--db", str(hub_db), "--format", "xlsx", "-o", str(out)]
    assert main(argv) == 0
    sheet = load_workbook(out).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["“832平台”各区域服务中心服务专员信息表"]
    assert values[1] == ["序号", "区域服务中心", "服务专员", "专属服务电话", "服务区域"]
    inert = [*EXPECTED[:2], [*EXPECTED[2][:2], "'=HYPERLINK(1)", *EXPECTED[2][3:]]]
    assert [[v for v in row if v != ""] for row in values[2:5]] == [
        [v for v in row if v != ""] for row in inert
    ]
    assert values[5:] == [[], [HOTLINE]]
    odd = sheet.cell(row=5, column=3)
    assert (odd.value, odd.data_type) == ("'=HYPERLINK(1)", "s")  # text, never a formula
    assert sheet.page_setup.orientation == "landscape"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "xlsx"], "--format xlsx 需要用 -o 指定文件"),
        (["--format", "csv", "-o", "/no/such/folder/r.csv"], "文件夹不存在"),
    ],
)
def test_roster_mistakes_are_one_line(
    hub_db: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["hub", "specialist", "list", "--db", str(hub_db), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
