"""The workflow's steps as plain functions: no Lambda, no Step Functions in here.

Every outgoing message goes draft -> guardrails -> Poster (outbox first, then the platform
adapter), and the timeline records for each one what was drafted, what the guardrails
found, who approved it and what the platform answered.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from crisisdesk.adapters.base import OutgoingMessage, PostResult
from crisisdesk.adapters.errors import (
    AdapterError,
    AmbiguousDelivery,
    NotDelivered,
    PermanentFailure,
    RateLimited,
    WindowClosed,
)
from crisisdesk.drafting import draft_acknowledgement, draft_handoff, draft_update
from crisisdesk.guardrails import Commitment, GuardrailResult, check_message
from crisisdesk.incidents.errors import (
    InvalidTransition,
    RateLimitedTaskError,
    RetryableTaskError,
)
from crisisdesk.incidents.ids import case_reference
from crisisdesk.incidents.repo import CLOSED, INCIDENT, RESOLVED, IncidentRepo
from crisisdesk.incidents.schedule import tick_for
from crisisdesk.store.errors import ConditionFailed

AUTO = "guardrails (automatic: no findings)"
TROLL_THRESHOLD = 0.5


class Sender(Protocol):
    """crisisdesk.adapters.poster.Poster."""

    def post(self, msg: OutgoingMessage) -> PostResult: ...


class Alerter(Protocol):
    """crisisdesk.aws.alerts.Alerts."""

    def send(self, subject: str, message: str) -> None: ...


@dataclass
class TaskDeps:
    """What every step needs."""

    repo: IncidentRepo
    poster: Sender
    alerts: Alerter
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


def _commitments(repo: IncidentRepo, owner_id: str) -> list[Commitment]:
    return [
        Commitment(id=str(c["id"]), text=str(c["text"]), approved=bool(c["approved"]))
        for c in repo.commitments(owner_id)
    ]


def _brand_handles(owner: Mapping[str, Any]) -> list[str]:
    brand = str(owner.get("brand", ""))
    return [brand, brand.replace(" ", "")]


def _is_troll(cls: Mapping[str, Any]) -> bool:
    return float(cls.get("troll_score", 0.0)) >= TROLL_THRESHOLD


def _send(
    deps: TaskDeps,
    owner_id: str,
    msg: OutgoingMessage,
    *,
    kind: str,
    check: GuardrailResult,
    approved_by: str,
    extra: Mapping[str, Any],
) -> bool:
    """Post one checked message and put the whole story on the timeline. True if delivered."""
    timeline = deps.repo.timeline(owner_id)
    record: dict[str, Any] = {
        **extra,
        "message_key": msg.idempotency_key,
        "channel": msg.kind,
        "platform": msg.platform,
        "in_reply_to": msg.in_reply_to,
        "draft": msg.text,
        "guardrails": check.to_dict(),
        "approved_by": approved_by,
    }
    try:
        result = deps.poster.post(msg)
    except AmbiguousDelivery as e:
        timeline.append(
            f"{kind}_ambiguous",
            {**record, "error": str(e)},
            actor="crisisdesk",
            idempotency_key=f"{msg.idempotency_key}:ambiguous",
        )
        deps.alerts.send(
            f"{owner_id}: check a post",
            f"Delivery of {msg.idempotency_key} is "
            "unknown; it is not retried until someone checks the platform.",
        )
        return False
    except (WindowClosed, PermanentFailure) as e:
        timeline.append(
            f"{kind}_failed",
            {**record, "error": str(e)},
            actor="crisisdesk",
            idempotency_key=f"{msg.idempotency_key}:failed",
        )
        deps.alerts.send(f"{owner_id}: message not delivered", f"{msg.idempotency_key}: {e}")
        return False
    except RateLimited as e:
        # Rate limited past what one invocation may wait: everything sent so far is marked,
        # and the workflow's rate-limit Retry comes back after the platform's window.
        timeline.append(
            f"{kind}_paused",
            {"message_key": msg.idempotency_key, "reason": str(e)},
            actor="crisisdesk",
            idempotency_key=f"{msg.idempotency_key}:paused:{e.reset_at or e.retry_after}",
        )
        raise RateLimitedTaskError(f"{msg.idempotency_key} rate limited: {e}") from e
    except NotDelivered as e:
        raise RetryableTaskError(f"{msg.idempotency_key} not delivered yet: {e}") from e
    except AdapterError as e:
        raise RetryableTaskError(f"{msg.idempotency_key}: {e}") from e
    record["platform_result"] = {
        "status": result.status,
        "id": result.platform_message_id,
        "sent_at": result.sent_at,
        "response": dict(result.response),
    }
    timeline.append(kind, record, actor="crisisdesk", idempotency_key=msg.idempotency_key)
    return True


def _hold_for_commander(
    deps: TaskDeps,
    owner_id: str,
    key: str,
    kind: str,
    text: str,
    check: GuardrailResult,
    extra: Mapping[str, Any],
) -> None:
    deps.repo.timeline(owner_id).append(
        f"{kind}_blocked",
        {
            **extra,
            "message_key": key,
            "draft": text,
            "guardrails": check.to_dict(),
            "held_for": "commander approval",
        },
        actor="guardrails",
        idempotency_key=f"{key}:blocked",
    )
    deps.alerts.send(
        f"{owner_id}: a reply needs approval",
        f"The guardrails blocked {key}; findings are on the timeline.",
    )


def _send_released(
    deps: TaskDeps, owner_id: str, link: Mapping[str, Any], event: Mapping[str, Any], *, kind: str
) -> bool:
    """Send a message the guardrails held and a commander then approved (maybe edited)."""
    step = "ack" if kind == "acknowledged" else "handoff"
    target = event["reply_target"]
    private = target.get("private") or {"channel": "none"}
    text = str(link[f"{step}_approved_text"])
    public = step == "ack" or private.get("channel", "none") == "none"
    handle = str(event["author"].get("handle") or "")
    check = check_message(
        text,
        channel="public" if public else "private",
        recipient_handle=handle,
        case_reference=link.get("case_reference"),
    )
    msg = OutgoingMessage(
        idempotency_key=f"{step}:{owner_id}:{event['event_id']}",
        platform=str(target["platform"]),
        kind="public_reply"
        if public
        else ("private_reply" if private.get("channel") == "meta_private_reply" else "dm"),
        text=text,
        in_reply_to=target.get("public_reply_to") if public else None,
        recipient_id=None if public else private.get("recipient_id"),
        comment_id=None if public else private.get("comment_id"),
        page_id=None if public else private.get("page_id"),
        deadline=None if public else private.get("deadline"),
    )
    return _send(
        deps,
        owner_id,
        msg,
        kind=kind,
        check=check,
        approved_by=str(link[f"{step}_approved_by"]),
        extra={
            "event_id": event["event_id"],
            "to": handle,
            "released_from_hold": True,
            "override_reason": link.get(f"{step}_override_reason"),
        },
    )


def acknowledge(deps: TaskDeps, owner_id: str) -> dict[str, int]:
    """Reply publicly to every attached item that needs it; record why for the rest.

    The reply state lives on each membership link, so a later cycle only reads the links
    and touches the newcomers.
    """
    repo = deps.repo
    owner = repo.get(owner_id)
    commitments = _commitments(repo, owner_id)
    links = list(repo.members(owner_id))
    seen_authors = {
        str(link["author_id"]): str(link["event_id"])
        for link in links
        if link.get("reply") == "acknowledged"
    }
    tally: Counter[str] = Counter()
    for link in links:
        released = link.get("reply") == "approved"  # held, then approved by a commander
        if (link.get("reply") and not released) or not link.get("needs_response"):
            continue
        event_id = str(link["event_id"])
        fb = repo.feedback(event_id)
        if fb is None:
            continue
        cls, event = fb["classification"], fb["event"]
        author = str(event["author"]["id"])
        if released:
            _send_released(deps, owner_id, link, event, kind="acknowledged")
            repo.set_disposition(event_id, "acknowledged", "acknowledgement approved", owner_id)
            repo.mark_member(owner_id, link, reply="acknowledged")
            seen_authors[author] = event_id
            tally["acknowledged"] += 1
            continue
        if _is_troll(cls):
            reason = "not engaged: " + ", ".join(cls.get("troll_reasons") or ["flagged account"])
            repo.set_disposition(event_id, "recorded", reason, owner_id)
            repo.timeline(owner_id).append(
                "not_engaged",
                {"event_id": event_id, "reason": reason, "troll_score": cls.get("troll_score")},
                actor="guardrails",
                idempotency_key=f"troll:{event_id}",
            )
            repo.mark_member(owner_id, link, reply="recorded")
            tally["recorded"] += 1
            continue
        if author in seen_authors:
            reason = f"same author already acknowledged on {seen_authors[author]}"
            repo.set_disposition(event_id, "recorded", reason, owner_id)
            repo.timeline(owner_id).append(
                "duplicate_author",
                {"event_id": event_id, "reason": reason},
                actor="crisisdesk",
                idempotency_key=f"dup:{event_id}",
            )
            repo.mark_member(owner_id, link, reply="recorded")
            tally["recorded"] += 1
            continue
        handle = str(event["author"].get("handle") or "")
        text = draft_acknowledgement(
            author_handle=handle,
            category=str(cls["category"]),
            text=str(event["text"]),
            seed=event_id,
        )
        check = check_message(
            text,
            channel="public",
            commitments=commitments,
            recipient_handle=handle,
            brand_handles=_brand_handles(owner),
            recipient_flagged=_is_troll(cls),
        )
        key = f"ack:{owner_id}:{event_id}"
        extra = {"event_id": event_id, "to": handle}
        if not check.allowed:
            _hold_for_commander(deps, owner_id, key, "acknowledgement", text, check, extra)
            repo.set_disposition(event_id, "held", "acknowledgement held for commander", owner_id)
            repo.mark_member(owner_id, link, reply="held")
            tally["held"] += 1
            continue
        target = event["reply_target"]
        msg = OutgoingMessage(
            idempotency_key=key,
            platform=str(target["platform"]),
            kind="public_reply",
            text=text,
            in_reply_to=target.get("public_reply_to"),
        )
        if _send(
            deps, owner_id, msg, kind="acknowledged", check=check, approved_by=AUTO, extra=extra
        ):
            repo.set_disposition(event_id, "acknowledged", "public acknowledgement sent", owner_id)
            repo.mark_member(owner_id, link, reply="acknowledged")
            seen_authors[author] = event_id
            tally["acknowledged"] += 1
    return dict(tally)


def private_handoff(deps: TaskDeps, owner_id: str) -> dict[str, int]:
    """Take every acknowledged conversation to the platform's private channel."""
    repo = deps.repo
    owner = repo.get(owner_id)
    tally: Counter[str] = Counter()
    for link in repo.members(owner_id):
        released = link.get("handoff") == "approved"
        if link.get("reply") != "acknowledged" or (link.get("handoff") and not released):
            continue
        event_id = str(link["event_id"])
        fb = repo.feedback(event_id)
        if fb is None:
            continue
        event = fb["event"]
        if released:
            sent = _send_released(deps, owner_id, link, event, kind="handed_off")
            repo.mark_member(owner_id, link, handoff="sent" if sent else "failed")
            tally["handed_off" if sent else "failed"] += 1
            continue
        handle = str(event["author"].get("handle") or "")
        private = event["reply_target"].get("private") or {"channel": "none"}
        channel = str(private.get("channel", "none"))
        ref = case_reference(owner_id, event_id)
        private_text, public_note = draft_handoff(
            author_handle=handle, case_reference=ref, channel=channel, seed=event_id
        )
        extra = {"event_id": event_id, "to": handle, "case_reference": ref}
        if channel == "none":
            # No private channel on this platform: the public note gives the contact route.
            text, kind_ = public_note, "public_reply"
            check = check_message(
                public_note,
                channel="public",
                recipient_handle=handle,
                brand_handles=_brand_handles(owner),
            )
        else:
            text = private_text
            kind_ = "private_reply" if channel == "meta_private_reply" else "dm"
            check = check_message(
                private_text,
                channel="private",
                recipient_handle=handle,
                brand_handles=_brand_handles(owner),
                case_reference=ref,
            )
        key = f"handoff:{owner_id}:{event_id}"
        if not check.allowed:
            _hold_for_commander(deps, owner_id, key, "handoff", text, check, extra)
            repo.mark_member(owner_id, link, handoff="held", case_reference=ref)
            tally["held"] += 1
            continue
        msg = OutgoingMessage(
            idempotency_key=key,
            platform=str(event["reply_target"]["platform"]),
            kind=kind_,
            text=text,
            in_reply_to=event["reply_target"].get("public_reply_to") if channel == "none" else None,
            recipient_id=private.get("recipient_id"),
            comment_id=private.get("comment_id"),
            page_id=private.get("page_id"),
            deadline=private.get("deadline"),
        )
        sent = _send(
            deps, owner_id, msg, kind="handed_off", check=check, approved_by=AUTO, extra=extra
        )
        repo.mark_member(owner_id, link, handoff="sent" if sent else "failed", case_reference=ref)
        tally["handed_off" if sent else "failed"] += 1
    return dict(tally)


