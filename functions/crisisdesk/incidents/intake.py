"""From one normalised feedback event to a stored, classified item with an owner.

Every step is idempotent, so a redelivered SQS message or a retried batch converges on the
same records: the feedback write is conditional, the owner ids are deterministic, and the
workflow start uses the owner id as the execution name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from crisisdesk.classify import AuthorActivity, Classifier, FeedbackInput
from crisisdesk.config import ClassifySettings
from crisisdesk.incidents import surge
from crisisdesk.incidents.ids import case_id, incident_id, slug
from crisisdesk.incidents.repo import CARE, INCIDENT, OPEN, IncidentRepo, utcnow
from crisisdesk.incidents.schedule import tick_for

_SEVERITY_RANK = {"SEV1": 1, "SEV2": 2, "SEV3": 3, "SEV4": 4}
_WS = re.compile(r"\s+")


class Starter(Protocol):
    """Starts a workflow execution (crisisdesk.aws.workflows.Workflows)."""

    def start(self, state_machine_arn: str, name: str, payload: Mapping[str, Any]) -> str: ...


@dataclass(frozen=True)
class IntakeOutcome:
    """What happened to one event."""

    event_id: str
    duplicate: bool
    disposition: str
    owner_id: str | None
    opened: bool


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _iso(ts: datetime) -> str:
    """Event-time format of FeedbackEvents ("...Z", seconds): compares correctly as text."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cadence_for(severity: str, base_seconds: int) -> int:
    """Public-update cadence: SEV1 twice as often as the base, SEV2 at the base, else 2x."""
    factor = {"SEV1": 0.5, "SEV2": 1.0}.get(severity, 2.0)
    return max(1, int(base_seconds * factor))


def text_key(text: str) -> str:
    """Key of a normalised text, for copy-paste flood counting."""
    norm = _WS.sub(" ", re.sub(r"@\w+|https?://\S+", "", text.lower())).strip()
    return hashlib.sha256(norm.encode()).hexdigest()[:24]


def feedback_input(event: Mapping[str, Any]) -> FeedbackInput:
    """The classifier's view of a normalised event."""
    author = event.get("author", {})
    reach = event.get("reach", {})
    return FeedbackInput(
        text=str(event["text"]),
        id=str(event["event_id"]),
        author=author.get("handle"),
        brand=str(event.get("brand_name") or event["brand"]),
        created_at=str(event["created_at"]),
        followers=author.get("followers"),
        following=author.get("following"),
        statuses=author.get("statuses"),
        account_created_at=author.get("account_created_at"),
        default_profile_image=author.get("default_profile_image"),
        verified=author.get("verified"),
        retweets=reach.get("retweets"),
    )


