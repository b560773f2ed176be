"""The unit screen: why a unit is flagged, in words; contacts to copy; progress and lists."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import OptionList, Static

from specialist_tui.app import SpecialistApp
from specialist_tui.client.service import no_canteen_reserved
from specialist_tui.domain.enums import CanteenMode, Level
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.screens.unit import UnitScreen
from specialist_tui.screens.units import UnitsScreen
from tests.harness import settle
from tests.screens.conftest import make_code


def text_of(screen: UnitScreen, selector: str) -> str:
    """What a Static shows, as plain text (Rich tables and grids rendered at 160 columns)."""
    import io

    from rich.console import Console
    from textual.content import Content

    shown = screen.query_one(selector, Static).content
    if isinstance(shown, Content | str):
        return str(shown.plain if isinstance(shown, Content) else shown)
    console = Console(width=160, file=io.StringIO(), record=True)
    console.print(shown)
    return console.export_text()


async def open_unit(app: SpecialistApp, pilot: object, pinyin: str) -> UnitScreen:
    await pilot.press("6", "slash", *pinyin, "enter", "enter")  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, UnitScreen)
    return app.screen


async def test_unfiled_unit_says_why_in_words(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "xnsjyj")
        assert screen.code == make_code(1)
        verdicts = text_of(screen, "#verdicts")
        assert "R1 逾期未填报" in verdicts and "尚未提交" in verdicts and "2024-02-20" in verdicts
        assert "R14 跟进到期" in verdicts and "约定 2024-06-28 跟进" in verdicts
        assert "今年尚未开始填报" not in text_of(screen, "#filing")  # a draft-less not_started
        calls = text_of(screen, "#calls")
        assert "约定回电" in calls and "财务说月底前提交" in calls


async def test_low_ratio_unit_names_the_ratio_and_passing_rules(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "hdsrmyy")  # 海东市人民医院, 12% reserved
        verdicts = text_of(screen, "#verdicts")
        assert "食堂预留比例 12.0% 低于 15%" in verdicts
        assert "✓" in verdicts and "R10 及时付款" in verdicts  # a rule it meets, said plainly


async def test_unpaid_orders_come_first_with_their_age(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "gemsdyzx")  # 格尔木市第一中学: two unpaid
        orders = text_of(screen, "#orders").splitlines()
        rows = [line for line in orders if "832-" in line]
        assert "待付款" in rows[0] and "待付款" in rows[1] and "待付款" not in rows[2]
        assert rows[0].split()[-1] == "121"  # placed 2024-03-01, today 2024-06-30
        progress = text_of(screen, "#progress")
        assert "食堂" in progress and "┃" in progress


async def test_y_copies_the_selected_phone(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "xnsczj")  # 西宁市财政局
        contacts = screen.query_one("#contacts", OptionList)
        contacts.focus()
        await pilot.press("down", "y")
        assert app.clipboard == f"138{2:08d}"  # the second contact, 李娜
        await pilot.press("escape")
        assert isinstance(app.screen, UnitsScreen)


async def test_j_and_k_pick_the_contact_that_c_and_t_start_with(app: SpecialistApp) -> None:
    from textual.widgets import Select, TextArea

    from specialist_tui.screens.call_form import CallForm
    from specialist_tui.screens.ticket_form import TicketForm

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "xnsjyj")
        contacts = screen.query_one("#contacts", OptionList)
        await pilot.press("j")
        assert contacts.highlighted == 1
        await pilot.press("j")  # stays on the last
        assert contacts.highlighted == 1
        await pilot.press("k", "down")
        assert contacts.highlighted == 1
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CallForm)
        assert form.query_one("#contact", Select).value == 1  # 李娜, not the first contact
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        ticket = app.screen
        assert isinstance(ticket, TicketForm)
        assert "联系人：李娜 13800000001" in ticket.query_one("#description", TextArea).text


async def test_call_notes_and_authors_show_at_120_columns(app: SpecialistApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "xnsjyj")
        calls = text_of(screen, "#calls")
        assert "财务说月底前提交" in calls  # the note, whole
        assert "记录人 王芳" in calls  # the author by name, not S001
        assert "S001" not in calls


def drawn(screen: UnitScreen, selector: str) -> list[str]:
    """The lines a section draws at the width it has on screen."""
    widget = screen.query_one(selector, Static)
    width, height = widget.size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


async def test_at_120_columns_no_table_is_squeezed_and_calls_come_before_orders(
    app: SpecialistApp,
) -> None:
    app.worklog.open_ticket(
        make_code(4), "payment", "两笔订单的线上支付一直失败需要平台核查", "high"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "gemsdyzx")  # 格尔木市第一中学: two unpaid
        assert screen.has_class("-wide")  # two columns side by side
        orders = drawn(screen, "#orders")
        assert orders[0].split() == ["订单号", "日期", "金额(元)", "类别", "状态", "天数"]
        rows = [line.split() for line in orders[1:]]
        assert rows and all("…" not in " ".join(row) for row in rows)
        assert rows[0] == ["832-4-u0", "03-01", "5,000.00", "食堂", "待付款", "121"]
        assert {row[4] for row in rows} == {"待付款", "已完结"}
        tickets = drawn(screen, "#tickets")
        assert tickets[0].startswith("两笔订单的线上支付一直失败需要平台核查 待处理")
        assert "付款 · 截止 2024-07-01" in tickets[1]  # due in Beijing time, a day on (high)
        # The calls and tickets people read come before the long list of orders.
        calls_at = screen.query_one("#calls", Static).region.y
        assert calls_at < screen.query_one("#tickets", Static).region.y
        assert calls_at < screen.query_one("#orders", Static).region.y


async def test_events_show_on_each_attending_units_screen(app: SpecialistApp) -> None:
    from datetime import datetime

    from specialist_tui.client.worklog import Worklog
    from specialist_tui.domain.fields import BEIJING

    Worklog(app.service).log_event(
        "training",
        "预留份额填报培训",
        {make_code(1): 2, make_code(2): 1},
        starts_at=datetime(2024, 3, 5, 9, 30, tzinfo=BEIJING),
        place="西宁市政务服务中心",
        follow_up="4 月回访",
    )
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "xnsjyj")  # 西宁市教育局 attended
        assert text_of(screen, "#events-title") == "座谈会 · 培训 · 走访 1 次（2024 年培训 1 次）"
        row = text_of(screen, "#events").splitlines()[1].split()
        assert row == [
            "2024-03-05",
            "09:30",
            "培训会",
            "预留份额填报培训",
            "西宁市政务服务中心",
            "2",
            "4",
            "月回访",
        ]
        await pilot.press("escape")
        await settle(pilot)
        other = await open_unit(app, pilot, "hdsrmyy")  # 海东市人民医院 did not
        assert not other.query_one("#events", Static).display
        assert not other.query_one("#events-title", Static).display


async def test_a_part_with_nothing_reserved_says_why_when_the_filing_does(
    app: SpecialistApp,
) -> None:
    """These units filed union_mode none: their union line says they have no union funds
    rather than that they failed to reserve; the canteen line keeps its bar."""
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = await open_unit(app, pilot, "xnsjyj")
        progress = text_of(screen, "#progress").splitlines()
        union = next(line for line in progress if line.startswith("工会"))
        assert "无独立工会经费" in union and "未预留" not in union
        canteen = next(line for line in progress if line.startswith("食堂"))
        assert "无食堂" not in canteen and "无独立工会经费" not in canteen


@pytest.mark.parametrize(
    ("mode", "representative", "said"),
    [
        (CanteenMode.NONE, None, "无食堂"),
        (CanteenMode.SHARED, "REP", "由代表单位统一预留"),
        (CanteenMode.SHARED, "SELF", "未预留"),  # the representative itself must reserve
        (CanteenMode.OWN, None, "未预留"),
        (None, None, "未预留"),  # no filing yet
    ],
)
def test_why_a_canteen_part_has_nothing_reserved(
    mode: CanteenMode | None, representative: str | None, said: str
) -> None:
    code = make_code(1)
    rep = code if representative == "SELF" else representative
    facts = UnitFacts(code=code, level=Level.PROVINCIAL, canteen_mode=mode, representative_code=rep)
    assert no_canteen_reserved(facts) == said