def _facts(deps: TaskDeps, owner: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    owner_id = str(owner["id"])
    entries = deps.repo.timeline(owner_id).entries()
    topic = str(owner.get("topic", "general"))
    about = (
        "problems with our service"
        if topic in ("general", "other")
        else (
            topic.replace("_", " and ")
            if topic == "delays_cancellations"
            else topic.replace("_", " ") + " problems"
        )
    )
    known = [f"we have heard from {int(owner.get('feedback_count', 0))} customers about {about}"]
    actions: list[str] = []
    for e in entries:
        if e.kind == "note" and e.data.get("public"):
            (actions if e.data.get("category") == "action" else known).append(str(e.data["text"]))
    if not actions:
        actions = ["our team is looking into it and replying to everyone who got in touch"]
    return known, actions


def draft_update_step(deps: TaskDeps, owner_id: str, cycle: int) -> dict[str, Any]:
    """Draft this cycle's public update (a closing one once resolved); check it."""
    repo = deps.repo
    owner = repo.get(owner_id)
    closing = owner.get("status") == RESOLVED
    commitments = _commitments(repo, owner_id)
    known, actions = _facts(deps, owner)
    if closing:
        known = [*known, "the issue is now resolved"]
        actions = [str(owner.get("resolution_summary") or "thank you for your patience")]
    nxt = None if closing else deps.now() + timedelta(seconds=int(owner["cadence_seconds"]))
    text = draft_update(
        brand=str(owner["brand"]),
        category=str(owner.get("category", "other")),
        known=known,
        actions=actions,
        commitments=commitments,
        next_update_at=nxt,
        update_number=cycle,
        seed=f"{owner_id}:{cycle}",
    )
    check = check_message(
        text, channel="public", commitments=commitments, brand_handles=_brand_handles(owner)
    )
    draft = repo.save_draft(
        owner_id,
        cycle,
        {
            "text": text,
            "closing": closing,
            "guardrails": check.to_dict(),
            "next_update_at": nxt.isoformat() if nxt else None,
        },
    )
    repo.timeline(owner_id).append(
        "update_drafted",
        {
            "draft_id": draft["draft_id"],
            "text": draft["text"],
            "closing": draft["closing"],
            "guardrails": draft["guardrails"],
        },
        actor="crisisdesk",
        idempotency_key=f"draft:{draft['draft_id']}",
    )
    return {"draft_id": str(draft["draft_id"]), "closing": bool(draft["closing"])}


def request_approval(
    deps: TaskDeps, owner_id: str, draft_id: str, task_token: str
) -> dict[str, Any]:
    """Park the draft with the workflow's task token until a commander decides."""
    repo = deps.repo
    draft = repo.draft(owner_id, draft_id)
    repo.park_for_approval(owner_id, draft_id, task_token)
    owner = repo.get(owner_id)
    repo.timeline(owner_id).append(
        "approval_requested",
        {
            "draft_id": draft_id,
            "timeout_seconds": owner["approval_timeout_seconds"],
            "guardrails": draft.get("guardrails"),
        },
        actor="crisisdesk",
        idempotency_key=f"approval:{draft_id}",
    )
    deps.alerts.send(
        f"{owner_id}: update {draft_id} awaits approval", f"{owner['title']}\n\n{draft['text']}"
    )
    return {"draft_id": draft_id}


def approval_timeout(deps: TaskDeps, owner_id: str, draft_id: str) -> dict[str, Any]:
    """Timeout policy: the draft is not published, the commander is alerted, the loop goes on."""
    # InvalidTransition: decided at the last moment; the timeline shows what happened.
    with contextlib.suppress(InvalidTransition):
        deps.repo.decide_draft(owner_id, draft_id, "LAPSED", decided_by="timeout")
    deps.repo.timeline(owner_id).append(
        "approval_lapsed",
        {
            "draft_id": draft_id,
            "policy": "not published; commander alerted; the next cycle drafts a fresh update",
        },
        actor="crisisdesk",
        idempotency_key=f"lapsed:{draft_id}",
    )
    deps.alerts.send(
        f"{owner_id}: update {draft_id} lapsed",
        "No commander approved the update in time; it was not published.",
    )
    return {"draft_id": draft_id, "published": False}


def publish_update(
    deps: TaskDeps, owner_id: str, draft_id: str, approval: Mapping[str, Any]
) -> dict[str, Any]:
    """Publish the approved text as a public post of the brand."""
    repo = deps.repo
    owner = repo.get(owner_id)
    draft = repo.draft(owner_id, draft_id)
    text = str(approval.get("text") or draft["text"])
    check = check_message(
        text,
        channel="public",
        commitments=_commitments(repo, owner_id),
        brand_handles=_brand_handles(owner),
    )
    approved_by = str(approval.get("approved_by") or "unknown")
    if not check.allowed and not approval.get("override_reason"):
        raise_text = "approved text fails the guardrails and carries no override reason"
        repo.timeline(owner_id).append(
            "update_blocked",
            {
                "draft_id": draft_id,
                "text": text,
                "guardrails": check.to_dict(),
                "approved_by": approved_by,
                "reason": raise_text,
            },
            actor="guardrails",
            idempotency_key=f"publish-blocked:{draft_id}",
        )
        return {"draft_id": draft_id, "published": False}
    anchor = repo.feedback(str(owner["anchor_event_id"]))
    platform = (
        str(anchor["event"]["reply_target"]["platform"]) if anchor else str(owner["platform"])
    )
    msg = OutgoingMessage(
        idempotency_key=f"update:{owner_id}:{draft_id}",
        platform=platform,
        kind="public_post",
        text=text,
    )
    extra = {"draft_id": draft_id, "override_reason": approval.get("override_reason")}
    sent = _send(
        deps,
        owner_id,
        msg,
        kind="update_published",
        check=check,
        approved_by=approved_by,
        extra=extra,
    )
    repo.mark_draft(owner_id, draft_id, status="PUBLISHED" if sent else "FAILED")
    if sent:
        repo.table.update(
            f"INC#{owner_id}",
            "META",
            add={"updates_published": 1},
            set_values={"last_update_at": deps.now().isoformat(timespec="seconds")},
        )
    return {"draft_id": draft_id, "published": sent}


def check_status(
    deps: TaskDeps, owner_id: str, schedule: Mapping[str, Any], closing: bool
) -> dict[str, Any]:
    """Resolved (and the closing update attempted)? When is the next update due?"""
    owner = deps.repo.get(owner_id)
    resolved = owner.get("status") == RESOLVED and bool(closing)
    # Once resolved, the closing update should not wait a whole cadence.
    cadence = 1 if owner.get("status") == RESOLVED else int(owner["cadence_seconds"])
    due = deps.now() + timedelta(seconds=cadence)
    if not resolved:
        deps.repo.update_owner(owner_id, next_update_at=due.isoformat(timespec="seconds"))
    return {
        "cycle": int(schedule.get("cycle", 1)) + 1,
        "cadence_seconds": cadence,
        "tick_seconds": tick_for(cadence),
        "approval_timeout_seconds": int(owner["approval_timeout_seconds"]),
        "resolved": resolved,
    }


def update_due(deps: TaskDeps, owner_id: str) -> dict[str, bool]:
    """Is a public update due at this tick? Yes once resolved or past next_update_at."""
    owner = deps.repo.get(owner_id)
    if owner.get("status") == RESOLVED:
        return {"update_due": True}
    nxt = owner.get("next_update_at")
    if nxt:
        due_at = datetime.fromisoformat(str(nxt))
    else:  # the first update: one cadence after the incident opened
        opened = datetime.fromisoformat(str(owner["opened_at"]))
        due_at = opened + timedelta(seconds=int(owner["cadence_seconds"]))
    return {"update_due": deps.now() >= due_at}


def approval_pending(deps: TaskDeps, owner_id: str, draft_id: str) -> dict[str, bool]:
    """Is the draft still waiting for the commander? Ends the newcomer loop beside the approval.

    Step Functions ends the approval wait at its timeout; the bound here (timeout plus two
    ticks from drafting) keeps this poll finite even if the draft was never parked.
    """
    repo = deps.repo
    draft = repo.draft(owner_id, draft_id)
    if draft.get("status") not in ("DRAFTED", "PENDING"):
        return {"pending": False}
    owner = repo.get(owner_id)
    limit = int(owner["approval_timeout_seconds"]) + 2 * tick_for(int(owner["cadence_seconds"]))
    drafted = datetime.fromisoformat(str(draft["created_at"]))
    return {"pending": deps.now() < drafted + timedelta(seconds=limit)}


def post_mortem(deps: TaskDeps, owner_id: str) -> dict[str, Any]:
    """Write the post-crisis review from the records and close the incident."""
    from crisisdesk.incidents.report import build_post_mortem

    repo = deps.repo
    report = build_post_mortem(repo, owner_id)
    repo.update_owner(
        owner_id,
        status=CLOSED,
        closed_at=deps.now().isoformat(timespec="seconds"),
        postmortem=report,
        next_update_at=None,
    )
    repo.timeline(owner_id).append(
        "postmortem_written",
        {"summary": report["summary"]},
        actor="crisisdesk",
        idempotency_key="postmortem",
    )
    return {"summary": report["summary"]}


def close_case(deps: TaskDeps, owner_id: str) -> dict[str, Any]:
    """Close a care case after its acknowledgement and handoff."""
    repo = deps.repo
    owner = repo.get(owner_id)
    if owner["kind"] == INCIDENT:
        raise ValueError(f"{owner_id} is an incident, not a care case")
    repo.update_owner(owner_id, status=CLOSED, closed_at=deps.now().isoformat(timespec="seconds"))
    repo.timeline(owner_id).append(
        "case_closed",
        {"note": "acknowledged and handed off"},
        actor="crisisdesk",
        idempotency_key="closed",
    )
    return {"closed": True}


def record_failure(
    deps: TaskDeps, owner_id: str, error: Mapping[str, Any], execution: str
) -> dict[str, Any]:
    """Put a failed step on the timeline and alert the commander (the execution then fails)."""
    err = str(error.get("Error", "unknown"))
    cause = str(error.get("Cause", ""))[:2000]
    deps.repo.timeline(owner_id).append(
        "step_failed",
        {"error": err, "cause": cause, "execution": execution},
        actor="workflow",
        idempotency_key=f"failed:{execution}",
    )
    # The owner record may be exactly what was missing; the timeline entry above stands.
    with contextlib.suppress(ConditionFailed):
        deps.repo.update_owner(owner_id, workflow_failed=True)
    deps.alerts.send(f"{owner_id}: workflow step failed", f"{err}: {cause[:500]}")
    return {"recorded": True}
