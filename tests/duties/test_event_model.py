"""The event record: split by unit for the feed, each part keyed by event and unit."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from specialist_tui.domain.enums import EventKind
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.models import Event, EventAttendance, event_attendance_key

A, B = make_credit_code("11630100", "00000001"), make_credit_code("11630100", "00000002")


def event(**extra: object) -> Event:
    fields: dict[str, object] = {
        "kind": "training",
        "starts_at": "2024-03-05T09:30:00",
        "topic": "培训",
        "attendees": [{"unit_code": A, "people": 3}, {"unit_code": B}],
    }
    return Event.model_validate({**fields, **extra})


def test_parts_carry_the_event_and_each_units_people() -> None:
    made = event(place="西宁", specialists=["sp-02"])
    parts = made.parts()
    assert [(p.unit_code, p.people) for p in parts] == [(A, 3), (B, 0)]
    for part in parts:
        assert part.id == event_attendance_key(made.id, part.unit_code)
        assert (part.event_id, part.kind, part.place, part.specialists) == (
            made.id,
            EventKind.TRAINING,
            "西宁",
            ["sp-02"],
        )
        assert part.starts_at.isoformat() == "2024-03-05T09:30:00+08:00"
        assert EventAttendance.model_validate_json(part.model_dump_json()) == part


def test_a_part_whose_key_does_not_match_is_refused() -> None:
    part = event().parts()[0].model_dump()
    with pytest.raises(ValidationError, match="event_id:unit_code"):
        EventAttendance.model_validate({**part, "id": "x"})


def test_trainings_and_seminars_train_visits_do_not() -> None:
    assert [k for k in EventKind if k.trains] == [EventKind.SEMINAR, EventKind.TRAINING]
    assert EventKind.VISIT.label == "上门走访"
