"""The SQL that folds a unit's filings, orders, calls and tickets into its row of unit_stats.

Facts are those known as of a day ``:asof`` (ISO date; LATEST means no record is dated after
the evaluation day, which is the usual case and keeps the tickets' cheap status test): a filing
submitted after it is not submitted, an order placed after it does not exist, one completed or
paid after it is still open, calls, tickets and marks of a promise done after it do not exist.
Records carry no date for a cancellation or refund, nor for the platform's word on a letter, so
those stand as they are now; the specialist's marks of a letter are dated, and one made after
:asof is not known.
``{scope_*}`` is replaced by a filter on temp._scope, or by nothing for a full refresh.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from specialist_tui.domain.enums import EventKind, OrderStatus

# The as-of day of facts with nothing left out.
LATEST = "9999-12-31"


def _sql_list(statuses: list[OrderStatus]) -> str:
    return "(" + ", ".join(f"'{status.value}'" for status in statuses) + ")"


# The enum's own sets, so the SQL cannot drift from OrderStatus.is_void.
_VOID = _sql_list([s for s in OrderStatus if s.is_void])


def _day(column: str) -> str:
    return f"substr({column}, 1, 10)"


def _by_asof(column: str) -> str:
    """The stamp falls on or before :asof. Stamps are ISO text ("2024-02-20T10:00:00+08:00" or
    a bare day), so this compares the text with :asof_end (the day followed by "~", above any
    character that follows a day) instead of cutting out each row's day: a lookback scans
    every order, and the plain comparison can use the calls' index on started_at."""
    return f"{column} < :asof_end"


def _after_asof(column: str) -> str:
    return f"{column} >= :asof_end"


def _filing_status(f: str) -> str:
    """A filing's status as of :asof: not yet submitted or confirmed if that came later."""
    return (
        f"CASE WHEN {f}.status IS NULL THEN NULL "
        f"WHEN {_after_asof(f + '.submitted_at')} THEN 'draft' "
        f"WHEN {f}.status = 'confirmed' AND {_after_asof(f + '.confirmed_at')} "
        f"THEN 'submitted' ELSE {f}.status END"
    )


def _known(column: str) -> str:
    """The day of a stamp if it was reached by :asof, else NULL."""
    return f"CASE WHEN {_by_asof(column)} THEN {_day(column)} END"


# Per order, as of :asof (the orders are already limited to those placed by then).
_COMPLETED = f"(o.status = 'completed' AND {_by_asof('COALESCE(o.completed_at, o.placed_at)')})"
_IN_YEAR_SPEND = (
    f"({_COMPLETED} AND substr(COALESCE(o.completed_at, o.placed_at), 1, 4) = :year_text)"
)
_VOIDED = f"(o.status IN {_VOID})"
# A paid order without a payment stamp is taken as paid from the start.
_PAID_BY_ASOF = _by_asof("COALESCE(o.paid_at, '')")
_PAID = f"(o.status != 'pending_payment' AND {_PAID_BY_ASOF})"
_THIS_YEAR = "(o.year = :year)"

# Each order once, as of :asof: its state (void; completed, and counted as spent when it was
# completed in the policy year; paid but open; unpaid) and whether its area code is missing or
# another center's. LIMIT -1 keeps SQLite from folding this into the sums above, which would
# evaluate the state's tests again in each of them: one pass costs ~25% less on a lookback.
_ORDER_STATES = f"""
    SELECT o.unit_code, o.part, o.amount, o.placed_at, {_THIS_YEAR} AS this_year,
        CASE WHEN {_VOIDED} THEN 'void'
            WHEN {_IN_YEAR_SPEND} THEN 'spent'
            WHEN {_COMPLETED} THEN 'completed'
            WHEN {_PAID} THEN 'paid'
            ELSE 'unpaid' END AS state,
        CASE WHEN o.area_code IS NULL OR o.area_code = '' THEN 'missing'
            WHEN o.area_code IS NOT COALESCE(uu.area_code, '') THEN 'wrong' END AS area
    FROM orders o JOIN units uu ON uu.code = o.unit_code
    WHERE o.year IN (:year - 1, :year) AND {_by_asof("o.placed_at")}
        {{scope_orders}}
    LIMIT -1
"""

