"""The SQL that folds a unit's filings, orders, calls and tickets into its row of unit_stats.

Only date-independent figures are computed here; the rules turn them into flags for a date.
``{scope_*}`` is replaced by a filter on temp._scope, or by nothing for a full refresh.
"""

from __future__ import annotations

from specialist_tui.domain.enums import OrderStatus


def _sql_list(statuses: list[OrderStatus]) -> str:
    return "(" + ", ".join(f"'{status.value}'" for status in statuses) + ")"


# The enum's own sets, so the SQL cannot drift from OrderStatus.is_open / is_void.
_OPEN = _sql_list([s for s in OrderStatus if s.is_open])
_VOID = _sql_list([s for s in OrderStatus if s.is_void])

REFRESH_FACTS = f"""
INSERT OR REPLACE INTO unit_stats (
    code, year, filing_status, canteen_mode, union_mode, canteen_total, canteen_reserved,
    contract_clause, executor, executor_account_opened, representative_code,
    representative_status, no_canteen_letter, union_total, union_reserved, decline_explained,
    prev_canteen_total, prev_canteen_reserved, prev_union_reserved,
    completed_canteen, completed_union, completed_staff, union_staff_spend,
    unpaid_count, unpaid_fen, unpaid_oldest_on, stray_area_count, open_count, open_fen,
    order_count, last_call_at, next_follow_up, ticket_due_on, active_tickets
)
SELECT
    u.code, :year,
    COALESCE(f.status, 'not_started'), f.canteen_mode, f.union_mode,
    COALESCE(f.canteen_total, 0), COALESCE(f.canteen_reserved, 0),
    COALESCE(f.contract_clause, 0), COALESCE(f.executor, ''),
    COALESCE(f.executor_account_opened, 0), f.representative_code,
    rf.status, COALESCE(f.no_canteen_letter, 'not_required'),
    COALESCE(f.union_total, 0), COALESCE(f.union_reserved, 0), COALESCE(f.decline_explained, 0),
    p.canteen_total, p.canteen_reserved, p.union_reserved,
    COALESCE(o.completed_canteen, 0), COALESCE(o.completed_union, 0),
    COALESCE(o.completed_staff, 0), COALESCE(o.union_staff_spend, 0),
    COALESCE(o.unpaid_count, 0), COALESCE(o.unpaid_fen, 0), o.unpaid_oldest_on,
    COALESCE(o.stray_area_count, 0), COALESCE(o.open_count, 0), COALESCE(o.open_fen, 0),
    COALESCE(o.order_count, 0),
    c.last_call_at, c.next_follow_up, t.ticket_due_on, COALESCE(t.active_tickets, 0)
FROM units u
LEFT JOIN filings f ON f.unit_code = u.code AND f.year = :year
LEFT JOIN filings p ON p.unit_code = u.code AND p.year = :year - 1
LEFT JOIN filings rf ON rf.unit_code = f.representative_code AND rf.year = :year
LEFT JOIN (
    SELECT
        o.unit_code,
        SUM(CASE WHEN o.status = 'completed' AND o.part = 'canteen' THEN o.amount ELSE 0 END)
            AS completed_canteen,
        SUM(CASE WHEN o.status = 'completed' AND o.part = 'union' THEN o.amount ELSE 0 END)
            AS completed_union,
        SUM(CASE WHEN o.status = 'completed' AND o.part = 'staff' THEN o.amount ELSE 0 END)
            AS completed_staff,
        SUM(CASE WHEN o.part IN ('union', 'staff') AND o.status NOT IN {_VOID}
            THEN o.amount ELSE 0 END) AS union_staff_spend,
        SUM(o.status = 'pending_payment') AS unpaid_count,
        SUM(CASE WHEN o.status = 'pending_payment' THEN o.amount ELSE 0 END) AS unpaid_fen,
        substr(MIN(CASE WHEN o.status = 'pending_payment' THEN o.placed_at END), 1, 10)
            AS unpaid_oldest_on,
        SUM(o.status NOT IN {_VOID}
            AND (o.area_code IS NULL OR o.area_code = '' OR o.area_code != uu.area_code))
            AS stray_area_count,
        SUM(o.status IN {_OPEN}) AS open_count,
        SUM(CASE WHEN o.status IN {_OPEN} THEN o.amount ELSE 0 END) AS open_fen,
        COUNT(*) AS order_count
    FROM orders o JOIN units uu ON uu.code = o.unit_code
    WHERE o.year = :year {{scope_orders}}
    GROUP BY o.unit_code
) o ON o.unit_code = u.code
LEFT JOIN (
    -- SQLite takes the bare follow_up_on from the row holding MAX(started_at): the most
    -- recent call says what is next, and a later call without a follow-up settles it.
    SELECT unit_code, MAX(started_at) AS last_call_at, follow_up_on AS next_follow_up
    FROM calls WHERE 1 {{scope_calls}}
    GROUP BY unit_code
) c ON c.unit_code = u.code
LEFT JOIN (
    SELECT unit_code, substr(MIN(due_at), 1, 10) AS ticket_due_on, COUNT(*) AS active_tickets
    FROM tickets WHERE status IN ('open', 'in_progress', 'waiting') {{scope_tickets}}
    GROUP BY unit_code
) t ON t.unit_code = u.code
WHERE 1 {{scope_units}}
"""


def refresh_facts_sql(scoped: bool) -> str:
    """The refresh statement, limited to the units in temp._scope when ``scoped``."""
    if not scoped:
        return REFRESH_FACTS.format(
            scope_orders="", scope_calls="", scope_tickets="", scope_units=""
        )
    inside = "IN (SELECT code FROM temp._scope)"
    return REFRESH_FACTS.format(
        scope_orders=f"AND o.unit_code {inside}",
        scope_calls=f"AND unit_code {inside}",
        scope_tickets=f"AND unit_code {inside}",
        scope_units=f"AND u.code {inside}",
    )


EVALUATE_COLUMNS = (
    "s.code, u.level, u.area_code, u.staff_count, s.filing_status, s.canteen_mode, "
    "s.union_mode, s.canteen_total, s.canteen_reserved, s.contract_clause, s.executor, "
    "s.executor_account_opened, s.representative_code, s.representative_status, "
    "s.no_canteen_letter, s.union_total, s.union_reserved, s.decline_explained, "
    "s.prev_canteen_total, s.prev_canteen_reserved, s.prev_union_reserved, "
    "s.completed_canteen, s.completed_union, s.completed_staff, s.union_staff_spend, "
    "s.unpaid_count, s.unpaid_fen, s.unpaid_oldest_on, s.stray_area_count, s.open_count, "
    "s.open_fen, s.next_follow_up, s.ticket_due_on, s.active_tickets, s.flags, s.score, s.due_on"
)
