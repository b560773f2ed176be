"""Every screen's footer is whole at 80 columns: fewer, shorter labels, none cut or overlapping,
the keys that matter most kept, and it fits again after a live resize."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from specialist_tui.app import SpecialistApp
from specialist_tui.widgets.fit_footer import SHORT_LABELS, FitFooter, keys_that_fit
from tests.harness import settle

from .conftest import make_code


def test_keys_that_fit_keep_help_then_the_needed_keys_in_order() -> None:
    keys = [("a", 10), ("b", 10), ("app.help", 6), ("c", 10), ("d", 4)]
    assert keys_that_fit(keys, ("c", "a"), 40) == {"a", "b", "app.help", "c", "d"}
    # 30 cells: help, then c and a; b would not fit, d (not needed) takes what is left.
    assert keys_that_fit(keys, ("c", "a"), 30) == {"app.help", "c", "a", "d"}
    assert keys_that_fit(keys, ("c", "a"), 12) == {"app.help", "d"}


def footer_line(app: SpecialistApp) -> list[tuple[str, str]]:
    """(key, label) of each key the current screen's footer shows, after checking that each
    lies whole inside the footer and clear of its neighbours."""
    footer = app.screen.query_one(FitFooter)
    width = footer.region.width
    labels = {active.binding.description for active in app.screen.active_bindings.values()} | set(
        SHORT_LABELS.values()
    )
    shown = []
    taken: list[tuple[int, int]] = []
    for key in footer.query(FooterKey):
        region = key.region
        assert region.x >= 0 and region.right <= width, (key.description, region, width)
        for start, end in taken:
            assert region.right <= start or region.x >= end, (key.description, region)
        taken.append((region.x, region.right))
        assert key.description in labels  # a label as written, never cut
        shown.append((key.key_display, key.description))
    return shown


async def visit(app: SpecialistApp, pilot: Pilot[int], *keys: str) -> list[tuple[str, str]]:
    await pilot.press(*keys)
    await settle(pilot)
    await pilot.pause()
    return footer_line(app)


async def test_every_screens_footer_is_whole_at_80x24(app: SpecialistApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.worklog.open_ticket(make_code(1), "account", "财务账号无法登录", "high")
        units = await visit(app, pilot)
        keys = dict(units)
        # The common loop's keys stay: open, filter, call, help and the palette.
        assert {"⏎", "/", "c", "?", "^p"} <= keys.keys()
        assert keys["c"] == SHORT_LABELS["app.log_call"]
        unit = dict(await visit(app, pilot, "enter"))
        assert {"esc", "c", "y", "?"} <= unit.keys()
        assert {"esc", "c", "?"} <= dict(await visit(app, pilot, "f")).keys()
        queue = dict(await visit(app, pilot, "escape", "w"))
        assert {"esc", "s", "?"} <= queue.keys()
        ticket = dict(await visit(app, pilot, "enter"))
        assert {"esc", "p", "d", "?"} <= ticket.keys()
        await visit(app, pilot, "escape", "escape", "escape")
        assert {"esc", "g", "r", "?"} <= dict(await visit(app, pilot, "ctrl+r")).keys()
        assert {"esc", "m", "?"} <= dict(await visit(app, pilot, "r")).keys()


async def test_the_footer_fits_again_after_a_live_resize(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        wide = dict(footer_line(app))
        assert wide["c"] == "记录通话" and "v" in wide and "^r" in wide
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.pause()
        narrow = dict(footer_line(app))
        assert narrow["c"] == "通话" and "v" not in narrow and "?" in narrow
        await pilot.resize_terminal(160, 45)
        await settle(pilot)
        await pilot.pause()
        assert dict(footer_line(app)) == wide


def test_short_labels_name_real_bindings() -> None:
    """A short label is keyed by a binding id that exists (a renamed id would silently lose it)."""
    import specialist_tui.screens.summary  # noqa: F401  (imported lazily by the app)
    from specialist_tui.screens.help import binding_ids

    assert set(SHORT_LABELS) <= binding_ids()
