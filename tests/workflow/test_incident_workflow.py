"""Executes workflows/incident.asl.json and care.asl.json as deployed (DefinitionSubstitutions
applied from template.yaml) with the real task handlers behind the Lambda front."""

from __future__ import annotations

import json
from typing import Any

import boto3

from crisisdesk.aws.workflows import Workflows
from crisisdesk.incidents.commander import Commander
from crisisdesk.incidents.repo import IncidentRepo
from crisisdesk.store.dynamo import Table
from crisisdesk_local.runtime import LocalRuntime
from tests.support import wait_until


def _repo(rt: LocalRuntime) -> IncidentRepo:
    return IncidentRepo(Table(rt.stack.physical_name("Table"), rt.client("dynamodb")))


# What the classifier says about a delay complaint that needs a reply.
DELAY: dict[str, Any] = {
    "sentiment": "negative",
    "category": "delays_cancellations",
    "severity": "SEV2",
    "needs_response": True,
    "troll_score": 0.0,
    "troll_reasons": [],
    "response_reason": "negative",
}


def _event(n: int, text: str, handle: str = "flyer") -> dict[str, Any]:
    return {
        "event_id": f"x:{1000 + n}",
        "platform": "x",
        "source": "x",
        "item_id": str(1000 + n),
        "kind": "post",
        "brand": "US Airways",
        "text": text,
        "author": {"id": f"u{n}", "handle": f"{handle}{n}", "followers": 120},
        "created_at": "2015-02-22T15:00:00Z",
        "in_reply_to": None,
        "reach": {"retweets": 0},
        "reply_target": {
            "platform": "x",
            "public_reply_to": str(1000 + n),
            "private": {"channel": "x_dm", "recipient_id": f"u{n}"},
        },
        "received_at": "2015-02-22T15:00:01Z",
    }


def _open_incident(
    rt: LocalRuntime, owner_id: str, *, n_items: int = 3, approval_timeout: int = 3
) -> str:
    """Write an incident the way intake does, then start the real state machine."""
    repo = _repo(rt)
    repo.create_owner(
        {
            "id": owner_id,
            "kind": "incident",
            "brand": "US Airways",
            "topic": "delays_cancellations",
            "category": "delays_cancellations",
            "severity": "SEV2",
            "status": "OPEN",
            "trigger": "test",
            "title": "US Airways: delays cancellations",
            "opened_at": "2026-01-01T00:00:00+00:00",
            "first_event_at": "2015-02-22T15:00:00Z",
            "anchor_event_id": "x:1000",
            "platform": "x",
            "cadence_seconds": 1,
            "base_cadence_seconds": 1,
            "approval_timeout_seconds": approval_timeout,
            "feedback_count": 0,
        }
    )
    for i in range(n_items):
        ev = _event(i, f"flight {i} cancelled again, stuck at the gate for hours")
        repo.record_feedback(ev, DELAY, [])
        repo.attach(owner_id, ev, DELAY)
    arn = rt.stack.ref("IncidentStateMachine")
    execution = Workflows(rt.client("stepfunctions")).start(
        arn,
        owner_id,
        {
            "owner_id": owner_id,
            "kind": "incident",
            "schedule": {
                "cycle": 1,
                "cadence_seconds": 1,
                "tick_seconds": 1,
                "approval_timeout_seconds": approval_timeout,
                "resolved": False,
            },
        },
    )
    repo.update_owner(owner_id, execution_arn=execution)
    return str(execution)


def _status(rt: LocalRuntime, arn: str) -> str:
    return str(rt.client("stepfunctions").describe_execution(executionArn=arn)["status"])


def _history_states(rt: LocalRuntime, arn: str) -> list[str]:
    events = rt.client("stepfunctions").get_execution_history(executionArn=arn, maxResults=1000)[
        "events"
    ]
    return [
        e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e
    ]


def _resolve_and_close(
    rt: LocalRuntime, cmd: Commander, owner_id: str, arn: str, by: str
) -> None:
    """Resolve, approve the closing update, and see the execution succeed."""
    repo = _repo(rt)
    cmd.resolve(owner_id, by, "Flights are back on schedule.")
    wait_until("the closing draft", lambda: (d := _pending(repo, owner_id)) and d["closing"], 30)
    cmd.approve(owner_id, by)
    wait_until("the execution to end", lambda: _status(rt, arn) != "RUNNING", 60)
    assert _status(rt, arn) == "SUCCEEDED"


