"""Reserved-against-completed bars with a mark where the year's pace says they should be."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

from specialist_tui.client.read_models import PartProgress
from specialist_tui.domain.money import percent_floor
from specialist_tui.widgets.cells import fit, short_yuan

PACE_MARK = "┃"


def progress_line(part: PartProgress, bar_width: int) -> Content:
    """One part as: label, a bar with the pace mark, completed / reserved and the share."""
    label = fit(part.label, 5)
    if part.reserved is None:
        note = "无单独预留（计入合计）"  # wider than a narrow bar: never cut it
        return Content.assemble(
            (label, "bold"),
            (fit(note, max(bar_width, cell_len(note)) + 1), "$text-muted"),
            f"已完结 {short_yuan(part.completed)} 元",
        )
    if part.reserved <= 0:
        return Content.assemble(
            (label, "bold"),
            (fit(part.why_none, max(bar_width, cell_len(part.why_none)) + 1), "$text-muted"),
            f"已完结 {short_yuan(part.completed)} 元",
        )
    share = part.completed / part.reserved
    filled = min(bar_width, round(share * bar_width))
    pace_at = min(bar_width - 1, int(part.expected / part.reserved * bar_width))
    on_pace = part.completed >= part.expected
    fill_style = "$text-success" if on_pace else "$text-warning"
    pieces: list[tuple[str, str] | str] = [(label, "bold")]
    for cell in range(bar_width):
        if cell == pace_at:
            pieces.append((PACE_MARK, "bold $text-primary"))
        elif cell < filled:
            pieces.append(("█", fill_style))
        else:
            pieces.append(("░", "$text-muted"))
    figures = (
        f" {short_yuan(part.completed)} / {short_yuan(part.reserved)} 元 "
        f"{percent_floor(part.completed, part.reserved)}"
    )
    pieces.append(figures)
    if not on_pace:
        pieces.append(
            (f" 落后进度 {short_yuan(part.expected - part.completed)} 元", "$text-warning")
        )
    return Content.assemble(*pieces)
