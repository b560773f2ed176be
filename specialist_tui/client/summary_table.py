"""The summary as a rich table with bars, shared by `specialist-tui summary` and the app."""

from __future__ import annotations

from fractions import Fraction

from rich.table import Table
from rich.text import Text

from specialist_tui.client.read_models import SummaryRow, total
from specialist_tui.domain.money import percent_floor, yuan
from specialist_tui.inert import terminal_text

_EIGHTHS = " ▏▎▍▌▋▊▉"
BAR_WIDTH = 12
# Below this many columns the table drops its bars and shows amounts in 万 元, so that a
# terminal of 80 columns reads every figure whole ("17…" was all it showed).
NARROW = 120
NARROW_NOTE = "金额单位：万元"


def bar(share: Fraction | None, width: int = BAR_WIDTH) -> str:
    """A bar ``width`` cells wide filled to ``share`` (0..1, clipped), in eighths of a cell."""
    if share is None:
        return " " * width
    filled = int(max(Fraction(0), min(Fraction(1), share)) * width * 8)
    full, part = divmod(filled, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text.ljust(width, "·")


def _share(share: Fraction | None, style: str, narrow: bool = False) -> Text:
    shown = percent_floor(share.numerator, share.denominator) if share is not None else "—"
    if narrow:
        return Text(f"{shown:>6}", style=style)
    return Text.assemble((bar(share), style), f" {shown:>6}")


def wan(fen: int) -> str:
    """An amount in 万 元 with one decimal (12,345,678.00 元 -> "1,234.6")."""
    return f"{fen / 1_000_000:,.1f}"


def summary_table(rows: list[SummaryRow], group_header: str, width: int | None = None) -> Table:
    """Units, share filed, reserved, completed, completion rate, unpaid... with a total line.

    ``width`` below NARROW gives the compact form: no bars, amounts in 万 元.
    """
    narrow = width is not None and width < NARROW
    table = Table(
        box=None, pad_edge=False, header_style="bold", show_footer=False, collapse_padding=narrow
    )
    if narrow:
        # Short headers; the screen's title says the amounts are in 万元.
        heads = ["单位", "已填报", "预留", "已完成", "完成率", "未付款", "未采购", "未填报",
                 "已培训"]  # fmt: skip
    else:
        heads = ["单位数", "已填报", "预留金额(元)", "已完成金额(元)", "完成率", "未付款金额(元)",
                 "已预留未采购", "未填报", "今年已培训"]  # fmt: skip
    table.add_column(group_header, overflow="fold", no_wrap=narrow)
    for head in heads:
        share = head in ("已填报", "完成率")
        table.add_column(head, justify="left" if share else "right", no_wrap=True)
    money = wan if narrow else yuan
    everything = total(rows)
    for row in [*rows, everything]:
        is_total = row is everything
        table.add_row(
            Text(terminal_text(row.name or row.key or "（未填写）")),
            f"{row.units:,}",
            _share(row.filed_share, "green", narrow),
            money(row.reserved_fen),
            money(row.completed_fen),
            _share(row.completion_rate, "cyan", narrow),
            money(row.unpaid_fen),
            str(row.reserved_not_bought),
            str(row.not_filed),
            str(row.trained),
            style="bold" if is_total else None,
            end_section=row is (rows[-1] if rows else None),
        )
    return table
