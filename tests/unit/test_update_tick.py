"""Newcomers are answered every tick; public updates wait for their cadence (moto, no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crisisdesk.incidents import tasks
from crisisdesk.incidents.repo import IncidentRepo
from crisisdesk.incidents.schedule import ACK_TICK_SECONDS, tick_for
from tests.unit.test_intake import repo  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
OPENED = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


class Alerts:
    def send(self, subject: str, message: str) -> None:
        pass


def _deps(repo: IncidentRepo, now: datetime) -> tasks.TaskDeps:  # noqa: F811
    return tasks.TaskDeps(repo=repo, poster=None, alerts=Alerts(), now=lambda: now)  # type: ignore[arg-type]


def test_tick_is_short_even_when_updates_are_rare() -> None:
    assert tick_for(3600) == ACK_TICK_SECONDS <= 120
    assert tick_for(20) == 20


def test_update_due_follows_the_cadence_then_resolution(repo: IncidentRepo) -> None:  # noqa: F811
    repo.create_owner({"id": "INC-T", "kind": "incident", "status": "OPEN", "title": "t",
                       "opened_at": OPENED.isoformat(timespec="seconds"),
                       "cadence_seconds": 1800, "approval_timeout_seconds": 900})
    assert tasks.update_due(_deps(repo, OPENED + timedelta(minutes=2)), "INC-T") == {
        "update_due": False}
    assert tasks.update_due(_deps(repo, OPENED + timedelta(minutes=30)), "INC-T") == {
        "update_due": True}
    later = OPENED + timedelta(minutes=31)
    schedule = tasks.check_status(_deps(repo, later), "INC-T", {"cycle": 1}, closing=False)
    assert schedule["tick_seconds"] == ACK_TICK_SECONDS and schedule["cadence_seconds"] == 1800
    assert tasks.update_due(_deps(repo, later + timedelta(minutes=5)), "INC-T") == {
        "update_due": False}
    repo.update_owner("INC-T", status="RESOLVED")
    assert tasks.update_due(_deps(repo, later + timedelta(minutes=5)), "INC-T") == {
        "update_due": True}


def test_the_loop_answers_newcomers_before_deciding_on_an_update() -> None:
    states = json.loads((ROOT / "workflows" / "incident.asl.json").read_text())["States"]
    assert states["WaitForNextUpdate"]["SecondsPath"] == "$.schedule.tick_seconds"
    assert states["WaitForNextUpdate"]["Next"] == "AcknowledgeNewcomers"
    assert states["HandOffNewcomers"]["Next"] == "UpdateDue"
    choice = states[states["UpdateDue"]["Next"]]
    assert choice["Default"] == "WaitForNextUpdate"
    assert [c["Next"] for c in choice["Choices"]] == ["DraftUpdate"]
