"""A year's policy: the deadlines, ratios and thresholds the rules read (policy is data).

Parsing a TOML text lives here; reading the file from disk is the caller's job.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from itertools import pairwise
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from specialist_tui.domain.enums import TicketPriority
from specialist_tui.domain.validation_text import error_line, toml_error_line

Ratio = Annotated[Decimal, Field(ge=0, le=1, max_digits=6, decimal_places=4)]


Model = TypeVar("Model", bound=BaseModel)


class PolicyError(ValueError):
    """A policy file that cannot be used; the message is one line naming the key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyHeader(_Section):
    id: Annotated[str, Field(min_length=1)]
    name: str
    province: str
    division_prefix: str = ""
    year: Annotated[int, Field(ge=2019, le=2100)]


class Deadlines(_Section):
    # Either date may be left out when the notice does not publish it: the rule that needs it
    # is then off, and says so on the unit screen, rather than judged against an invented date.
    filing: date | None = None
    confirmation: date | None = None
    filing_warning_days: Annotated[int, Field(ge=0, le=365)] = 14


class Ratios(_Section):
    min_canteen: Ratio
    min_union: Ratio
    encouraged: Ratio | None = None


class Purchasing(_Section):
    # R9's checkpoints: month-day -> share of the reservation completed by the end of that day,
    # interpolated linearly from 0 on 1 January; 12-31 is always 100%.
    pace: dict[str, Ratio]
    unpaid_days: Annotated[int, Field(ge=1, le=366)]
    staff_allowance_yuan: Annotated[int, Field(ge=0)]
    year_end_window_days: Annotated[int, Field(ge=0, le=366)]


class Tickets(_Section):
    due_hours: dict[TicketPriority, Annotated[int, Field(ge=1, le=24 * 366)]]

    @model_validator(mode="after")
    def _every_priority(self) -> Tickets:
        missing = [p.value for p in TicketPriority if p not in self.due_hours]
        if missing:
            raise ValueError(f"缺少优先级：{'、'.join(missing)}")
        return self


class Platform(_Section):
    """What the notice tells units about the platform itself (its closing section)."""

    supervision_hotline: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(
        default_factory=list
    )


class Templates(_Section):
    """Documents the notice prescribes, as template files named relative to the policy file."""

    no_canteen_letter: str | None = None


class Policy(_Section):
    """One province's (or the nation's) rules for one year."""

    policy: PolicyHeader
    deadlines: Deadlines
    ratios: Ratios
    purchasing: Purchasing
    tickets: Tickets
    platform: Platform = Platform()
    templates: Templates = Templates()

    @model_validator(mode="after")
    def _dates_in_order(self) -> Policy:
        filing, confirmation = self.deadlines.filing, self.deadlines.confirmation
        if filing is not None and confirmation is not None and confirmation < filing:
            raise ValueError("deadlines.confirmation 早于 deadlines.filing")
        for name, day in (("filing", filing), ("confirmation", confirmation)):
            if day is not None and day.year != self.policy.year:
                raise ValueError(f"deadlines.{name} 不在 policy.year 这一年")
        _ = self.pace_points  # a bad checkpoint fails here, naming its key
        return self

    # Shorthands the rules read, computed once per policy (the rules run 100k times a morning);
    # exact fractions so that 15% of any fen amount compares exactly.
    @property
    def id(self) -> str:
        return self.policy.id

    @property
    def year(self) -> int:
        return self.policy.year

    @cached_property
    def min_canteen(self) -> Fraction:
        return Fraction(self.ratios.min_canteen)

    @cached_property
    def min_union(self) -> Fraction:
        return Fraction(self.ratios.min_union)

    @cached_property
    def pace_points(self) -> tuple[tuple[int, Fraction], ...]:
        """R9's checkpoints as (days elapsed at the end of that day, share), from (0, 0)."""
        points = [(0, Fraction(0))]
        for key, share in self.purchasing.pace.items():
            where = f"purchasing.pace.{key}"
            try:
                month, day = (int(part) for part in key.split("-"))
                on = date(self.year, month, day)
            except ValueError:
                raise ValueError(f"{where} 不是 {self.year} 年的月-日（如 06-30）") from None
            elapsed, fraction = (on - self.year_start).days + 1, Fraction(share)
            if elapsed <= points[-1][0]:
                raise ValueError(f"{where} 须晚于前一个检查点")
            if fraction < points[-1][1]:
                raise ValueError(f"{where} 的进度低于前一个检查点")
            if on == self.year_end and fraction != 1:
                raise ValueError(f"{where} 是年末，进度须为 100%")
            points.append((elapsed, fraction))
        if points[-1][0] != self.days_in_year:
            points.append((self.days_in_year, Fraction(1)))
        return tuple(points)

    @cached_property
    def days_in_year(self) -> int:
        return (self.year_end - self.year_start).days + 1

    def pace_share(self, today: date) -> Fraction:
        """The share of its reservation a unit should have completed by the end of ``today``."""
        elapsed = min(self.days_in_year, max(0, (today - self.year_start).days + 1))
        return self.pace_by_day[elapsed]

    @cached_property
    def pace_by_day(self) -> tuple[Fraction, ...]:
        """R9's share for each number of days elapsed, 0 to the whole year: one table per
        policy, since the rules ask once per unit and 100k units are evaluated at a time."""
        return tuple(self._interpolate_pace(elapsed) for elapsed in range(self.days_in_year + 1))

    def _interpolate_pace(self, elapsed: int) -> Fraction:
        # The points end at the year's last day, so some segment always holds ``elapsed``.
        before, after = next((a, b) for a, b in pairwise(self.pace_points) if elapsed <= b[0])
        span = Fraction(elapsed - before[0], after[0] - before[0])
        return before[1] + (after[1] - before[1]) * span

    @cached_property
    def encouraged(self) -> Fraction | None:
        value = self.ratios.encouraged
        return None if value is None else Fraction(value)

    @cached_property
    def staff_allowance_fen(self) -> int:
        return self.purchasing.staff_allowance_yuan * 100

    @cached_property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @cached_property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    @cached_property
    def year_end_window_start(self) -> date:
        return self.year_end - timedelta(days=self.purchasing.year_end_window_days - 1)

    def ticket_due(self, priority: TicketPriority) -> timedelta:
        return timedelta(hours=self.tickets.due_hours[priority])

    def deadlines_after(self, today: date) -> list[tuple[str, date]]:
        """The policy's deadlines on or after ``today``, nearest first, with Chinese names."""
        named = [
            ("填报截止", self.deadlines.filing),
            ("确认截止", self.deadlines.confirmation),
            ("年度结束", self.year_end),
        ]
        return [(name, day) for name, day in named if day is not None and day >= today]


def parse_policy(text: str, source: str = "policy") -> Policy:
    """A Policy from TOML text, or PolicyError with one line naming the bad key."""
    # TOML reads 0.15 as a binary float; pydantic makes the Decimal from its shortest
    # repr, which is the decimal the author wrote (0.15, not 0.1499999...).
    return parse_toml(Policy, text, source)


def parse_toml(model: type[Model], text: str, source: str) -> Model:
    """A ``model`` from the TOML text of a file a user edits, or PolicyError: one Chinese line
    with the file (``source``) and the bad key."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}：{toml_error_line(exc)}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "（整个文件）"
        # A quoted TOML key may hold a line break; keep the message on one line.
        line = f"{source}：{key}：{error_line(first)}"
        line = line.replace("\r", "\\r").replace("\n", "\\n")
        raise PolicyError(line) from None
