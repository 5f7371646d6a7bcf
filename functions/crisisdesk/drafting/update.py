"""Public incident updates composed from the timeline: known, doing, committed, next update."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from crisisdesk.drafting._rng import rng
from crisisdesk.drafting.topics import SITUATION, normalise_category
from crisisdesk.guardrails import check_message
from crisisdesk.guardrails.model import Commitment

_HEAD = (
    "Update {n} on {s}:",
    "{brand} update {n} - {s}:",
    "Update {n} from {brand} on {s}:",
    "Latest on {s} (update {n}):",
)
_FIRST_HEAD = (
    "{brand}: we're aware of {s}.",
    "We're aware of {s} and we're sorry for the disruption.",
    "An update from {brand} on {s}:",
)
_KNOWN = ("What we know: {x}.", "Here's what we know: {x}.", "Known so far: {x}.")
_DOING = ("What we're doing: {x}.", "What our teams are doing: {x}.", "Right now: {x}.")
_COMMITTED = (
    "What we've committed to: {x}.",
    "Our commitments: {x}.",
    "Confirmed for affected customers: {x}.",
)
_NEXT = (
    "Next update by {t}.",
    "We'll post the next update by {t}.",
    "Our next update will be here by {t}.",
)
_NO_NEXT = (
    "We'll post another update as soon as we have more to share.",
    "We'll share more here as soon as we can.",
)
_CARE = (
    "We're sorry for the disruption and thank you for your patience.",
    "Thank you for bearing with us.",
    "We're sorry to everyone affected.",
    "",
)


def draft_update(
    *,
    brand: str,
    category: str,
    known: Sequence[str],
    actions: Sequence[str],
    commitments: Sequence[Commitment],
    next_update_at: datetime | None,
    update_number: int,
    seed: str,
    max_chars: int | None = None,
) -> str:
    """Compose a public update; timeline items that would fail the guardrails are left out."""
    approved = [c for c in commitments if c.approved and c.text.strip()]
    cat = normalise_category(category)
    r = rng(seed, "update")
    situation = r.choice(SITUATION[cat])
    brand_name = brand.strip() or "Our team"
    safe_known = _safe_items(known, approved)
    safe_actions = _safe_items(actions, approved)
    safe_commit = [_clean(c.text) for c in approved if _passes(_clean(c.text), approved)]

    head_options = _FIRST_HEAD if update_number <= 1 else _HEAD
    head = r.choice(head_options).format(n=update_number, s=situation, brand=brand_name)
    known_t, doing_t, commit_t = r.choice(_KNOWN), r.choice(_DOING), r.choice(_COMMITTED)
    care = r.choice(_CARE)
    tail = r.choice(_NEXT).format(t=_when(next_update_at)) if next_update_at else r.choice(_NO_NEXT)

    # Drop items from the end until the update fits; the head and the next-update line always stay.
    lists = [safe_known, safe_actions, safe_commit]
    while True:
        body = [head]
        for template, items in zip((known_t, doing_t, commit_t), lists, strict=True):
            if items:
                body.append(template.format(x="; ".join(items)))
        text = " ".join(p for p in (*body, care, tail) if p)
        if max_chars is None or len(text) <= max_chars or not any(lists):
            break
        longest = max(lists, key=len)
        longest.pop()
    if not _passes(text, approved):
        text = " ".join(p for p in (head, tail) if p)
    return text


def _clean(item: str) -> str:
    return " ".join(item.split()).rstrip(" .;")


def _lower_first(item: str) -> str:
    # Keep acronyms and proper nouns ("ATC", "Heathrow") as written.
    if len(item) > 1 and item[0].isupper() and item[1].islower():
        return item[0].lower() + item[1:]
    return item


def _safe_items(items: Sequence[str], approved: Sequence[Commitment]) -> list[str]:
    out = []
    for raw in items:
        item = _clean(raw)
        if item and _passes(item, approved):
            out.append(_lower_first(item))
    return out


def _passes(text: str, approved: Sequence[Commitment]) -> bool:
    return check_message(text, channel="public", commitments=approved).allowed


def _when(at: datetime) -> str:
    utc = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{utc:%H:%M} UTC on {utc:%a} {utc.day} {utc:%b}"
