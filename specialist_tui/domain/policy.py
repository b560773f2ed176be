"""A year's policy: the deadlines, ratios and thresholds the rules read (policy is data).

Parsing a TOML text lives here; reading the file from disk is the caller's job.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from specialist_tui.domain.enums import TicketPriority
from specialist_tui.domain.validation_text import error_line, toml_error_line

Ratio = Annotated[Decimal, Field(ge=0, le=1, max_digits=6, decimal_places=4)]


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
    filing: date
    confirmation: date
    filing_warning_days: Annotated[int, Field(ge=0, le=365)] = 14


class Ratios(_Section):
    min_canteen: Ratio
    min_union: Ratio
    encouraged: Ratio | None = None


class Purchasing(_Section):
    pace_factor: Annotated[Decimal, Field(ge=0, le=1)]
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
        if self.deadlines.confirmation < self.deadlines.filing:
            raise ValueError("deadlines.confirmation 早于 deadlines.filing")
        if self.deadlines.filing.year != self.policy.year:
            raise ValueError("deadlines.filing 不在 policy.year 这一年")
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
    def pace_factor(self) -> Fraction:
        return Fraction(self.purchasing.pace_factor)

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
        return [(name, day) for name, day in named if day >= today]


def parse_policy(text: str, source: str = "policy") -> Policy:
    """A Policy from TOML text, or PolicyError with one line naming the bad key."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}：{toml_error_line(exc)}") from None
    try:
        return Policy.model_validate(_ratios_as_text(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "（整个文件）"
        # A quoted TOML key may hold a line break; keep the message on one line.
        line = f"{source}：{key}：{error_line(first)}"
        line = line.replace("\r", "\\r").replace("\n", "\\n")
        raise PolicyError(line) from None


def _ratios_as_text(data: dict[str, Any]) -> dict[str, Any]:
    # TOML gives 0.15 as a binary float; its shortest repr is the decimal the author wrote.
    def fix(section: object) -> object:
        if isinstance(section, dict):
            return {k: (repr(v) if isinstance(v, float) else v) for k, v in section.items()}
        return section

    out = dict(data)
    for name in ("ratios", "purchasing"):
        if name in out:
            out[name] = fix(out[name])
    return out
