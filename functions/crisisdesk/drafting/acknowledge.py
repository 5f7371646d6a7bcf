"""Public acknowledgements: personalised, empathetic, one apology, and an offer to go private."""

from __future__ import annotations

from crisisdesk.drafting._rng import handle, rng
from crisisdesk.drafting.topics import normalise_category, problem_phrase
from crisisdesk.guardrails import check_message

X_MAX_CHARS = 280

_GREETINGS = (
    "{h}",
    "Hi {h},",
    "Hi {h} -",
    "Hello {h},",
    "Hey {h},",
    "{h} Thanks for reaching out.",
    "{h} Thanks for telling us.",
    "{h} Thank you for flagging this.",
    "Thanks for getting in touch, {h}.",
)

# Each opener names the problem once and apologises once; no grovelling.
_OPENERS = (
    "We're sorry about {p}.",
    "Sorry to hear about {p}.",
    "We're really sorry about {p}.",
    "I'm sorry about {p}.",
    "Apologies for {p}.",
    "That's not the experience we want for you, and we're sorry about {p}.",
    "We're sorry - {p} is not what you should have to deal with.",
    "Sorry about {p}; we can see why you're frustrated.",
    "We understand how frustrating {p} is, and we're sorry.",
    "Thanks for your patience with {p} - we're sorry it's happened.",
)

_EMPATHY: dict[str, tuple[str, ...]] = {
    "delays_cancellations": (
        "We know how much that disrupts your plans.",
        "That's a stressful way to travel.",
        "Waiting around with no clear news is hard.",
        "We know your time matters.",
    ),
    "baggage": (
        "Being without your things is stressful.",
        "We know how much you need your belongings.",
        "That's a worrying situation to be in.",
    ),
    "booking_refunds": (
        "We know you want this settled.",
        "Sorting out a booking shouldn't be this hard.",
        "We understand you want clarity on this.",
    ),
    "staff_service": (
        "That isn't how we want anyone to be treated.",
        "You deserved better from us.",
        "We want to understand what happened.",
    ),
    "product_quality": (
        "That's disappointing when you've been looking forward to it.",
        "That's not the standard we aim for.",
        "We can see why you're let down.",
    ),
    "safety": (
        "We take safety concerns seriously.",
        "Safety comes first, so we want the details.",
        "Thank you for raising it with us.",
    ),
    "billing": (
        "Unexpected charges are worrying.",
        "We know money worries are stressful.",
        "We want to get to the bottom of it.",
    ),
    "website_app": (
        "We know how frustrating it is when our site or app lets you down.",
        "That's not the online experience we want for you.",
    ),
    "other": (
        "We'd like to understand what happened.",
        "Thanks for taking the time to tell us.",
        "We want to look into this properly.",
    ),
}

_OFFERS = (
    "Could you send us a DM so we can look into it?",
    "Please DM us and we'll look into it with you.",
    "Can you message us privately so we can help?",
    "Drop us a DM and we'll pick this up with you there.",
    "Please send us a direct message with a few details.",
    "Let's continue in DMs so we can look at the details safely.",
    "Mind sending us a DM? Please don't share personal details here.",
    "Send us a private message and our team will take a look.",
    "Could you pop us a DM so we can check a few details?",
    "We'd like to help in private - please send us a DM.",
    "Please DM us so we can go through it with you.",
    "If you DM us, we can look into this properly.",
)

_FALLBACK = "{h} We're sorry about this. Please send us a DM so we can look into it."


def draft_acknowledgement(*, author_handle: str, category: str, text: str, seed: str) -> str:
    """Draft a public acknowledgement naming the author's problem; fits an X reply (280 chars)."""
    h = handle(author_handle)
    cat = normalise_category(category)
    for attempt in range(8):
        r = rng(f"{seed}#{attempt}", "ack")
        phrase = problem_phrase(cat, text, r.randrange(1000))
        greeting = r.choice(_GREETINGS).format(h=h).strip()
        openers = [o for o in _OPENERS if not ("Thank" in greeting and o.startswith("Thanks"))]
        opener = r.choice(openers).format(p=phrase)
        parts = [greeting, _join_case(greeting, opener)]
        if r.random() < 0.6:
            parts.append(r.choice(_EMPATHY[cat]))
        parts.append(r.choice(_OFFERS))
        draft = _fit(parts, X_MAX_CHARS)
        if draft and _passes(draft, h):
            return draft
    return _FALLBACK.format(h=h).strip()


def _join_case(greeting: str, sentence: str) -> str:
    """Lower-case the opener after a comma greeting ("Hi @x, sorry ..."), except "I"."""
    if greeting.endswith(",") and not sentence.startswith(("I ", "I'")):
        return sentence[:1].lower() + sentence[1:]
    return sentence[:1].upper() + sentence[1:]


def _fit(parts: list[str], limit: int) -> str | None:
    """Join parts, dropping the optional empathy line if the reply would be too long."""
    draft = " ".join(p for p in parts if p)
    if len(draft) > limit and len(parts) == 4:
        draft = " ".join(p for i, p in enumerate(parts) if i != 2 and p)
    return draft if len(draft) <= limit else None


def _passes(draft: str, h: str) -> bool:
    return check_message(draft, channel="public", recipient_handle=h or None).allowed
