"""The commander sees Meta comments whose one-shot private-reply window is about to close."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crisisdesk.incidents.commander import Commander
from crisisdesk.incidents.repo import IncidentRepo
from tests.unit.test_intake import repo as repo

NOW = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


def _comment(n: int, comment_time: datetime) -> dict[str, Any]:
    deadline = (comment_time + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "event_id": f"facebook:c{n}", "platform": "facebook", "brand": "Acme",
        "created_at": comment_time.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": "still no refund",
        "author": {"id": f"u{n}", "handle": f"person{n}"},
        "reply_target": {"platform": "facebook", "public_reply_to": f"c{n}",
                         "private": {"channel": "meta_private_reply", "comment_id": f"c{n}",
                                     "page_id": "p1", "deadline": deadline}},
    }


@pytest.fixture
def commander(repo: IncidentRepo) -> Iterator[tuple[Commander, IncidentRepo]]:
    repo.create_owner({"id": "CASE-W", "kind": "care", "opened_at": "2026-03-01T00:00:00Z",
                       "status": "OPEN", "title": "t"})
    yield Commander(repo, workflows=None), repo  # type: ignore[arg-type]


def test_windows_closing_within_a_day_are_listed_earliest_first(
    commander: tuple[Commander, IncidentRepo],
) -> None:
    cmd, repo = commander
    cls = {"needs_response": True}
    repo.attach("CASE-W", _comment(1, NOW - timedelta(days=6, hours=20)), cls)  # 4 h left
    repo.attach("CASE-W", _comment(2, NOW - timedelta(days=2)), cls)  # 5 days left
    repo.attach("CASE-W", _comment(3, NOW - timedelta(days=8)), cls)  # closed a day ago
    sent = _comment(4, NOW - timedelta(days=6, hours=23))
    repo.attach("CASE-W", sent, cls)
    link = next(m for m in repo.members("CASE-W") if m["event_id"] == "facebook:c4")
    repo.mark_member("CASE-W", link, handoff="sent")

    windows = cmd.closing_windows(NOW)
    assert [(w["event_id"], w["state"]) for w in windows] == [
        ("facebook:c3", "closed"), ("facebook:c1", "closing")]
    assert windows[1]["to"] == "person1" and windows[1]["handoff"] == "not sent"