def _pending(repo: IncidentRepo, owner_id: str) -> dict[str, Any] | None:
    return next((d for d in repo.drafts(owner_id) if d.get("status") == "PENDING"), None)


def test_happy_path_ack_handoff_approved_update_resolution_postmortem(
    runtime: LocalRuntime,
) -> None:
    repo = _repo(runtime)
    cmd = Commander(repo, Workflows(runtime.client("stepfunctions")))
    arn = _open_incident(runtime, "INC-HAPPY")
    wait_until("a pending draft", lambda: _pending(repo, "INC-HAPPY"), 30)
    cmd.approve("INC-HAPPY", "alice")
    wait_until(
        "publication",
        lambda: any(e.kind == "update_published" for e in repo.timeline("INC-HAPPY").entries()),
        30,
    )
    _resolve_and_close(runtime, cmd, "INC-HAPPY", arn, "alice")
    states = _history_states(runtime, arn)
    for name in (
        "Acknowledge",
        "PrivateHandoff",
        "WaitForNextUpdate",
        "DraftUpdate",
        "Approval",
        "PublishUpdate",
        "CheckStatus",
        "PostMortem",
    ):
        assert name in states
    kinds = [e.kind for e in repo.timeline("INC-HAPPY").entries()]
    assert kinds.count("acknowledged") == 3
    assert kinds.count("handed_off") == 3
    assert kinds.count("update_published") == 2  # the update and the closing update
    assert kinds[-1] == "postmortem_written"
    owner = repo.get("INC-HAPPY")
    assert owner["status"] == "CLOSED"
    assert owner["postmortem"]["answered_or_recorded"] == 3
    assert repo.timeline("INC-HAPPY").verify().ok
    published = [e for e in repo.timeline("INC-HAPPY").entries() if e.kind == "update_published"]
    assert all(
        e.data["approved_by"] == "alice" and e.data["guardrails"]["allowed"] for e in published
    )


def test_newcomers_are_answered_while_a_draft_waits_for_the_commander(
    runtime: LocalRuntime,
) -> None:
    repo = _repo(runtime)
    cmd = Commander(repo, Workflows(runtime.client("stepfunctions")))
    # A long approval window: the newcomer must not wait for the commander's decision.
    arn = _open_incident(runtime, "INC-WAIT", n_items=1, approval_timeout=120)
    first = wait_until("a pending draft", lambda: _pending(repo, "INC-WAIT"), 30)
    ev = _event(50, "been on hold 3 hours, my connection is gone too", handle="late")
    repo.record_feedback(ev, DELAY, [])
    repo.attach("INC-WAIT", ev, DELAY)

    def newcomer() -> dict[str, Any] | None:
        link = next(m for m in repo.members("INC-WAIT") if m["event_id"] == "x:1050")
        return link if link.get("handoff") == "sent" else None

    link = wait_until("the newcomer's acknowledgement and handoff", newcomer, 30)
    assert link["reply"] == "acknowledged"
    still = _pending(repo, "INC-WAIT")
    assert still is not None and still["draft_id"] == first["draft_id"]
    # The commander sees the approval wait, not whichever newcomer step ran last.
    where = Workflows(runtime.client("stepfunctions")).describe(arn).current_state
    assert where is not None and where.startswith("Approval + "), where

    # A rejection ends the branch without publishing; the loop drafts again.
    cmd.reject("INC-WAIT", "carol", "too vague")
    second = wait_until(
        "a second pending draft",
        lambda: (d := _pending(repo, "INC-WAIT")) and d["draft_id"] != first["draft_id"] and d,
        30,
    )
    cmd.approve("INC-WAIT", "carol")
    wait_until(
        "publication",
        lambda: any(
            e.kind == "update_published" and e.data["draft_id"] == second["draft_id"]
            for e in repo.timeline("INC-WAIT").entries()
        ),
        30,
    )
    _resolve_and_close(runtime, cmd, "INC-WAIT", arn, "carol")
    states = _history_states(runtime, arn)
    assert {"AcknowledgeDuringApproval", "UpdateRejected", "NewcomersAnswered"} <= set(states)
    kinds = [e.kind for e in repo.timeline("INC-WAIT").entries()]
    assert kinds.count("acknowledged") == kinds.count("handed_off") == 2
    assert not any(
        e.kind == "update_published" and e.data["draft_id"] == first["draft_id"]
        for e in repo.timeline("INC-WAIT").entries()
    )


