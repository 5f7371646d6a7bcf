"""Private handoff: a private message with the case reference and a public note pointing to it."""

from __future__ import annotations

import re

from crisisdesk.drafting._rng import handle, rng
from crisisdesk.guardrails import check_message
from crisisdesk.guardrails.errors import GuardrailInputError

CASE_REFERENCE = re.compile(r"^CD-[A-Z0-9]{6}$")

# Where the conversation continues, per platform channel.
_ROUTE = {
    "x_dm": ("this DM", "reply to this DM"),
    "meta_private_reply": ("this private conversation", "reply to this message"),
    "messenger": ("Messenger", "reply here in Messenger"),
    "none": ("our support team", "contact our support team through the help centre on our website"),
}

_PRIVATE_OPEN = (
    "Hi, thanks for continuing the conversation here.",
    "Hello, thanks for getting in touch with us privately.",
    "Hi there, we've picked up your message from our public reply.",
    "Thanks for bearing with us - we'd like to help with this directly.",
    "Hello again, and thanks for your patience.",
)
_PRIVATE_REF = (
    "Your case reference is {ref}.",
    "We've opened case {ref} for you.",
    "We've logged this under case reference {ref}.",
    "Your reference for this is {ref}.",
)
_PRIVATE_ASK = (
    "When you're ready, please {route} with a short summary of what happened.",
    "Please {route} with the details, and a member of our team will pick it up.",
    "To move things forward, {route} and tell us a little more about what happened.",
    "You can {route} at any time; please quote {ref} if you contact us another way.",
    "Just {route} with anything you'd like to add and our team will review it.",
)
_PRIVATE_CLOSE = (
    "Please don't post personal details publicly.",
    "We'll keep you updated in this conversation.",
    "Thanks again for telling us.",
    "",
)

_PUBLIC_NOTE = {
    "x_dm": (
        "{h} We've sent you a DM so we can pick this up privately.",
        "{h} We've just sent you a DM - let's continue there.",
        "{h} Thanks, we've messaged you privately. Please check your DMs.",
        "{h} We've followed up by DM so we can help with the details.",
    ),
    "meta_private_reply": (
        "{h} We've sent you a private message so we can look into this.",
        "{h} Thanks, we've replied privately - please check your messages.",
        "{h} We've messaged you privately so we can go through the details.",
    ),
    "messenger": (
        "{h} We've sent you a message on Messenger so we can help privately.",
        "{h} Please check Messenger - we've sent you a message.",
        "{h} We've followed up on Messenger so we can go through the details.",
    ),
    "none": (
        "{h} We'd like to look into this privately. Please contact our support team via "
        "the help centre on our website.",
        "{h} So we can help with the details, please reach our support team through the "
        "help centre on our website.",
        "{h} Please get in touch with our support team via our website's help centre so we "
        "can follow up privately.",
    ),
}


def draft_handoff(
    *, author_handle: str, case_reference: str, channel: str, seed: str
) -> tuple[str, str]:
    """Return (private message carrying the case reference, short public note with no PII)."""
    ref = case_reference.strip().upper()
    if not CASE_REFERENCE.match(ref):
        raise GuardrailInputError(
            f"case reference must look like CD-7K2M9Q, not {case_reference!r}"
        )
    route_key = channel if channel in _ROUTE else "none"
    _, route = _ROUTE[route_key]
    h = handle(author_handle)
    for attempt in range(8):
        r = rng(f"{seed}#{attempt}", "handoff")
        private = " ".join(
            p
            for p in (
                r.choice(_PRIVATE_OPEN),
                r.choice(_PRIVATE_REF).format(ref=ref),
                r.choice(_PRIVATE_ASK).format(route=route, ref=ref),
                r.choice(_PRIVATE_CLOSE),
            )
            if p
        )
        public = r.choice(_PUBLIC_NOTE[route_key]).format(h=h).strip()
        if (
            check_message(private, channel="private", case_reference=ref).allowed
            and check_message(public, channel="public", recipient_handle=h or None).allowed
        ):
            return private, public
    return (
        f"Your case reference is {ref}. Please {route} with the details.",
        f"{h} We'd like to help with this privately.".strip(),
    )


def draft_care_close(*, author_handle: str, case_reference: str | None = None, seed: str) -> str:
    """Draft a private closing message for a resolved case."""
    r = rng(seed, "close")
    opener = r.choice(
        (
            "Thanks for bearing with us while we looked into this.",
            "Thank you for your patience throughout.",
            "Thanks for working through this with us.",
        )
    )
    ref = f" We're closing case {case_reference.upper()}." if case_reference else ""
    tail = r.choice(
        (
            "If anything else comes up, just reply to this message.",
            "If you need us again, reply here at any time.",
            "You can reply here whenever you need us.",
        )
    )
    draft = f"{opener}{ref} {tail}"
    if check_message(draft, channel="private", case_reference=case_reference).allowed:
        return draft
    return "Thank you for your patience. If you need us again, reply here at any time."
