"""Guardrails every outgoing message must pass: PII, tone, promises and trolls.

`check_message` is the single entry point; senders refuse to post when `allowed` is false and
route the findings to the incident commander for approval. Tone and promises are checked by
the phrase rules and by a learned model (guardrails/learned.py): either one flags the reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from crisisdesk.guardrails import learned, pii, promises, tone
from crisisdesk.guardrails._text import normalise
from crisisdesk.guardrails.errors import GuardrailError, GuardrailInputError
from crisisdesk.guardrails.model import Commitment, GuardrailResult, Violation

__all__ = [
    "RULES",
    "Commitment",
    "GuardrailError",
    "GuardrailInputError",
    "GuardrailResult",
    "Violation",
    "check_message",
]

RULES: tuple[str, ...] = ("pii", "tone", "promise", "troll")
_CHANNELS = frozenset({"public", "private"})


def check_message(
    text: str,
    *,
    channel: Literal["public", "private"],
    commitments: Sequence[Commitment] = (),
    recipient_handle: str | None = None,
    brand_handles: Sequence[str] = (),
    recipient_flagged: bool = False,
    flag_reasons: Sequence[str] = (),
    case_reference: str | None = None,
    use_model: bool = True,
) -> GuardrailResult:
    """Check one outgoing message; raise GuardrailInputError for empty text or a bad channel.

    use_model=False runs the phrase rules alone (benchmarks compare the two); production
    callers leave it on. The model runs on public and private channels alike.
    """
    if channel not in _CHANNELS:
        raise GuardrailInputError(f"channel must be 'public' or 'private', not {channel!r}")
    if not isinstance(text, str) or not text.strip():
        raise GuardrailInputError("message text is empty")
    norm = normalise(text)
    violations: list[Violation] = []
    if recipient_flagged:
        reasons = ", ".join(r for r in flag_reasons if r) or "flagged by the classifier"
        violations.append(
            Violation(
                "troll",
                0,
                len(text),
                f"author flagged as troll/fake ({reasons}): record, do not reply",
            )
        )
    handles = [h for h in (recipient_handle, *brand_handles) if h]
    found_pii = pii.find(
        norm, channel=channel, allowed_handles=handles, case_reference=case_reference
    )
    violations.extend(found_pii)
    # A booking code like "ABCDEF" is capitals by nature: report it as PII, not as shouting.
    violations.extend(
        v
        for v in tone.find(norm)
        if not any(p.start <= v.start and v.end <= p.end for p in found_pii)
    )
    violations.extend(promises.find(norm, commitments))
    if use_model:
        # The model only adds what the rules missed: a rule's finding already blocks the
        # reply with a precise span, and skipping the model then keeps the check cheap.
        fired = {v.rule for v in violations}
        pending = [r for r in learned.MODEL_RULES if r not in fired]
        if pending:
            violations.extend(learned.load().find(norm, commitments, pending))
    violations.sort(key=lambda v: (v.start, v.end, RULES.index(v.rule)))
    return GuardrailResult(allowed=not violations, violations=tuple(violations))
