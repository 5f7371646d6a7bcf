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


def test_approval_pending_until_decided_and_never_past_its_bound(repo: IncidentRepo) -> None:  # noqa: F811
    repo.create_owner({"id": "INC-P", "kind": "incident", "status": "OPEN", "title": "t",
                       "opened_at": OPENED.isoformat(timespec="seconds"),
                       "cadence_seconds": 1800, "approval_timeout_seconds": 900})
    draft = repo.save_draft("INC-P", 1, {"text": "An update.", "closing": False})
    drafted = datetime.fromisoformat(str(draft["created_at"]))
    draft_id = str(draft["draft_id"])
    assert tasks.approval_pending(_deps(repo, drafted), "INC-P", draft_id) == {"pending": True}
    repo.park_for_approval("INC-P", draft_id, "token")
    soon = drafted + timedelta(minutes=5)
    assert tasks.approval_pending(_deps(repo, soon), "INC-P", draft_id) == {"pending": True}
    # Past the approval timeout plus two ticks the poll ends even if nobody decided.
    bound = drafted + timedelta(seconds=900 + 2 * ACK_TICK_SECONDS)
    assert tasks.approval_pending(_deps(repo, bound), "INC-P", draft_id) == {"pending": False}
    repo.decide_draft("INC-P", draft_id, "APPROVED", decided_by="alice")
    assert tasks.approval_pending(_deps(repo, soon), "INC-P", draft_id) == {"pending": False}


def test_newcomers_are_answered_beside_the_approval_wait() -> None:
    states = json.loads((ROOT / "workflows" / "incident.asl.json").read_text())["States"]
    assert states["DraftUpdate"]["Next"] == "AwaitApproval"
    parallel = states["AwaitApproval"]
    assert parallel["Type"] == "Parallel" and "Retry" not in parallel
    commander, newcomers = parallel["Branches"]
    assert commander["StartAt"] == "Approval"
    assert commander["States"]["Approval"]["Next"] == "PublishUpdate"
    loop = newcomers["States"]
    assert loop["WaitDuringApproval"]["SecondsPath"] == "$.schedule.tick_seconds"
    assert loop["WaitDuringApproval"]["Next"] == "AcknowledgeDuringApproval"
    assert loop["AcknowledgeDuringApproval"]["Next"] == "HandOffDuringApproval"
    assert loop["HandOffDuringApproval"]["Next"] == "ApprovalPending"
    choice = loop[loop["ApprovalPending"]["Next"]]
    assert [c["Next"] for c in choice["Choices"]] == ["WaitDuringApproval"]
    assert loop[choice["Default"]]["Type"] == "Succeed"
    assert parallel["Catch"][0]["Next"] == "RecordFailure"
