"""Incident, care-case and feedback records in the single table.

Keys: FB#<event id>/FB (feedback), INC#<id>/META (incident or care case),
MEM#<id>/<time>#<event id> (membership, with the reply state of each item),
TL#<id>/E#<seq>, K#<key>, HEAD (timeline, see crisisdesk.store.timeline),
INC#<id>/DRAFT#<cycle> (update drafts), INC#<id>/COMMIT#<n> (commitments),
OPEN#<brand>#<topic>/OPEN (the open-incident slot), RATE#<brand>[#<category>]/<bucket>.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from crisisdesk.incidents.errors import (
    DraftNotFound,
    IncidentNotFound,
    InvalidTransition,
    NothingPending,
)
from crisisdesk.incidents.ids import slug
from crisisdesk.store.dynamo import Item, Table
from crisisdesk.store.errors import ConditionFailed, ItemExists
from crisisdesk.store.timeline import Timeline

OPEN, RESOLVED, CLOSED = "OPEN", "RESOLVED", "CLOSED"
INCIDENT, CARE = "incident", "care"


def utcnow() -> str:
    """Wall-clock time, ISO 8601 UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _owner_pk(owner_id: str) -> str:
    return f"INC#{owner_id}"


class IncidentRepo:
    """Reads and writes incidents, care cases, feedback and drafts."""

    def __init__(self, table: Table, *, clock: Callable[[], str] = utcnow) -> None:
        self.table = table
        self._clock = clock

    # -- feedback ----------------------------------------------------------------------
    def record_feedback(
        self, event: Mapping[str, Any], classification: Mapping[str, Any], counters: list[str]
    ) -> bool:
        """Store a classified item once; count it in the surge buckets. False if already stored."""
        created = str(event["created_at"])
        item = {
            "pk": f"FB#{event['event_id']}",
            "sk": "FB",
            "event": dict(event),
            "classification": dict(classification),
            "brand": event["brand"],
            "created_at": created,
            "stored_at": self._clock(),
            "disposition": "pending",
            "gsi1pk": f"FEEDBACK#{slug(str(event['brand']))}",
            "gsi1sk": f"{created}#{event['event_id']}",
        }
        try:
            self.table.put_new_with_counters(item, [(pk, sk, "n") for pk, sk in _pairs(counters)])
        except ItemExists:
            return False
        return True

    def feedback(self, event_id: str) -> Item | None:
        """One feedback item."""
        return self.table.get(f"FB#{event_id}", "FB")

    def set_disposition(
        self, event_id: str, disposition: str, reason: str, owner_id: str | None = None
    ) -> None:
        """Record what became of an item: attached, care, acknowledged or a recorded reason."""
        values: dict[str, Any] = {
            "disposition": disposition,
            "disposition_reason": reason,
            "disposition_at": self._clock(),
        }
        if owner_id is not None:
            values["owner_id"] = owner_id
        self.table.update(f"FB#{event_id}", "FB", set_values=values)

    def counts(self, key: str, first_bucket: str) -> dict[str, int]:
        """Surge bucket counts of one counter key from first_bucket on."""
        out: dict[str, int] = {}
        for item in self.table.query(key, sk_from=first_bucket):
            out[str(item["sk"])] = int(item.get("n", 0))
        return out

    # -- owners (incidents and care cases) ---------------------------------------------
    def create_owner(self, owner: Mapping[str, Any]) -> bool:
        """Create an incident or care case once; False when it already exists."""
        item = {
            **owner,
            "pk": _owner_pk(str(owner["id"])),
            "sk": "META",
            "gsi1pk": "INCIDENTS" if owner["kind"] == INCIDENT else "CASES",
            "gsi1sk": f"{owner['opened_at']}#{owner['id']}",
        }
        try:
            self.table.put_new(item)
        except ItemExists:
            return False
        return True

    def get(self, owner_id: str) -> Item:
        """An incident or care case; IncidentNotFound when there is none."""
        item = self.table.get(_owner_pk(owner_id), "META")
        if item is None:
            raise IncidentNotFound(f"no incident or case {owner_id}")
        return item

    def list_owners(self, kind: str = INCIDENT, limit: int = 100) -> list[Item]:
        """Newest first."""
        part = "INCIDENTS" if kind == INCIDENT else "CASES"
        return list(self.table.query(part, index="gsi1", forward=False, limit=limit))

    def update_owner(self, owner_id: str, **values: Any) -> Item:
        """Set fields of an existing owner."""
        return self.table.update(_owner_pk(owner_id), "META", set_values=values)

    def timeline(self, owner_id: str) -> Timeline:
        """The owner's append-only timeline."""
        return Timeline(self.table, f"TL#{owner_id}")

    # -- correlation slot --------------------------------------------------------------
    def claim_slot(
        self, brand: str, topic: str, incident_id: str, event_time: str, until: str, oldest: str
    ) -> str:
        """Take the open-incident slot for brand+topic unless a live incident holds it.

        A slot is live until `until` (pushed on by related feedback), unless released or
        opened before `oldest`. Returns the id of the incident holding it afterwards.
        """
        pk = f"OPEN#{slug(brand)}#{topic}"
        try:
            self.table.put_if(
                {
                    "pk": pk,
                    "sk": "OPEN",
                    "incident_id": incident_id,
                    "opened": event_time,
                    "until": until,
                    "released": False,
                },
                "attribute_not_exists(pk) OR #u < :now OR #r = :t OR #o < :oldest",
                {":now": event_time, ":t": True, ":oldest": oldest},
                names={"#u": "until", "#r": "released", "#o": "opened"},
            )
        except ItemExists:
            holder = self.table.get(pk, "OPEN")
            if holder is None:  # released and removed between our write and read: try again
                return self.claim_slot(brand, topic, incident_id, event_time, until, oldest)
            return str(holder["incident_id"])
        return incident_id

    def live_incident(
        self, brand: str, topic: str, event_time: str, oldest: str
    ) -> tuple[str, str] | None:
        """(incident id, held until) of the incident holding brand+topic at event_time."""
        slot = self.table.get(f"OPEN#{slug(brand)}#{topic}", "OPEN")
        if (
            slot is None
            or slot.get("released")
            or str(slot["until"]) < event_time
            or str(slot.get("opened", event_time)) < oldest
        ):
            return None
        return str(slot["incident_id"]), str(slot["until"])

    def extend_slot(self, brand: str, topic: str, incident_id: str, until: str) -> None:
        """Keep the slot open while related feedback keeps arriving."""
        # A failed condition means another item already pushed it further, or the slot
        # moved on to a later incident: either way there is nothing to do.
        with contextlib.suppress(ConditionFailed):
            self.table.update(
                f"OPEN#{slug(brand)}#{topic}",
                "OPEN",
                set_values={"until": until},
                # #s0 is the first SET attribute, i.e. "until"
                condition="incident_id = :i AND #s0 < :u",
                condition_values={":i": incident_id, ":u": until},
            )

    def release_slot(self, brand: str, topic: str, incident_id: str) -> None:
        """Free the slot when its incident is resolved."""
        with contextlib.suppress(ConditionFailed):  # already held by a later incident
            self.table.update(
                f"OPEN#{slug(brand)}#{topic}",
                "OPEN",
                set_values={"released": True},
                condition="incident_id = :i",
                condition_values={":i": incident_id},
            )

    # -- membership --------------------------------------------------------------------
    def attach(
        self, owner_id: str, event: Mapping[str, Any], classification: Mapping[str, Any]
    ) -> bool:
        """Link a feedback item to its owner once; False when already linked."""
        try:
            self.table.put_new(
                {
                    "pk": f"MEM#{owner_id}",
                    "sk": f"{event['created_at']}#{event['event_id']}",
                    "event_id": event["event_id"],
                    "created_at": event["created_at"],
                    "author_id": event["author"]["id"],
                    "author_handle": event["author"].get("handle", ""),
                    "sentiment": classification.get("sentiment"),
                    "category": classification.get("category"),
                    "severity": classification.get("severity"),
                    "needs_response": bool(classification.get("needs_response")),
                    # Meta private replies close 7 days after the comment: the commander's
                    # window view reads this without loading every feedback item.
                    "private_deadline": (
                        (event.get("reply_target") or {}).get("private") or {}
                    ).get("deadline"),
                }
            )
        except ItemExists:
            return False
        self.table.update(
            _owner_pk(owner_id),
            "META",
            add={"feedback_count": 1},
            set_values={"last_activity_at": str(event["created_at"])},
        )
        return True

    def members(self, owner_id: str) -> Iterator[Item]:
        """Membership links of an owner, oldest first."""
        return self.table.query(f"MEM#{owner_id}")

    def mark_member(self, owner_id: str, link: Mapping[str, Any], **values: Any) -> None:
        """Record the reply state of one member (reply, handoff) on its link."""
        self.table.update(str(link["pk"]), str(link["sk"]), set_values=values)

    # -- drafts and approvals ----------------------------------------------------------
    def save_draft(self, owner_id: str, cycle: int, draft: Mapping[str, Any]) -> Item:
        """Store the draft of an update cycle once; a retried task gets the first one back."""
        sk = f"DRAFT#{cycle:04d}"
        item = {
            **draft,
            "pk": _owner_pk(owner_id),
            "sk": sk,
            "draft_id": sk[6:],
            "cycle": cycle,
            "status": "DRAFTED",
            "created_at": self._clock(),
        }
        try:
            self.table.put_new(item)
        except ItemExists:
            existing = self.table.get(_owner_pk(owner_id), sk)
            assert existing is not None
            return existing
        return item

    def draft(self, owner_id: str, draft_id: str) -> Item:
        """One draft; DraftNotFound if absent."""
        item = self.table.get(_owner_pk(owner_id), f"DRAFT#{draft_id}")
        if item is None:
            raise DraftNotFound(f"{owner_id} has no draft {draft_id}")
        return item

    def drafts(self, owner_id: str) -> list[Item]:
        """All drafts, in cycle order."""
        return list(self.table.query(_owner_pk(owner_id), sk_prefix="DRAFT#"))

    def park_for_approval(self, owner_id: str, draft_id: str, task_token: str) -> None:
        """Hold the workflow's task token on the draft; it shows in the pending-approval index."""
        self.table.update(
            _owner_pk(owner_id),
            f"DRAFT#{draft_id}",
            set_values={
                "status": "PENDING",
                "task_token": task_token,
                "gsi2pk": "PENDING",
                "gsi2sk": f"{self._clock()}#{owner_id}",
                "pending_since": self._clock(),
            },
        )

    def pending(self) -> list[Item]:
        """Every draft waiting for a commander, oldest first."""
        return list(self.table.query("PENDING", index="gsi2"))

    def pending_draft(self, owner_id: str) -> Item:
        """The owner's draft waiting for approval; NothingPending otherwise."""
        for d in reversed(self.drafts(owner_id)):
            if d.get("status") == "PENDING":
                return d
        raise NothingPending(f"{owner_id} has no update waiting for approval")

    def decide_draft(self, owner_id: str, draft_id: str, status: str, **values: Any) -> Item:
        """Move a pending draft to APPROVED/REJECTED/LAPSED exactly once."""
        try:
            # Only a draft still holding its task token is pending: decided exactly once.
            return self.table.update(
                _owner_pk(owner_id),
                f"DRAFT#{draft_id}",
                set_values={"status": status, "decided_at": self._clock(), **values},
                remove=("gsi2pk", "gsi2sk", "task_token"),
                condition="attribute_exists(task_token)",
            )
        except ConditionFailed as e:
            raise InvalidTransition(f"update {draft_id} of {owner_id} is no longer pending") from e

    def mark_draft(self, owner_id: str, draft_id: str, **values: Any) -> Item:
        """Set fields of a draft (publication result)."""
        return self.table.update(_owner_pk(owner_id), f"DRAFT#{draft_id}", set_values=values)

    # -- commitments -------------------------------------------------------------------
    def commitments(self, owner_id: str) -> list[Item]:
        """Commitments recorded on an incident."""
        return list(self.table.query(_owner_pk(owner_id), sk_prefix="COMMIT#"))

    def add_commitment(self, owner_id: str, text: str, by: str, approved: bool) -> Item:
        """Record a commitment (approved by the commander who adds it, or proposed)."""
        n = len(self.commitments(owner_id)) + 1
        item = {
            "pk": _owner_pk(owner_id),
            "sk": f"COMMIT#{n:04d}",
            "id": f"C{n}",
            "text": text,
            "approved": approved,
            "by": by,
            "at": self._clock(),
        }
        self.table.put_new(item)
        return item


def _pairs(counters: list[str]) -> Iterator[tuple[str, str]]:
    for c in counters:
        pk, sk = c.split("|", 1)
        yield pk, sk
