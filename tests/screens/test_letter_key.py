"""The no-canteen letter key on the unit screen: `h` writes the DOCX into the export folder and
toasts its path, the dialog marks the letter's state (cache + outbox), a step back asks first,
and a unit that needs no letter has no such key. Snapshots of the dialog at 80x24 and 160x45."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from textual.pilot import Pilot

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.models import Filing, Unit
from specialist_tui.screens.dialogs import ConfirmDialog
from specialist_tui.screens.letter_dialog import LetterDialog
from specialist_tui.screens.unit import UnitScreen
from tests.harness import settle

SnapCompare = Callable[..., bool]
TODAY = date(2024, 6, 30)
NEEDS = make_credit_code("11630000", "00000001")
OTHER = make_credit_code("11630000", "00000002")


def _unit(code: str, name: str) -> Unit:
    return Unit.model_validate(
        {"code": code, "name": name, "level": "provincial", "division_code": "630000",
         "area_code": "QH0100", "supervisor_name": "青海省教育厅",
         "contacts": [{"name": "周红芳", "role": "finance", "phone": "13941022438"}]}
    )  # fmt: skip


def _filing(code: str, mode: str) -> Filing:
    return Filing.model_validate(
        {"unit_code": code, "year": 2024, "status": "confirmed", "canteen_mode": mode,
         "union_mode": "none", "submitted_at": datetime(2024, 1, 21, 10, tzinfo=BEIJING),
         "confirmed_at": datetime(2024, 1, 24, 10, tzinfo=BEIJING), "canteen_total": 0,
         "no_canteen_letter": "missing" if mode == "none" else "not_required"}
    )  # fmt: skip


# The dialog shows where the letter went: its snapshots write to one fixed folder.
SNAPSHOT_EXPORTS = Path(tempfile.gettempdir()) / "specialist-tui-letter-snapshot"


@pytest.fixture
def letter_app(tmp_path: Path) -> SpecialistApp:
    return _letter_app(tmp_path, tmp_path / "out")


def _letter_app(tmp_path: Path, exports: Path) -> SpecialistApp:
    settings = Settings(cache_dir=tmp_path / "cache", today=TODAY, user="sp-01", export_dir=exports)
    service = Service(settings)
    tables: dict[str, list[Any]] = {
        "units": [_unit(NEEDS, "青海师范大学"), _unit(OTHER, "青海省人民医院")],
        "filings": [_filing(NEEDS, "none"), _filing(OTHER, "own")],
    }
    service.cache.load(tables, service.policy, TODAY)
    service.cache.set_meta("refreshed_at", "2024-06-30T08:00:00+08:00")
    service.close()
    return create_app(settings)


async def _open(pilot: Pilot[int], code: str) -> UnitScreen:
    app = pilot.app
    await settle(pilot)
    app.push_screen(UnitScreen(app.service, code))  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, UnitScreen)
    return app.screen


async def _pressed_h(pilot: Pilot[int]) -> None:
    await _open(pilot, NEEDS)
    await pilot.press("h")
    await settle(pilot)
    # The toast's path depends on the test's folder: the snapshot is of the dialog alone.
    pilot.app.clear_notifications()
    await pilot.pause()


async def test_h_writes_the_letter_and_marks_its_state(
    letter_app: SpecialistApp, tmp_path: Path
) -> None:
    async with letter_app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, NEEDS)
        assert screen.active_bindings["h"].binding.id == "unit.letter"
        await pilot.press("h")
        await settle(pilot)
        written = tmp_path / "out" / f"{NEEDS}-青海师范大学-无食堂承诺.docx"
        assert written.is_file()
        text = "\n".join(p.text for p in Document(str(written)).paragraphs)
        assert "青海师范大学" in text and NEEDS in text and "无食堂" in text
        assert any(str(written) in n.message for n in letter_app._notifications)
        assert isinstance(letter_app.screen, LetterDialog)
        await pilot.press("2")  # 标记已盖章
        await settle(pilot)
        assert isinstance(letter_app.screen, UnitScreen)
        cache = letter_app.service.cache  # type: ignore[attr-defined]
        marks = cache.rows("SELECT id, state, seen, author FROM letter_marks")
        assert [(m["state"], m["seen"], m["author"]) for m in marks] == [
            ("stamped", "missing", "sp-01")
        ]
        outbox = cache.rows("SELECT kind, item_id FROM outbox WHERE pushed_at IS NULL")
        assert outbox == [{"kind": "letter_mark", "item_id": marks[0]["id"]}]
        assert "承诺函 已盖章待核实" in str(screen.query_one("#filing").content)

        # A step back asks first; "no" keeps the state, "yes" records it.
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(letter_app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert cache.count("letter_marks") == 1
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        states = [r["state"] for r in cache.rows("SELECT state FROM letter_marks ORDER BY at")]
        assert states == ["stamped", "sent"]


async def test_a_unit_without_a_letter_has_no_letter_key(letter_app: SpecialistApp) -> None:
    async with letter_app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, OTHER)
        assert screen.check_action("letter", ()) is False
        assert "h" not in screen.active_bindings  # so not in the footer, help or palette
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(letter_app.screen, UnitScreen)
        assert letter_app.service.cache.count("letter_marks") == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_letter_dialog_snapshot(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = _letter_app(tmp_path, SNAPSHOT_EXPORTS)
    assert snap_compare(app, terminal_size=size, run_before=_pressed_h)
