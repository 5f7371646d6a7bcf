"""Unit tests for the learned tone/promise scorer and its wiring into check_message."""

from __future__ import annotations

import json

import pytest

from crisisdesk.guardrails import Commitment, check_message, learned
from crisisdesk.guardrails._text import normalise
from crisisdesk.guardrails.errors import GuardrailError


def model_rules(text: str, channel: str = "public", **kw: object) -> set[str]:
    """Rules that fired only because of the model (rules-only run subtracted)."""
    both = check_message(text, channel=channel, recipient_handle="cust", **kw).rules()  # type: ignore[arg-type]
    rules = check_message(
        text,
        channel=channel,  # type: ignore[arg-type]
        recipient_handle="cust",
        use_model=False,
        **kw,  # type: ignore[arg-type]
    ).rules()
    return set(both - rules)


def test_artifact_loads_small_and_cached() -> None:
    assert learned.ARTIFACT.exists()
    assert learned.ARTIFACT.stat().st_size <= 2_000_000
    model = learned.load()
    assert model is learned.load()
    assert set(model.rules) == {"tone", "promise"}
    data = json.loads(learned.ARTIFACT.read_text(encoding="utf-8"))
    assert data["format"] == learned.FORMAT
    assert "style" not in json.dumps(data["meta"])


def test_bad_artifact_rejected() -> None:
    with pytest.raises(GuardrailError):
        learned.ReplyModel({"format": "something-else"})


def test_features_normalise_handles_urls_numbers() -> None:
    assert learned.prepare("@Sam_J see https://x.io/a — it's £40 at 18:05") == (
        "_user_ see _url_ - it's £0 at 0"
    )
    words, chars = learned.grams("We'll refund you")
    assert {"we'll", "refund", "we'll refund"} <= words
    assert " we" in chars and "refun" in chars


@pytest.mark.parametrize(
    "text",
    [
        "@cust Everyone else on that train managed to get off at the right stop.",
        "@cust That sounds like a you problem rather than a bank problem.",
        "@cust Interesting that this only comes up after the sale ended.",
        "@cust We have no record of that call, so we can only assume it never took place.",
    ],
)
def test_clear_tone_flagged_by_model(text: str) -> None:
    res = check_message(text, channel="public", recipient_handle="cust")
    assert "tone" in res.rules()


@pytest.mark.parametrize(
    "text",
    [
        "@cust Your replacement should be with you by Monday.",
        "@cust We'll make it right with a credit on your next bill.",
        "@cust Your new router is on its way and will arrive tomorrow.",
    ],
)
def test_soft_promises_flagged(text: str) -> None:
    res = check_message(text, channel="public", recipient_handle="cust")
    assert "promise" in res.rules()


@pytest.mark.parametrize(
    "text",
    [
        "@cust Sorry about the delay. Please DM us and we'll look into it.",
        "@cust Thanks for letting us know. We've passed this to the team and will update you.",
        "@cust We're really sorry your flight was cancelled. Could you DM us your booking?",
        "@cust We don't have a time for the fix yet, but we'll keep you posted here.",
        "@cust Thank you for your patience today, it's appreciated.",
    ],
)
def test_good_replies_allowed(text: str) -> None:
    res = check_message(text, channel="public", recipient_handle="cust")
    assert res.allowed, res.violations


def test_model_runs_on_private_channel_too() -> None:
    text = "Everyone else on that train managed to get off at the right stop."
    assert "tone" in check_message(text, channel="private").rules()


def test_model_violation_span_and_message() -> None:
    text = "@cust Thanks for the photos. Honestly, most people manage to read the instructions."
    found = learned.load().find(normalise(text), rules=["tone"])
    assert len(found) == 1
    v = found[0]
    assert v.rule == "tone"
    assert 0 <= v.start < v.end <= len(text)
    assert "most people manage" in text[v.start : v.end]
    assert "Thanks for the photos" not in text[v.start : v.end]
    assert "model score" in v.message


def test_commitment_respected_by_model() -> None:
    text = "@cust Affected customers will get a £10 credit on their next bill."
    c_ok = Commitment("c1", "£10 credit on next bill for affected customers", True)
    c_no = Commitment("c1", "£10 credit on next bill for affected customers", False)
    model = learned.load()
    assert [v.rule for v in model.find(text, [c_no], rules=["promise"])] == ["promise"]
    assert model.find(text, [c_ok], rules=["promise"]) == []
    assert check_message(
        text, channel="public", recipient_handle="cust", commitments=[c_ok]
    ).allowed


def test_commitment_does_not_cover_other_promises() -> None:
    text = (
        "@cust Affected customers will get a £10 credit on their next bill. "
        "Your replacement should be with you by Monday."
    )
    ok = Commitment("c1", "£10 credit on next bill for affected customers", True)
    found = learned.load().find(normalise(text), [ok], rules=["promise"])
    assert [v.rule for v in found] == ["promise"]
    assert "Monday" in text[found[0].start : found[0].end]


def test_use_model_false_is_rules_only() -> None:
    text = "@cust Everyone else on that train managed to get off at the right stop."
    assert "tone" in model_rules(text)
    assert check_message(text, channel="public", recipient_handle="cust", use_model=False).allowed


def test_scores_are_deterministic_probabilities() -> None:
    model = learned.load()
    p1 = model.probability("@cust Calm down, it's only a delay.")
    p2 = model.probability("@cust Calm down, it's only a delay.")
    assert p1 == p2
    assert all(0.0 <= p <= 1.0 for p in p1.values())


def test_exonerating_and_communication_clauses_not_flagged_by_model() -> None:
    for text in (
        "@cust You're not to blame for this at all.",
        "@cust Our team will be in touch within the hour.",
        "Update 6: our next update will be here by 12:00 UTC on Fri 3 May.",
    ):
        assert check_message(text, channel="public", recipient_handle="cust").allowed, text
