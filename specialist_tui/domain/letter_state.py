"""Where a no-canteen letter stands: the platform's status and the specialist's marks combined.

Two sources know about a letter. The platform's import says what reached the provincial finance
department (missing, handed in, verified, rejected) and carries no date. The specialist knows
what happened before that (sent to the unit for its supervisor's stamp, stamped) and often
hears the verdict first by phone. Latest known wins, without clocks: a mark records the platform
status it was made against (``seen``) and stands while the platform still says that; once the
platform says something else, the platform's word is the newer one and wins. So a letter marked
sent while the platform says missing stays sent; a platform import of "verified" overrides it;
a letter the platform rejected and the specialist then re-sent shows as sent again.
"""

from __future__ import annotations

from datetime import date

from specialist_tui.domain.enums import LetterStatus

_MISSING_LIKE = (LetterStatus.NOT_REQUIRED, LetterStatus.MISSING)

# How far along each state is, to tell a backward move; a rejected letter starts again.
_RANK = {
    LetterStatus.NOT_REQUIRED: 0,
    LetterStatus.MISSING: 0,
    LetterStatus.REJECTED: 0,
    LetterStatus.SENT: 1,
    LetterStatus.STAMPED: 2,
    LetterStatus.VERIFIED: 3,
}


def combined_letter(
    platform: LetterStatus, mark: LetterStatus | None, seen: LetterStatus | None
) -> LetterStatus:
    """The letter's state from the platform's status and the specialist's latest mark."""
    if mark is None:
        return platform
    # "Not required" on a unit that needs a letter is the platform not knowing of one yet.
    if _same_word(platform, seen or LetterStatus.MISSING):
        return mark
    return platform


def _same_word(platform: LetterStatus, seen: LetterStatus) -> bool:
    return platform == seen or (platform in _MISSING_LIKE and seen in _MISSING_LIKE)


def is_backward(current: LetterStatus, target: LetterStatus) -> bool:
    """Whether marking ``target`` undoes a step (asked before it is saved).

    A verdict follows a stamped letter and a rejected one is sent again, so neither is a step
    back; changing a verified letter always is.
    """
    if current is LetterStatus.VERIFIED:
        return target is not LetterStatus.VERIFIED
    if target is LetterStatus.REJECTED:
        return False
    return _RANK[target] < _RANK[current]


def letter_state_text(state: LetterStatus, marked_on: date | None) -> str:
    """The state in words, with the day the specialist marked it when they did."""
    shown = "未报送" if state in _MISSING_LIKE else state.label
    return f"{shown}（{marked_on} 标记）" if marked_on else shown