_ACTIVE_TICKET = "('open', 'in_progress', 'waiting')"
# A ticket's status on :asof is the last status change by then (created open).
_TICKET_STATUS_ASOF = (
    "COALESCE((SELECT e.to_status FROM ticket_events e WHERE e.ticket_id = t.id "
    f"AND e.kind = 'status' AND {_by_asof('e.at')} ORDER BY e.at DESC LIMIT 1), 'open')"
)

# The facts' columns, in the order FACTS_SELECT yields them.
FACT_COLUMNS = """
    code, year, filing_status, submitted_on, confirmed_on, canteen_mode, union_mode,
    canteen_total, canteen_reserved,
    contract_clause, executor, executor_account_opened, representative_code,
    representative_status, no_canteen_letter, union_total, union_reserved, decline_explained,
    prev_canteen_total, prev_canteen_reserved, prev_union_total, prev_union_reserved,
    completed_canteen, completed_union, completed_staff, union_spend,
    unpaid_count, unpaid_fen, unpaid_oldest_on, area_missing_count, area_wrong_count,
    open_count, open_fen, order_count, last_call_at, next_follow_up, open_promises,
    promise_call_id, ticket_due_on, active_tickets,
    letter_mark, letter_mark_seen, letter_marked_on, canteen_orders
"""