def test_approval_timeout_skips_the_update_and_alerts_then_loops(runtime: LocalRuntime) -> None:
    repo = _repo(runtime)
    cmd = Commander(repo, Workflows(runtime.client("stepfunctions")))
    arn = _open_incident(runtime, "INC-LAPSE", n_items=1)
    wait_until(
        "a lapsed approval",
        lambda: any(e.kind == "approval_lapsed" for e in repo.timeline("INC-LAPSE").entries()),
        40,
    )
    lapsed = next(d for d in repo.drafts("INC-LAPSE") if d["status"] == "LAPSED")
    assert "task_token" not in lapsed
    # Nothing was published for the lapsed draft, and the loop drafted again.
    wait_until("a second draft", lambda: len(repo.drafts("INC-LAPSE")) >= 2, 30)
    assert not any(
        e.kind == "update_published" and e.data["draft_id"] == lapsed["draft_id"]
        for e in repo.timeline("INC-LAPSE").entries()
    )
    assert "ApprovalTimedOut" in _history_states(runtime, arn)
    cmd.resolve("INC-LAPSE", "bob", "Resolved.")
    wait_until("the end", lambda: _status(runtime, arn) != "RUNNING", 60)
    assert _status(runtime, arn) == "SUCCEEDED"


def test_a_failing_task_is_caught_recorded_and_the_execution_fails(
    runtime: LocalRuntime,
) -> None:
    # No incident record exists: Acknowledge raises IncidentNotFound (not retryable).
    arn = Workflows(runtime.client("stepfunctions")).start(
        runtime.stack.ref("IncidentStateMachine"),
        "INC-GHOST",
        {
            "owner_id": "INC-GHOST",
            "kind": "incident",
            "schedule": {
                "cycle": 1,
                "cadence_seconds": 1,
                "tick_seconds": 1,
                "approval_timeout_seconds": 3,
                "resolved": False,
            },
        },
    )
    wait_until("the execution to end", lambda: _status(runtime, arn) != "RUNNING", 30)
    desc = runtime.client("stepfunctions").describe_execution(executionArn=arn)
    assert desc["status"] == "FAILED"  # a Catch never turns a failure into SUCCEEDED
    assert desc["error"] == "WorkflowStepFailed"
    states = _history_states(runtime, arn)
    assert states[-2:] == ["RecordFailure", "WorkflowFailed"]
    entries = _repo(runtime).timeline("INC-GHOST").entries()
    assert [e.kind for e in entries] == ["step_failed"]
    assert entries[0].data["error"] == "IncidentNotFound"


def test_care_case_workflow_acknowledges_hands_off_and_closes(runtime: LocalRuntime) -> None:
    repo = _repo(runtime)
    repo.create_owner(
        {
            "id": "CASE-T1",
            "kind": "care",
            "brand": "US Airways",
            "topic": "baggage",
            "category": "baggage",
            "severity": "SEV3",
            "status": "OPEN",
            "trigger": "test",
            "title": "t",
            "opened_at": "2026-01-01T00:00:00+00:00",
            "anchor_event_id": "x:1099",
            "platform": "x",
            "cadence_seconds": 1,
            "approval_timeout_seconds": 3,
        }
    )
    ev = _event(99, "my bag never arrived in Boston")
    cls = {
        "sentiment": "negative",
        "category": "baggage",
        "severity": "SEV3",
        "needs_response": True,
        "troll_score": 0.0,
        "response_reason": "negative",
    }
    repo.record_feedback(ev, cls, [])
    repo.attach("CASE-T1", ev, cls)
    arn = Workflows(runtime.client("stepfunctions")).start(
        runtime.stack.ref("CareStateMachine"), "CASE-T1", {"owner_id": "CASE-T1", "kind": "care"}
    )
    wait_until("the case to close", lambda: _status(runtime, arn) != "RUNNING", 30)
    assert _status(runtime, arn) == "SUCCEEDED"
    kinds = [e.kind for e in repo.timeline("CASE-T1").entries()]
    assert kinds == ["acknowledged", "handed_off", "case_closed"]
    fb = repo.feedback("x:1099")
    assert fb is not None and fb["disposition"] == "acknowledged"
    assert [m["handoff"] for m in repo.members("CASE-T1")] == ["sent"]