class Intake:
    """Classify, store, correlate and start workflows."""

    def __init__(
        self,
        repo: IncidentRepo,
        classifier: Classifier,
        starter: Starter,
        settings: ClassifySettings,
    ) -> None:
        self._repo = repo
        self._classifier = classifier
        self._starter = starter
        self._settings = settings

    def _activity(self, event: Mapping[str, Any], first_window_bucket: str) -> AuthorActivity:
        author_key = f"AUTHOR#{event['platform']}#{event['author']['id']}"
        posts = self._repo.counts(author_key, first_window_bucket)
        same = self._repo.counts(f"TEXT#{text_key(str(event['text']))}", first_window_bucket)
        return AuthorActivity(
            posts_last_hour=sum(posts.values()),
            identical_text_recent=sum(same.values()),
        )

    def process(self, event: Mapping[str, Any]) -> IntakeOutcome:
        """Handle one event end to end; safe to call again with the same event."""
        event_id = str(event["event_id"])
        at = _parse(str(event["created_at"]))
        baseline_start, window_start, bucket = surge.bucket_range(at)
        existing = self._repo.feedback(event_id)
        if existing is not None:
            if existing.get("disposition") != "pending":
                return IntakeOutcome(
                    event_id, True, str(existing["disposition"]), existing.get("owner_id"), False
                )
            cls: dict[str, Any] = dict(existing["classification"])
        else:
            result = self._classifier.classify(
                feedback_input(event), self._activity(event, window_start)
            )
            cls = result.to_dict()
            brand = slug(str(event["brand"]))
            counters = [
                f"AUTHOR#{event['platform']}#{event['author']['id']}|{bucket}",
                f"TEXT#{text_key(str(event['text']))}|{bucket}",
            ]
            if cls["needs_response"] and cls["sentiment"] == "negative":
                counters += [f"RATE#{brand}|{bucket}", f"RATE#{brand}#{cls['category']}|{bucket}"]
            if not self._repo.record_feedback(event, cls, counters):
                return self.process(event)  # a concurrent delivery stored it first
        return self._route(event, cls, baseline_start, window_start)

    def _route(
        self,
        event: Mapping[str, Any],
        cls: Mapping[str, Any],
        baseline_start: str,
        window_start: str,
    ) -> IntakeOutcome:
        event_id = str(event["event_id"])
        if not cls["needs_response"]:
            self._repo.set_disposition(event_id, "recorded", str(cls["response_reason"]))
            return IntakeOutcome(event_id, False, "recorded", None, False)
        brand, category = str(event["brand"]), str(cls["category"])
        event_time = str(event["created_at"])
        until = _iso(_parse(event_time) + surge.ATTACH_WINDOW)
        oldest = _iso(_parse(event_time) - surge.MAX_INCIDENT_SPAN)
        for topic in (category, "general"):
            live = self._repo.live_incident(brand, topic, event_time, oldest)
            if live is not None:
                live_id, held_until = live
                self._repo.attach(live_id, event, cls)
                # Push the slot's expiry only when it has used up half its window: one
                # write per half window instead of one per item.
                if held_until < _iso(_parse(event_time) + surge.ATTACH_WINDOW / 2):
                    self._repo.extend_slot(brand, topic, live_id, until)
                self._raise_severity(live_id, str(cls["severity"]))
                self._repo.set_disposition(event_id, "attached", f"part of {live_id}", live_id)
                return IntakeOutcome(event_id, False, "attached", live_id, False)

        b = slug(brand)
        decision = surge.decide(
            severity=str(cls["severity"]),
            category=category,
            brand_counts=self._repo.counts(f"RATE#{b}", baseline_start),
            category_counts=self._repo.counts(f"RATE#{b}#{category}", baseline_start),
            window_start=window_start,
        )
        if decision.open:
            new_id = incident_id(brand, decision.topic, event_id)
            holder = self._repo.claim_slot(
                brand, decision.topic, new_id, event_time, until, oldest
            )
            if holder != new_id:
                self._repo.attach(holder, event, cls)
                self._repo.set_disposition(event_id, "attached", f"part of {holder}", holder)
                return IntakeOutcome(event_id, False, "attached", holder, False)
            self._open(new_id, INCIDENT, event, cls, topic=decision.topic, trigger=decision.reason)
            self._repo.set_disposition(event_id, "attached", f"opened {new_id}", new_id)
            return IntakeOutcome(event_id, False, "attached", new_id, True)

        new_id = case_id(event_id)
        self._open(new_id, CARE, event, cls, topic=category, trigger="individual complaint")
        self._repo.set_disposition(event_id, "care", f"care case {new_id}", new_id)
        return IntakeOutcome(event_id, False, "care", new_id, True)

    def _open(
        self,
        owner_id: str,
        kind: str,
        event: Mapping[str, Any],
        cls: Mapping[str, Any],
        *,
        topic: str,
        trigger: str,
    ) -> None:
        severity = str(cls["severity"])
        arn = (
            self._settings.incident_state_machine_arn
            if kind == INCIDENT
            else self._settings.care_state_machine_arn
        )
        cadence = cadence_for(severity, self._settings.update_cadence_seconds)
        self._repo.create_owner(
            {
                "id": owner_id,
                "kind": kind,
                "brand": event["brand"],
                "topic": topic,
                "category": cls["category"],
                "severity": severity,
                "status": OPEN,
                "trigger": trigger,
                "title": f"{event['brand']}: {topic.replace('_', ' ')}",
                "opened_at": utcnow(),
                "first_event_at": event["created_at"],
                "last_activity_at": event["created_at"],
                "anchor_event_id": event["event_id"],
                "platform": event["platform"],
                "cadence_seconds": cadence,
                "base_cadence_seconds": self._settings.update_cadence_seconds,
                "approval_timeout_seconds": self._settings.approval_timeout_seconds,
                "state_machine_arn": arn,
                "feedback_count": 0,
            }
        )
        self._repo.attach(owner_id, event, cls)
        self._repo.timeline(owner_id).append(
            "opened",
            {
                "kind": kind,
                "trigger": trigger,
                "severity": severity,
                "topic": topic,
                "first_event": event["event_id"],
            },
            actor="crisisdesk",
            idempotency_key="opened",
        )
        self._ensure_started(self._repo.get(owner_id))

    def _ensure_started(self, owner: Mapping[str, Any]) -> None:
        """Start the owner's workflow unless it is recorded as started.

        The input is built from the stored owner only, so a repeated start after a crash
        sends the same name and input: Step Functions treats it as the same execution.
        """
        if owner.get("execution_arn"):
            return
        owner_id = str(owner["id"])
        payload: dict[str, Any] = {"owner_id": owner_id, "kind": owner["kind"]}
        if owner["kind"] == INCIDENT:
            payload["schedule"] = {
                "cycle": 1,
                "cadence_seconds": int(owner["cadence_seconds"]),
                "tick_seconds": tick_for(int(owner["cadence_seconds"])),
                "approval_timeout_seconds": int(owner["approval_timeout_seconds"]),
                "resolved": False,
            }
        arn_started = self._starter.start(str(owner["state_machine_arn"]), owner_id, payload)
        self._repo.update_owner(owner_id, execution_arn=arn_started)

    def _raise_severity(self, owner_id: str, severity: str) -> None:
        owner = self._repo.get(owner_id)
        # An earlier delivery may have opened the incident and crashed before starting it.
        self._ensure_started(owner)
        current = str(owner.get("severity", "SEV4"))
        if _SEVERITY_RANK.get(severity, 4) < _SEVERITY_RANK.get(current, 4):
            self._repo.update_owner(owner_id, severity=severity)
            self._repo.timeline(owner_id).append(
                "severity_raised",
                {"from": current, "to": severity},
                actor="crisisdesk",
                idempotency_key=f"severity:{severity}",
            )
