"""The demo prints the states path with repeated loop turns folded (no network)."""

from __future__ import annotations

from crisisdesk_local.demo import compress_path

LOOP = ["WaitDuringApproval", "AcknowledgeDuringApproval", "ApprovalPending", "Still?"]


def test_a_loop_that_ticked_many_times_is_written_once_with_its_count() -> None:
    path = ["DraftUpdate", "AwaitApproval", *LOOP * 21, "PublishUpdate", "CheckStatus"]
    assert compress_path(path) == [
        "DraftUpdate",
        "AwaitApproval",
        "(WaitDuringApproval > AcknowledgeDuringApproval > ApprovalPending > Still?) x21",
        "PublishUpdate",
        "CheckStatus",
    ]


def test_single_repeats_and_unrepeated_paths() -> None:
    assert compress_path(["A", "A", "A", "B"]) == ["A x3", "B"]
    assert compress_path(["A", "B", "C", "A"]) == ["A", "B", "C", "A"]
    assert compress_path([]) == []