def test_duplicate_start_with_the_same_name_is_harmless(runtime: LocalRuntime) -> None:
    wf = Workflows(runtime.client("stepfunctions"))
    payload = {"owner_id": "CASE-DUP", "kind": "care"}
    arn = runtime.stack.ref("CareStateMachine")
    first = wf.start(arn, "CASE-DUP", payload)
    second = wf.start(arn, "CASE-DUP", payload)
    assert first == second
    wait_until("end", lambda: _status(runtime, first) != "RUNNING", 30)
    names = [
        e["name"]
        for e in boto3.client(
            "stepfunctions",
            endpoint_url=runtime.endpoints.aws if runtime.endpoints else None,
            region_name="us-east-1",
        ).list_executions(stateMachineArn=arn)["executions"]
    ]
    assert names.count("CASE-DUP") == 1
    assert json.loads(json.dumps(payload)) == payload


def test_held_reply_waits_for_a_commander_then_goes_out_approved(runtime: LocalRuntime) -> None:
    from crisisdesk.guardrails import check_message
    from crisisdesk.incidents import tasks
    from crisisdesk.incidents.commander import Commander

    repo = _repo(runtime)
    cmd = Commander(repo, Workflows(runtime.client("stepfunctions")))
    arn = _open_incident(runtime, "INC-HELD", n_items=1)
    wait_until("the first acknowledgement", lambda: any(
        e.kind == "acknowledged" for e in repo.timeline("INC-HELD").entries()), 30)
    # A newcomer whose drafted reply the guardrails block (it leaks a phone number).
    ev = _event(50, "my flight was cancelled, call me")
    cls = {"sentiment": "negative", "category": "delays_cancellations", "severity": "SEV3",
           "needs_response": True, "troll_score": 0.0, "response_reason": "negative"}
    repo.record_feedback(ev, cls, [])
    repo.attach("INC-HELD", ev, cls)
    link = next(m for m in repo.members("INC-HELD") if m["event_id"] == "x:1050")
    draft = "@flyer50 sorry! call us on +1 415 555 2671 and we'll sort it"
    check = check_message(draft, channel="public", recipient_handle="flyer50")
    assert not check.allowed
    deps = tasks.TaskDeps(repo=repo, poster=None, alerts=_NoAlerts())
    tasks._hold_for_commander(deps, "INC-HELD", "ack:INC-HELD:x:1050", "acknowledgement",
                              draft, check, {"event_id": "x:1050", "to": "flyer50"})
    repo.mark_member("INC-HELD", link, reply="held")

    held = cmd.held("INC-HELD")
    assert [h["event_id"] for h in held] == ["x:1050"]
    try:
        cmd.release("INC-HELD", "x:1050", "ack", "carol")
        raise AssertionError("a blocked draft needs an edit or an override reason")
    except Exception as e:
        assert "guardrails" in str(e)
    cmd.release("INC-HELD", "x:1050", "ack", "carol",
                text="@flyer50 we're sorry about the cancellation. Please DM us so we can help.")
    sent = wait_until("the released reply to go out", lambda: next(
        (e for e in repo.timeline("INC-HELD").entries()
         if e.kind == "acknowledged" and e.data["event_id"] == "x:1050"), None), 30)
    assert sent.data["approved_by"] == "carol" and sent.data["released_from_hold"]
    kinds = [e.kind for e in repo.timeline("INC-HELD").entries()]
    assert kinds.index("acknowledgement_blocked") < kinds.index("held_message_approved")
    cmd.resolve("INC-HELD", "carol", "Resolved.")
    # Unapproved drafts lapse after 3 s, the closing one too: the workflow still ends.
    wait_until("the end", lambda: _status(runtime, arn) != "RUNNING", 60)
    assert _status(runtime, arn) == "SUCCEEDED"


class _NoAlerts:
    def send(self, subject: str, message: str) -> None:
        pass
