"""Text helpers for fixed-width terminal cells: Chinese characters take two cells, not one."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"
_EIGHTHS = " ▏▎▍▌▋▊▉"


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        # set_cell_size pads with a space when a double-width character would be split.
        return set_cell_size(text, width - 1) + ELLIPSIS
    gap = " " * (width - length)
    return gap + text if align == "right" else text + gap


def short_yuan(fen: int) -> str:
    """Money for tight columns: whole yuan below 10,000, else 万 with two decimals."""
    if abs(fen) < 1_000_000:
        return f"{fen // 100:,}"
    return f"{fen / 1_000_000:.2f}万"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar of ``width`` cells filled to ``fraction`` with eighth-cell precision."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part and full < width else "")
    return text.ljust(width)
