"""What an incident commander can see and do; shared by the API, the CLI and the dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from crisisdesk.aws.errors import ExecutionNotFound, TaskTokenExpired
from crisisdesk.aws.workflows import Workflows
from crisisdesk.guardrails import Commitment, check_message
from crisisdesk.incidents.errors import BadRequest, InvalidTransition
from crisisdesk.incidents.repo import CARE, CLOSED, INCIDENT, OPEN, RESOLVED, IncidentRepo
from crisisdesk.incidents.report import build_post_mortem
from crisisdesk.store.dynamo import Item

NOTE_CATEGORIES = ("note", "action", "root_cause", "action_item")
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
_HIDDEN = ("task_token", "pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")


def _public(item: Mapping[str, Any]) -> dict[str, Any]:
    """Drop keys and, above all, task tokens from what leaves the service."""
    return {k: v for k, v in item.items() if k not in _HIDDEN}


class Commander:
    """Commander actions over the incident records and the workflow."""

    def __init__(self, repo: IncidentRepo, workflows: Workflows) -> None:
        self._repo = repo
        self._wf = workflows

    def list_owners(self, kind: str = INCIDENT, limit: int = 100) -> list[dict[str, Any]]:
        """Incidents (or care cases), newest first, with any pending approval."""
        pending = {str(d["pk"])[4:] for d in self._repo.pending()}
        out = []
        for o in self._repo.list_owners(kind, limit):
            view = _public(o)
            view.pop("postmortem", None)
            view["approval_pending"] = o["id"] in pending
            out.append(view)
        return out

    def pending(self) -> list[dict[str, Any]]:
        """Every update waiting for approval."""
        return [_public(d) | {"incident": str(d["pk"])[4:]} for d in self._repo.pending()]

    def show(self, owner_id: str) -> dict[str, Any]:
        """Everything about one incident: state, workflow position, timeline and its check."""
        owner = self._repo.get(owner_id)
        workflow: dict[str, Any] = {"status": "NOT_STARTED"}
        if owner.get("execution_arn"):
            try:
                v = self._wf.describe(str(owner["execution_arn"]))
                workflow = {
                    "status": v.status,
                    "current_state": v.current_state,
                    "states_visited": list(v.states_visited),
                    "started_at": v.started_at,
                    "stopped_at": v.stopped_at,
                    "error": v.error,
                }
            except ExecutionNotFound:
                workflow = {"status": "MISSING"}
        # The timeline is read after the workflow: a finished workflow's entries are all in.
        timeline = self._repo.timeline(owner_id)
        chain = timeline.verify()
        return {
            "incident": _public(owner),
            "workflow": workflow,
            "drafts": [_public(d) for d in self._repo.drafts(owner_id)],
            "commitments": [_public(c) for c in self._repo.commitments(owner_id)],
            "held": self.held(owner_id),
            "timeline": [e.to_dict() for e in timeline.entries()],
            "chain": {
                "ok": chain.ok,
                "entries": chain.entries,
                "reason": chain.reason,
                "first_bad_seq": chain.first_bad_seq,
            },
        }

    def _open(self, owner_id: str) -> Item:
        owner = self._repo.get(owner_id)
        if owner.get("status") != OPEN:
            raise InvalidTransition(f"{owner_id} is {owner.get('status')}, not OPEN")
        return owner

    def approve(
        self, owner_id: str, by: str, text: str | None = None, override_reason: str | None = None
    ) -> dict[str, Any]:
        """Approve the pending update (optionally edited); blocked text needs an override reason."""
        draft = self._repo.pending_draft(owner_id)
        final = text if text is not None and text.strip() else str(draft["text"])
        commitments = [
            Commitment(id=str(c["id"]), text=str(c["text"]), approved=bool(c["approved"]))
            for c in self._repo.commitments(owner_id)
        ]
        check = check_message(final, channel="public", commitments=commitments)
        if not check.allowed and not override_reason:
            raise BadRequest(
                "the update fails the guardrails: "
                + "; ".join(v.message for v in check.violations)
                + " - edit it, or approve with an override reason"
            )
        draft_id = str(draft["draft_id"])
        output = {
            "approved_by": by,
            "text": final,
            "draft_id": draft_id,
            "override_reason": override_reason,
            "edited": final != draft["text"],
        }
        try:
            self._wf.send_success(str(draft["task_token"]), output)
        except TaskTokenExpired as e:
            raise InvalidTransition(f"update {draft_id} can no longer be approved: {e}") from e
        self._repo.decide_draft(owner_id, draft_id, "APPROVED", decided_by=by, final_text=final)
        self._repo.timeline(owner_id).append(
            "update_approved",
            {
                "draft_id": draft_id,
                "text": final,
                "edited": output["edited"],
                "guardrails": check.to_dict(),
                "override_reason": override_reason,
            },
            actor=by,
            idempotency_key=f"approved:{draft_id}",
        )
        return {"draft_id": draft_id, "approved_by": by, "text": final}

    def reject(self, owner_id: str, by: str, reason: str) -> dict[str, Any]:
        """Reject the pending update; the workflow drafts again next cycle."""
        if not reason.strip():
            raise BadRequest("a rejection needs a reason")
        draft = self._repo.pending_draft(owner_id)
        draft_id = str(draft["draft_id"])
        try:
            self._wf.send_failure(str(draft["task_token"]), "UpdateRejected", reason)
        except TaskTokenExpired as e:
            raise InvalidTransition(f"update {draft_id} can no longer be rejected: {e}") from e
        self._repo.decide_draft(owner_id, draft_id, "REJECTED", decided_by=by, reason=reason)
        self._repo.timeline(owner_id).append(
            "update_rejected",
            {"draft_id": draft_id, "reason": reason},
            actor=by,
            idempotency_key=f"rejected:{draft_id}",
        )
        return {"draft_id": draft_id, "rejected_by": by}

    def resolve(self, owner_id: str, by: str, summary: str) -> dict[str, Any]:
        """Mark resolved: the workflow publishes a closing update, then the post-mortem."""
        owner = self._open(owner_id)
        if not summary.strip():
            raise BadRequest("resolving needs a short public summary of the resolution")
        self._repo.update_owner(
            owner_id, status=RESOLVED, resolution_summary=summary, resolved_by=by
        )
        self._repo.release_slot(str(owner["brand"]), str(owner["topic"]), owner_id)
        self._repo.timeline(owner_id).append(
            "resolved", {"summary": summary}, actor=by, idempotency_key="resolved"
        )
        return {"incident": owner_id, "status": RESOLVED}

    def note(
        self, owner_id: str, by: str, text: str, category: str = "note", public: bool = False
    ) -> dict[str, Any]:
        """Append a note, action, root cause or action item to the timeline."""
        if category not in NOTE_CATEGORIES:
            raise BadRequest(f"category must be one of {', '.join(NOTE_CATEGORIES)}")
        if not text.strip():
            raise BadRequest("a note needs text")
        self._repo.get(owner_id)
        n = len(self._repo.timeline(owner_id).entries()) + 1
        entry = self._repo.timeline(owner_id).append(
            "note",
            {"text": text, "category": category, "public": public},
            actor=by,
            idempotency_key=f"note:{n}:{by}",
        )
        return entry.to_dict()

    def commit(self, owner_id: str, by: str, text: str) -> dict[str, Any]:
        """Record an approved commitment that public updates may then promise."""
        self._open(owner_id)
        if not text.strip():
            raise BadRequest("a commitment needs text")
        item = self._repo.add_commitment(owner_id, text, by, approved=True)
        self._repo.timeline(owner_id).append(
            "commitment_approved",
            {"id": item["id"], "text": text},
            actor=by,
            idempotency_key=f"commit:{item['id']}",
        )
        return _public(item)

    def escalate(self, owner_id: str, by: str, severity: str, reason: str) -> dict[str, Any]:
        """Change severity (and so the update cadence from the next cycle)."""
        owner = self._open(owner_id)
        if severity not in SEVERITIES:
            raise BadRequest(f"severity must be one of {', '.join(SEVERITIES)}")
        from crisisdesk.incidents.intake import cadence_for

        base = int(owner["base_cadence_seconds"])
        self._repo.update_owner(
            owner_id, severity=severity, cadence_seconds=cadence_for(severity, base)
        )
        self._repo.timeline(owner_id).append(
            "severity_changed",
            {"from": owner["severity"], "to": severity, "reason": reason},
            actor=by,
            idempotency_key=f"severity:{len(self._repo.timeline(owner_id).entries())}",
        )
        return {"incident": owner_id, "severity": severity}

    def closing_windows(
        self, now: datetime, within: timedelta = timedelta(hours=24)
    ) -> list[dict[str, Any]]:
        """Private-reply windows (Meta: 7 days per comment) closing soon, or closed, with
        no private message sent yet, across open incidents and care cases; earliest first."""
        horizon = (now + within).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        current = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        found = []
        for kind in (INCIDENT, CARE):
            for owner in self._repo.list_owners(kind, limit=1000):
                if owner.get("status") == CLOSED and kind == INCIDENT:
                    continue
                for link in self._repo.members(str(owner["id"])):
                    deadline = link.get("private_deadline")
                    if not deadline or link.get("handoff") == "sent" or deadline > horizon:
                        continue
                    found.append(
                        {
                            "incident": owner["id"],
                            "event_id": link["event_id"],
                            "to": link.get("author_handle"),
                            "deadline": deadline,
                            "state": "closed" if deadline <= current else "closing",
                            "handoff": link.get("handoff") or "not sent",
                        }
                    )
        return sorted(found, key=lambda w: str(w["deadline"]))

    def held(self, owner_id: str) -> list[dict[str, Any]]:
        """Messages the guardrails held for this owner, with their findings."""
        blocked = {
            str(e.data.get("message_key")): e.data
            for e in self._repo.timeline(owner_id).entries()
            if e.kind.endswith("_blocked") and "message_key" in e.data
        }
        out = []
        for link in self._repo.members(owner_id):
            for step, state in (("ack", link.get("reply")), ("handoff", link.get("handoff"))):
                if state == "held":
                    key = f"{step}:{owner_id}:{link['event_id']}"
                    found = blocked.get(key, {})
                    out.append(
                        {
                            "event_id": link["event_id"],
                            "step": step,
                            "message_key": key,
                            "to": link.get("author_handle"),
                            "draft": found.get("draft"),
                            "guardrails": found.get("guardrails"),
                        }
                    )
        return out

    def release(
        self,
        owner_id: str,
        event_id: str,
        step: str,
        by: str,
        text: str | None = None,
        override_reason: str | None = None,
    ) -> dict[str, Any]:
        """Approve a held message (optionally edited); it goes out with the next workflow step."""
        if step not in ("ack", "handoff"):
            raise BadRequest("step must be 'ack' or 'handoff'")
        owner = self._repo.get(owner_id)
        item = next(
            (h for h in self.held(owner_id) if h["event_id"] == event_id and h["step"] == step),
            None,
        )
        if item is None:
            raise InvalidTransition(f"no held {step} message for {event_id} on {owner_id}")
        final = text if text is not None and text.strip() else str(item["draft"] or "")
        link = next(m for m in self._repo.members(owner_id) if m["event_id"] == event_id)
        public = step == "ack"
        check = check_message(
            final,
            channel="public" if public else "private",
            recipient_handle=str(link.get("author_handle") or ""),
            case_reference=link.get("case_reference"),
        )
        if not check.allowed and not override_reason:
            raise BadRequest(
                "the message fails the guardrails: "
                + "; ".join(v.message for v in check.violations)
                + " - edit it, or approve with an override reason"
            )
        state = {"reply": "approved"} if public else {"handoff": "approved"}
        self._repo.mark_member(
            owner_id,
            link,
            **state,
            **{
                f"{step}_approved_text": final,
                f"{step}_approved_by": by,
                f"{step}_override_reason": override_reason,
            },
        )
        self._repo.timeline(owner_id).append(
            "held_message_approved",
            {
                "message_key": item["message_key"],
                "text": final,
                "guardrails": check.to_dict(),
                "override_reason": override_reason,
            },
            actor=by,
            idempotency_key=f"release:{item['message_key']}",
        )
        if owner.get("kind") != INCIDENT and owner.get("status") == CLOSED:
            # The case's workflow has ended: run the care workflow again to send it.
            self._wf.start(
                str(owner["state_machine_arn"]),
                f"{owner_id}-{step}-{event_id}".replace(":", "-")[:80],
                {"owner_id": owner_id, "kind": "care"},
            )
        elif owner.get("status") == CLOSED:
            raise InvalidTransition(f"{owner_id} is closed; reply on the platform directly")
        return {"message_key": item["message_key"], "approved_by": by, "text": final}

    def report(self, owner_id: str) -> dict[str, Any]:
        """The stored post-mortem, or a live draft of it while the incident runs."""
        owner = self._repo.get(owner_id)
        if owner.get("status") == CLOSED and owner.get("postmortem"):
            return dict(owner["postmortem"])
        return build_post_mortem(self._repo, owner_id) | {"draft": True}
