"""What every part of the demo builder shares: the seeded generator, the year, the units so far.

Everything comes from one ``random.Random`` drawn in a fixed order (no clock, no uuid4), so a
seed always gives the same data. A part draws only in its own stage, unit by unit.
"""

from __future__ import annotations

import functools
import random
import uuid
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from specialist_tui.demo.kinds import Modes
from specialist_tui.demo.places import SPECIALISTS
from specialist_tui.demo.vocabulary import (
    GIVEN_1,
    GIVEN_2,
    MOBILE_PREFIXES,
    SURNAME_CUM,
    SURNAMES,
    TIBETAN_A,
    TIBETAN_B,
)
from specialist_tui.domain.money import percent
from specialist_tui.domain.policy import Policy

# A record in its JSON form: the keys and values of ``Model.model_dump(mode="json")``, so
# ``Model.model_validate`` makes the domain model of it and the cache stores it as it is.
RecordJson = dict[str, Any]


@dataclass(slots=True)
class Place:
    level: str
    prefix: str
    division: str
    area_code: str
    specialist: str
    tibetan: float
    towns: tuple[str, ...] = ()
    roads: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    more_areas: tuple[str, ...] = ()  # extra areas to number within, beyond roads and regions
    villages: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class DemoUnit:
    """A unit's record and what later stages need to know about it."""

    row: RecordJson
    place: int
    kind: str
    town: str | None
    staff: int
    meal: float
    modes: Modes
    mode: str = "own"
    union: str = "independent"
    representative: int | None = None  # index of the unit filing for a shared canteen
    group_staff: int = 0  # staff of a shared group, counted on its representative
    canteen_total: int = 0
    canteen_reserved: int = 0
    union_total: int = 0
    union_reserved: int = 0
    status: str = "confirmed"
    filed_reserved: int = 0  # canteen + union reserved as the current filing row shows it
    orders_from: int = 0  # the unit's orders: indices into DemoContext.order_seqs and ...
    orders_to: int = 0  # ... order_placed


class DemoContext:
    """The shared state of one build; the stages fill it in order (see builder.py)."""

    def __init__(
        self,
        rng: random.Random,
        n: int,
        today: date,
        policy: Policy,
        aside: random.Random | None = None,
    ) -> None:
        self.rng = rng
        # Draws for what was added after the main stream was fixed (R15's orders, the letter
        # marks): on a generator of their own, so every record drawn before stays as it was.
        self.aside = aside or random.Random(0)
        self.n = n
        self.today = today
        self.policy = policy
        self.year = policy.year
        self.year_start = policy.year_start
        self.days_in_year = (policy.year_end - policy.year_start).days + 1
        # A policy may set no filing date; the demo's units still file in the first weeks.
        self.filing_deadline = policy.deadlines.filing or date(policy.year, 2, 20)
        # Calls and tickets quote the policy's own ratios.
        self.ratio_words = {"rc": percent(policy.min_canteen), "ru": percent(policy.min_union)}
        # Day index of today in the policy year; negative before it starts.
        self.dt = (today - self.year_start).days
        self.units: list[DemoUnit] = []
        self.places: list[Place] = []
        self.planted: dict[str, set[int]] = {}
        self.no_prev: set[int] = set()
        self.no_filing: set[int] = set()
        self.ticket_due: set[int] = set()
        self.letters: dict[int, str] = {}  # the platform's letter status of a unit this year
        self.aside_orders = 0  # R15's orders so far (their serials are a range of their own)
        self.orders: list[RecordJson] = []  # the orders of the units in hand, until handed out
        # Of every order made so far, what tickets refer to: its id's serial and the minute it
        # was placed (an index into ts); 16 bytes an order instead of a dict of eleven keys.
        self.order_seqs = array("q")
        self.order_placed = array("q")
        self.ts: list[str] = []  # ISO stamps of every minute from Jan 1 to the end of today
        self.limit = 0  # the first minute after today, as an index into ts
        self.seq = 0
        self.used_phones: set[str] = set()
        self.specialists = [
            {"id": sid, "name": name, "phone": self.phone(), "center_code": center, "role": role}
            for sid, name, center, role in SPECIALISTS
        ]

    def ri(self, low: int, high: int) -> int:
        """randint(low, high) at a fraction of its cost; the bias of a float draw is nil here."""
        return low + int(self.rng.random() * (high - low + 1))

    def pick(self, seq: Sequence[str]) -> str:
        return seq[int(self.rng.random() * len(seq))]

    def phone(self) -> str:
        rnd = self.rng.random
        while True:
            number = self.pick(MOBILE_PREFIXES) + f"{int(rnd() * 100_000_000):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def person(self, tibetan: float) -> str:
        rng = self.rng
        pick = self.pick
        if rng.random() < tibetan:
            first, second = pick(TIBETAN_A), pick(TIBETAN_B)
            # 拉毛 + 毛 would stutter.
            return first if second[:1] == first[-1] else first + second
        surname = rng.choices(SURNAMES, cum_weights=SURNAME_CUM)[0]
        if rng.random() < 0.6:
            return surname + pick(GIVEN_1) + pick(GIVEN_2)
        return surname + pick(GIVEN_2)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def order_id(self, seq: int) -> str:
        return f"832-{self.year}-{seq:09d}"


@functools.lru_cache(maxsize=4096)
def day_iso(base: date, days: int) -> str:
    return (base + timedelta(days=days)).isoformat()


def stamp(base: date, minute: int, second: int = 0) -> str:
    """ISO-8601 Beijing time, ``minute`` minutes after midnight starting ``base``."""
    days, minute = divmod(minute, 1440)
    return f"{day_iso(base, days)}T{minute // 60:02d}:{minute % 60:02d}:{second:02d}+08:00"
