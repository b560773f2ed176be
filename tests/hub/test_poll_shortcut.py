"""The poll's short way (PollShortcut, hub/layers.py) answers exactly as the full stack does,
leaves every other request to it, and never trusts a token it checked before."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from specialist_tui.hub import admin
from specialist_tui.hub.layers import PollShortcut, poll_query
from specialist_tui.wire import ChangesPage
from tests.hub.conftest import World

# A parameter the short way leaves to the full stack, which ignores it: the same request, the
# other way through.
FULL = "via=full"


@pytest.fixture
def short_way(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes | None]]:
    """What the short way's worker answered, one entry per poll it took (None: passed on)."""
    shortcut: PollShortcut = world.running.app.shortcut
    taken: list[bytes | None] = []
    page: Callable[..., bytes | None] = shortcut._page

    def counted(*args: Any) -> bytes | None:
        answer = page(*args)
        taken.append(answer)
        return answer

    monkeypatch.setattr(shortcut, "_page", counted)
    yield taken


def _get(world: World, who: str | None, query: str, token: str | None = None) -> httpx.Response:
    with world.http(who) as http:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return http.get(f"/api/v1/changes?{query}", headers=headers)


def _cursors(world: World, who: str) -> list[str]:
    """Every cursor a client of ``who`` would hold, walking the feed two rows at a time."""
    cursors, cursor = [""], ""
    while True:
        page = ChangesPage.model_validate_json(_get(world, who, f"since={cursor}&limit=2").content)
        cursor = page.next_cursor
        cursors.append(cursor)
        if not page.has_more:
            return cursors


@pytest.mark.parametrize("who", ["a", "b", "lead"])
def test_the_short_way_gives_the_full_stacks_bytes(
    world: World, short_way: list[bytes | None], who: str
) -> None:
    for cursor in _cursors(world, who):
        for limit in ("", "&limit=1", "&limit=3", "&limit=10000"):
            query = f"since={cursor}{limit}"
            del short_way[:]
            short = _get(world, who, query)
            assert short_way and short_way[0] is not None, query  # it took this poll
            del short_way[:]
            full = _get(world, who, f"{query}&{FULL}")
            assert not short_way, query  # and left this one to the full stack
            assert short.status_code == full.status_code == 200
            assert short.content == full.content, query
            for header in ("content-type", "content-length"):
                assert short.headers[header] == full.headers[header]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=bm9wZQ", "since"),
        ("since=%FF", "since"),
        ("limit=0", "limit"),
        ("limit=10001", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("limit=1e3", "limit"),
        ("limit=9999999999999999999999", "limit"),
    ],
)
def test_a_malformed_poll_is_answered_by_the_full_stack(
    world: World, short_way: list[bytes | None], query: str, field: str
) -> None:
    answer = _get(world, "a", query)
    assert answer.status_code == 422
    assert answer.json()["fields"] == [field]
    assert not short_way


@pytest.mark.parametrize(
    "query",
    [
        "since=&since=",
        "limit=5&limit=6",
        "limit=5&x=1",
        "since&limit=5",
        "limit=5&",
        "limit=%35",
        "since=djI6MDoxMg%3D%3D",
        "limit=+5",
        "",
        "since=",
        "limit=7",
        "since=djI6MDoxMg&limit=10",
    ],
)
def test_only_a_plain_since_and_limit_take_the_short_way(query: str) -> None:
    plain = query in ("", "since=", "limit=7", "since=djI6MDoxMg&limit=10")
    assert (poll_query(query.encode()) is not None) is plain


def test_a_bad_token_is_refused_by_the_full_stack(
    world: World, short_way: list[bytes | None]
) -> None:
    wrong = world.tokens["a"][:-4] + "xxxx"
    for token in (wrong, "nonsense", "sth_0123456789abcdef_secret"):
        answer = _get(world, None, "", token)
        assert answer.status_code == 401
        assert answer.json()["detail"] == "token wrong or revoked"
        assert answer.headers["www-authenticate"] == "Bearer"
    assert short_way == [None, None, None]  # each looked at, then passed on


def test_a_rotated_token_is_refused_on_the_very_next_poll(world: World) -> None:
    old = world.tokens["a"]
    assert _get(world, "a", "").status_code == 200  # the short way now knows this token
    new = admin.rotate_token(world.store, "a")
    assert _get(world, None, "", old).status_code == 401
    assert _get(world, None, "", new).status_code == 200


def test_a_token_whose_holder_changed_gets_the_new_scope_at_once(world: World) -> None:
    def units() -> list[str]:
        page = ChangesPage.model_validate_json(_get(world, "a", "limit=10000").content)
        return sorted(c.key for c in page.changes if c.kind == "unit")

    assert units() == world.codes("a")  # known to the short way as a specialist's token
    with world.store.transaction() as db:  # made a lead, as an admin could
        db.execute("UPDATE specialists SET role = 'lead' WHERE id = 'a'")
    assert units() == sorted(world.codes("a") + world.codes("b"))


def test_a_wrong_secret_for_a_known_token_id_is_refused(world: World) -> None:
    token = world.tokens["a"]
    assert _get(world, "a", "").status_code == 200
    prefix, token_id, _ = token.split("_", 2)
    forged = f"{prefix}_{token_id}_{'A' * 43}"
    assert _get(world, None, "", forged).status_code == 401


def test_a_cursor_the_short_way_hands_out_resumes_where_it_stopped(world: World) -> None:
    first = ChangesPage.model_validate_json(_get(world, "a", "limit=1").content)
    assert first.has_more and len(first.changes) == 1
    rest = ChangesPage.model_validate_json(_get(world, "a", f"since={first.next_cursor}").content)
    keys = [c.key for c in first.changes + rest.changes]
    assert len(keys) == len(set(keys))
    assert set(keys) >= set(world.codes("a"))


def test_an_error_on_the_short_way_is_left_to_the_full_stack(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _get(world, "a", "")  # the short way now knows the token
    store = world.running.app.state.store

    def broken(*args: object) -> None:
        raise RuntimeError("a fault of the short way")

    monkeypatch.setattr(store, "token_and_news", broken)
    again = _get(world, "a", "")
    assert again.status_code == 200 and again.content == first.content