FACTS_SELECT = f"""
SELECT
    u.code, :year,
    COALESCE({_filing_status("f")}, 'not_started'),
    {_known("f.submitted_at")}, {_known("f.confirmed_at")},
    f.canteen_mode, f.union_mode,
    COALESCE(f.canteen_total, 0), COALESCE(f.canteen_reserved, 0),
    COALESCE(f.contract_clause, 0), COALESCE(f.executor, ''),
    COALESCE(f.executor_account_opened, 0), f.representative_code,
    {_filing_status("rf")}, COALESCE(f.no_canteen_letter, 'not_required'),
    COALESCE(f.union_total, 0), COALESCE(f.union_reserved, 0), COALESCE(f.decline_explained, 0),
    p.canteen_total, p.canteen_reserved, p.union_total, p.union_reserved,
    COALESCE(o.completed_canteen, 0), COALESCE(o.completed_union, 0),
    COALESCE(o.completed_staff, 0), COALESCE(o.union_spend, 0),
    COALESCE(o.unpaid_count, 0), COALESCE(o.unpaid_fen, 0), o.unpaid_oldest_on,
    COALESCE(o.area_missing_count, 0), COALESCE(o.area_wrong_count, 0),
    COALESCE(o.open_count, 0), COALESCE(o.open_fen, 0), COALESCE(o.order_count, 0),
    c.last_call_at, pr.next_follow_up, COALESCE(pr.open_promises, 0), pr.promise_call_id,
    t.ticket_due_on, COALESCE(t.active_tickets, 0),
    lm.state, lm.seen, substr(lm.at, 1, 10), co.canteen_orders
FROM units u
LEFT JOIN filings f ON f.unit_code = u.code AND f.year = :year
LEFT JOIN filings p ON p.unit_code = u.code AND p.year = :year - 1
LEFT JOIN filings rf ON rf.unit_code = f.representative_code AND rf.year = :year
LEFT JOIN (
    SELECT
        unit_code,
        SUM(CASE WHEN state = 'spent' AND part = 'canteen' THEN amount ELSE 0 END)
            AS completed_canteen,
        SUM(CASE WHEN state = 'spent' AND part = 'union' THEN amount ELSE 0 END)
            AS completed_union,
        SUM(CASE WHEN state = 'spent' AND part = 'staff' THEN amount ELSE 0 END)
            AS completed_staff,
        SUM(CASE WHEN this_year AND part = 'union' AND state != 'void' THEN amount ELSE 0 END)
            AS union_spend,
        SUM(state = 'unpaid') AS unpaid_count,
        SUM(CASE WHEN state = 'unpaid' THEN amount ELSE 0 END) AS unpaid_fen,
        substr(MIN(CASE WHEN state = 'unpaid' THEN placed_at END), 1, 10) AS unpaid_oldest_on,
        SUM(this_year AND state != 'void' AND area = 'missing') AS area_missing_count,
        SUM(this_year AND state != 'void' AND area = 'wrong') AS area_wrong_count,
        SUM(this_year AND state IN ('paid', 'unpaid')) AS open_count,
        SUM(CASE WHEN this_year AND state IN ('paid', 'unpaid') THEN amount ELSE 0 END)
            AS open_fen,
        SUM(this_year) AS order_count
    FROM ({_ORDER_STATES}) GROUP BY unit_code
) o ON o.unit_code = u.code
LEFT JOIN (
    SELECT unit_code, MAX(started_at) AS last_call_at
    FROM calls WHERE {_by_asof("started_at")} {{scope_calls}}
    GROUP BY unit_code
) c ON c.unit_code = u.code
LEFT JOIN (
    -- A promise stays open until a later call to the unit is reached or resolved, or the
    -- specialist marks it done; a later call without a date never drops it. SQLite takes the
    -- bare id from the MIN row.
    SELECT pc.unit_code, MIN(pc.follow_up_on) AS next_follow_up, pc.id AS promise_call_id,
        COUNT(*) AS open_promises
    FROM calls pc LEFT JOIN (
        SELECT unit_code, MAX(started_at) AS settled_at FROM calls
        WHERE outcome IN ('reached', 'resolved') AND {_by_asof("started_at")}
            {{scope_calls}}
        GROUP BY unit_code
    ) r ON r.unit_code = pc.unit_code
    WHERE pc.follow_up_on IS NOT NULL AND {_by_asof("pc.started_at")}
        AND (r.settled_at IS NULL OR pc.started_at >= r.settled_at)
        AND pc.id NOT IN (SELECT call_id FROM follow_ups_done WHERE {_by_asof("at")})
        {{scope_promises}}
    GROUP BY pc.unit_code
) pr ON pr.unit_code = u.code
LEFT JOIN (
    SELECT unit_code, substr(MIN(due_at), 1, 10) AS ticket_due_on, COUNT(*) AS active_tickets
    FROM tickets t
    WHERE {_by_asof("created_at")} AND {{ticket_status}} IN {_ACTIVE_TICKET}
        {{scope_tickets}}
    GROUP BY unit_code
) t ON t.unit_code = u.code
-- The specialist's latest mark of the letter known by :asof (marks are few: read them all
-- once rather than probing for every unit).
LEFT JOIN (
    SELECT unit_code, state, seen, at FROM (
        SELECT unit_code, state, seen, at,
            ROW_NUMBER() OVER (PARTITION BY unit_code ORDER BY at DESC, id DESC) AS newest
        FROM letter_marks
        WHERE year = :year AND substr(at, 1, 10) <= :asof {{scope_marks}}
    ) WHERE newest = 1
) lm ON lm.unit_code = u.code
-- Canteen-part orders of a unit that declared no canteen (R15), as a JSON list.
LEFT JOIN (
    SELECT o.unit_code,
        json_group_array(json_array(o.id, substr(o.placed_at, 1, 10), o.amount))
            AS canteen_orders
    -- CROSS JOIN keeps the few no-canteen filings outside: the planner otherwise walked
    -- every order and probed its filing (+15% on a whole refresh).
    FROM filings nf CROSS JOIN orders o ON o.unit_code = nf.unit_code AND o.year = :year
    WHERE nf.year = :year AND nf.canteen_mode = 'none' AND o.part = 'canteen'
        AND NOT {_VOIDED} AND substr(o.placed_at, 1, 10) <= :asof {{scope_declared}}
    GROUP BY o.unit_code
) co ON co.unit_code = u.code
WHERE 1 {{scope_units}}
"""


def refresh_facts_sql(scoped: bool, latest: bool) -> str:
    """The refresh statement, limited to the units in temp._scope when ``scoped``.

    ``latest``: nothing is dated after :asof, so a ticket's stored status is its status then.
    """
    return f"INSERT OR REPLACE INTO unit_stats ({FACT_COLUMNS}) {facts_select_sql(scoped, latest)}"


