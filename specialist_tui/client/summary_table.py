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


def bar(share: Fraction | None, width: int = BAR_WIDTH) -> str:
    """A bar ``width`` cells wide filled to ``share`` (0..1, clipped), in eighths of a cell."""
    if share is None:
        return " " * width
    filled = int(max(Fraction(0), min(Fraction(1), share)) * width * 8)
    full, part = divmod(filled, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text.ljust(width, "·")


def _share(share: Fraction | None, style: str) -> Text:
    shown = percent_floor(share.numerator, share.denominator) if share is not None else "—"
    return Text.assemble((bar(share), style), f" {shown:>6}")


def summary_table(rows: list[SummaryRow], group_header: str) -> Table:
    """Units, share filed, reserved, completed, completion rate, unpaid... with a total line."""
    table = Table(box=None, pad_edge=False, header_style="bold", show_footer=False)
    table.add_column(group_header, overflow="fold")
    table.add_column("单位数", justify="right")
    table.add_column("已填报", no_wrap=True)
    table.add_column("预留金额(元)", justify="right")
    table.add_column("已完成金额(元)", justify="right")
    table.add_column("完成率", no_wrap=True)
    table.add_column("未付款金额(元)", justify="right")
    table.add_column("已预留未采购", justify="right")
    table.add_column("未填报", justify="right")
    everything = total(rows)
    for row in [*rows, everything]:
        is_total = row is everything
        table.add_row(
            Text(terminal_text(row.name or row.key or "（未填写）")),
            str(row.units),
            _share(row.filed_share, "green"),
            yuan(row.reserved_fen),
            yuan(row.completed_fen),
            _share(row.completion_rate, "cyan"),
            yuan(row.unpaid_fen),
            str(row.reserved_not_bought),
            str(row.not_filed),
            style="bold" if is_total else None,
            end_section=row is (rows[-1] if rows else None),
        )
    return table
