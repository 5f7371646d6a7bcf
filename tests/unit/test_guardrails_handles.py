"""The recipient's own handle is never PII, whatever it looks like (seen in the demo replay)."""

from __future__ import annotations

import pytest

from crisisdesk.guardrails import check_message


@pytest.mark.parametrize("handle", ["VELO143", "9202010", "K7XQ2P", "JFK2LAX", "CD_ABC123"])
def test_recipient_handle_that_looks_like_a_code_or_number(handle: str) -> None:
    text = f"@{handle} We're sorry about the delay. Please send us a DM so we can help."
    assert check_message(text, channel="public", recipient_handle=handle).allowed


def test_other_handles_and_real_numbers_are_still_caught() -> None:
    r = check_message("@bob call 415 555 2671 or ask @VELO143", channel="public",
                      recipient_handle="bob")
    messages = [v.message for v in r.violations]
    assert "phone number" in messages
    assert any("VELO143" in m for m in messages)