def facts_select_sql(scoped: bool = False, latest: bool = False) -> str:
    """Every unit's facts as of :asof as rows (columns FACT_COLUMNS), without storing them:
    what a figure for another day than the list's (the 通报 ranking) is computed from."""
    inside = "IN (SELECT code FROM temp._scope)"
    scope = {
        "scope_orders": f"AND o.unit_code {inside}",
        "scope_calls": f"AND unit_code {inside}",
        "scope_promises": f"AND pc.unit_code {inside}",
        "scope_tickets": f"AND unit_code {inside}",
        "scope_units": f"AND u.code {inside}",
        "scope_declared": f"AND nf.unit_code {inside}",
        "scope_marks": f"AND unit_code {inside}",
    }
    if not scoped:
        scope = dict.fromkeys(scope, "")
    status = "t.status" if latest else _TICKET_STATUS_ASOF
    return FACTS_SELECT.format(ticket_status=status, **scope)


_TRAINING_KINDS = ", ".join(f"'{k.value}'" for k in EventKind if k.trains)


def trained_sql(code: str, year_text: str, asof: str) -> str:
    """True when a seminar or training of the year reached unit ``code`` by day ``asof`` (or,
    one on one, a reached call about training did); each argument is an SQL expression.

    One definition for the list's 今年未培训 view, the summary and the ranking's 培训覆盖率.
    """
    # "By day asof" compares the stamp with the day followed by "~", as _by_asof does, rather
    # than cutting out each row's day: the tab counts run this for every unit of the list.
    in_time = "substr({at}, 1, 4) = {year} AND {at} < {asof} || '~'"
    return (
        "(EXISTS (SELECT 1 FROM event_attendance ea WHERE ea.unit_code = "
        f"{code} AND ea.kind IN ({_TRAINING_KINDS}) AND "
        + in_time.format(at="ea.starts_at", year=year_text, asof=asof)
        + f") OR EXISTS (SELECT 1 FROM calls tc WHERE tc.unit_code = {code} AND "
        + in_time.format(at="tc.started_at", year=year_text, asof=asof)
        + """ AND tc.outcome IN ('reached', 'resolved') AND tc.topics LIKE '%"training"%'))"""
    )


# The facts' day as the list knows it (LATEST unless it looks back), for SQL without
# parameters such as a view's WHERE.
LIST_ASOF = f"COALESCE((SELECT NULLIF(value, '') FROM meta WHERE key = 'facts_asof'), '{LATEST}')"
# Trained by the list's day in unit_stats' year, for a row of units u joined with unit_stats s.
TRAINED_IN_LIST = trained_sql("u.code", "CAST(s.year AS TEXT)", LIST_ASOF)


EVALUATE_COLUMNS = (
    "s.code, u.level, u.area_code, u.staff_count, s.filing_status, s.submitted_on, "
    "s.confirmed_on, s.canteen_mode, "
    "s.union_mode, s.canteen_total, s.canteen_reserved, s.contract_clause, s.executor, "
    "s.executor_account_opened, s.representative_code, s.representative_status, "
    "s.no_canteen_letter, s.union_total, s.union_reserved, s.decline_explained, "
    "s.prev_canteen_total, s.prev_canteen_reserved, s.prev_union_total, s.prev_union_reserved, "
    "s.completed_canteen, s.completed_union, s.completed_staff, s.union_spend, "
    "s.unpaid_count, s.unpaid_fen, s.unpaid_oldest_on, s.area_missing_count, "
    "s.area_wrong_count, s.order_count, s.open_count, "
    "s.open_fen, s.next_follow_up, s.open_promises, s.ticket_due_on, s.active_tickets, "
    "s.letter_mark, s.letter_mark_seen, s.letter_marked_on, s.canteen_orders, "
    "s.flags, s.flag_mask, s.score, s.due_on"
)


def parameters(year: int, asof: date | None) -> dict[str, Any]:
    """The named parameters the facts query takes for the policy year, as of a day or now."""
    day = asof.isoformat() if asof else LATEST
    return {"year": year, "year_text": str(year), "asof": day, "asof_end": day + "~"}
