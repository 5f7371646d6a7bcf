"""A platform rate limit pauses a task part-way; the rate-limit Retry resumes it (moto)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisisdesk.adapters.base import OutgoingMessage, PostResult
from crisisdesk.adapters.errors import RateLimited
from crisisdesk.classify import load_classifier
from crisisdesk.incidents import tasks
from crisisdesk.incidents.errors import RateLimitedTaskError
from crisisdesk.incidents.intake import Intake
from crisisdesk.incidents.repo import IncidentRepo
from tests.support import asl_states
from tests.unit.test_intake import SETTINGS, FakeStarter, _event, repo  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
# Task states whose Lambda posts to a platform (acknowledge, hand off, publish).
POSTING_FUNCTIONS = {
    "${AcknowledgeFunctionArn}",
    "${PrivateHandoffFunctionArn}",
    "${PublishUpdateFunctionArn}",
}


class WindowPoster:
    """Accepts `budget` posts, then answers like a platform whose window is used up."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.sent: list[str] = []

    def post(self, msg: OutgoingMessage) -> PostResult:
        if msg.idempotency_key in self.sent:
            raise AssertionError(f"posted twice: {msg.idempotency_key}")
        if len(self.sent) >= self.budget:
            raise RateLimited("429 Too Many Requests", reset_at=1_424_600_000.0)
        self.sent.append(msg.idempotency_key)
        return PostResult(f"m{len(self.sent)}", "sent", {}, "2015-02-22T12:30:00Z")


class Alerts:
    def send(self, subject: str, message: str) -> None:
        pass


def test_rate_limit_pauses_then_resumes_without_double_posting(repo: IncidentRepo) -> None:  # noqa: F811
    intake = Intake(repo, load_classifier(), FakeStarter(), SETTINGS)
    outcomes = [
        intake.process(_event(200 + i, f"@USAirways flight {i} delayed 4 hours then cancelled, "
                                       "stuck at the airport with no crew", minute=i))
        for i in range(25)
    ]
    inc = next(o.owner_id for o in outcomes if o.opened and str(o.owner_id).startswith("INC-"))
    poster = WindowPoster(budget=5)
    deps = tasks.TaskDeps(repo=repo, poster=poster, alerts=Alerts())

    with pytest.raises(RateLimitedTaskError):
        tasks.acknowledge(deps, str(inc))
    assert len(poster.sent) == 5
    kinds = [e.kind for e in repo.timeline(str(inc)).entries()]
    assert kinds.count("acknowledged") == 5 and "acknowledged_paused" in kinds

    poster.budget = 1_000  # the platform's window reset: the Retry runs the task again
    tasks.acknowledge(deps, str(inc))
    acked = [e for e in repo.timeline(str(inc)).entries() if e.kind == "acknowledged"]
    assert len(acked) == len(poster.sent) == len(set(poster.sent)) > 5


def test_every_posting_state_retries_rate_limits_on_a_slow_schedule() -> None:
    for path in (ROOT / "workflows").glob("*.asl.json"):
        for name, state, _ in asl_states(json.loads(path.read_text())):
            if state["Type"] != "Task":
                continue
            fn = state["Parameters"]["FunctionName"]
            retries = [
                r for r in state.get("Retry", []) if "RateLimitedTaskError" in r["ErrorEquals"]
            ]
            if fn in POSTING_FUNCTIONS:
                assert len(retries) == 1, (path.name, name)
                # A platform window is 15 minutes (X); this paces a surge over ~2 hours.
                assert retries[0]["IntervalSeconds"] * retries[0]["MaxAttempts"] >= 3600
            else:
                assert not retries, (path.name, name)
