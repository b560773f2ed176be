"""Where a no-canteen letter stands: the platform's word and the specialist's mark combined, which
moves are steps back, and the state in words (R6's use of it: test_letter_rules.py)."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from specialist_tui.domain.enums import LetterStatus
from specialist_tui.domain.letter_state import combined_letter, is_backward, letter_state_text

L = LetterStatus

# Every step back, written out: a verified letter changed to anything; otherwise a move to an
# earlier step (not required, missing and rejected all stand at the start).
BACKWARD = {
    (L.SENT, L.NOT_REQUIRED),
    (L.SENT, L.MISSING),
    (L.STAMPED, L.NOT_REQUIRED),
    (L.STAMPED, L.MISSING),
    (L.STAMPED, L.SENT),
    *((L.VERIFIED, target) for target in L if target is not L.VERIFIED),
}


@pytest.mark.parametrize(("current", "target"), list(product(L, L)))
def test_a_step_back_is_exactly_one_of_the_listed_moves(current: L, target: L) -> None:
    assert is_backward(current, target) is ((current, target) in BACKWARD)


@pytest.mark.parametrize(("platform", "mark"), list(product(L, [L.SENT, L.STAMPED, L.VERIFIED])))
def test_a_mark_made_while_the_platform_knew_of_no_letter_stands_until_it_does(
    platform: L, mark: L
) -> None:
    # A mark saved before ``seen`` was recorded counts as made against "missing".
    knows_nothing = platform in (L.NOT_REQUIRED, L.MISSING)
    assert combined_letter(platform, mark, None) is (mark if knows_nothing else platform)
    assert combined_letter(platform, mark, L.NOT_REQUIRED) is (mark if knows_nothing else platform)


@pytest.mark.parametrize("platform", list(L))
def test_without_a_mark_the_platforms_word_is_the_state(platform: L) -> None:
    assert combined_letter(platform, None, None) is platform
    assert combined_letter(platform, None, L.STAMPED) is platform


@pytest.mark.parametrize("seen", [L.SENT, L.STAMPED, L.VERIFIED, L.REJECTED])
def test_a_mark_stands_while_the_platform_still_says_what_it_said(seen: L) -> None:
    assert combined_letter(seen, L.SENT, seen) is L.SENT
    newer = L.MISSING if seen is not L.REJECTED else L.VERIFIED
    assert combined_letter(newer, L.SENT, seen) is newer


@pytest.mark.parametrize(
    ("state", "marked_on", "text"),
    [
        (L.NOT_REQUIRED, None, "未报送"),  # a unit that needs a letter: the platform lags
        (L.MISSING, None, "未报送"),
        (L.SENT, None, "已寄送待盖章"),
        (L.STAMPED, None, "已盖章待核实"),
        (L.VERIFIED, None, "已核实"),
        (L.REJECTED, None, "被退回"),
        (L.SENT, date(2024, 3, 5), "已寄送待盖章（2024-03-05 标记）"),
        (L.NOT_REQUIRED, date(2024, 12, 31), "未报送（2024-12-31 标记）"),
    ],
)
def test_the_state_in_words_with_the_day_it_was_marked(
    state: L, marked_on: date | None, text: str
) -> None:
    assert letter_state_text(state, marked_on) == text
