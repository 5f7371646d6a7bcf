"""Where an execution is, read from its history events (no network)."""

from __future__ import annotations

from typing import Any

from crisisdesk.aws.workflows import _current_state


def _enter(name: str, kind: str = "Task") -> dict[str, Any]:
    return {"type": f"{kind}StateEntered", "stateEnteredEventDetails": {"name": name}}


def _exit(name: str, kind: str = "Task") -> dict[str, Any]:
    return {"type": f"{kind}StateExited", "stateExitedEventDetails": {"name": name}}


def test_both_branches_of_a_parallel_are_shown_not_the_parallel() -> None:
    events = [
        _enter("DraftUpdate"), _exit("DraftUpdate"),
        _enter("AwaitApproval", "Parallel"),
        _enter("Approval"),
        _enter("WaitDuringApproval", "Wait"), _exit("WaitDuringApproval", "Wait"),
        _enter("AcknowledgeDuringApproval"), _exit("AcknowledgeDuringApproval"),
        _enter("WaitDuringApproval", "Wait"),
    ]
    assert _current_state(events) == "Approval + WaitDuringApproval"


def test_a_plain_loop_shows_its_one_state_and_a_fresh_parallel_itself() -> None:
    loop = [_enter("Wait", "Wait"), _exit("Wait", "Wait"), _enter("Ack"), _exit("Ack"),
            _enter("Wait", "Wait")]
    assert _current_state(loop) == "Wait"
    assert _current_state([_enter("AwaitApproval", "Parallel")]) == "AwaitApproval"
    assert _current_state([]) is None
