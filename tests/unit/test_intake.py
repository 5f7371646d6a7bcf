"""Intake: classify, store once, correlate into incidents or care cases (moto, no network)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import boto3
import pytest
from moto import mock_aws

from crisisdesk.classify import load_classifier
from crisisdesk.config import ClassifySettings
from crisisdesk.incidents.intake import Intake
from crisisdesk.incidents.repo import IncidentRepo
from crisisdesk.store.dynamo import Table

SETTINGS = ClassifySettings(
    table_name="t",
    idempotency_table_name="i",
    incident_state_machine_arn="arn:inc",
    care_state_machine_arn="arn:care",
    update_cadence_seconds=600,
    approval_timeout_seconds=300,
)


class FakeStarter:
    """Records starts; a repeated name is a no-op, like Step Functions with the same input."""

    def __init__(self) -> None:
        self.started: dict[str, tuple[str, Mapping[str, Any]]] = {}

    def start(self, state_machine_arn: str, name: str, payload: Mapping[str, Any]) -> str:
        if name in self.started:
            assert self.started[name] == (state_machine_arn, payload)
        self.started[name] = (state_machine_arn, payload)
        return f"{state_machine_arn}:{name}"


@pytest.fixture
def repo() -> Iterator[IncidentRepo]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        attrs = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"]
        client.create_table(
            TableName="t",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attrs],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": g,
                    "Projection": {"ProjectionType": "ALL"},
                    "KeySchema": [
                        {"AttributeName": f"{g}pk", "KeyType": "HASH"},
                        {"AttributeName": f"{g}sk", "KeyType": "RANGE"},
                    ],
                }
                for g in ("gsi1", "gsi2")
            ],
        )
        yield IncidentRepo(Table("t", client))


def _event(n: int, text: str, minute: int = 0) -> dict[str, Any]:
    return {
        "event_id": f"x:{n}",
        "platform": "x",
        "source": "x",
        "item_id": str(n),
        "kind": "post",
        "brand": "US Airways",
        "text": text,
        "author": {
            "id": f"u{n}",
            "handle": f"user{n}",
            "followers": 50,
            "account_created_at": "2012-01-01T00:00:00Z",
        },
        "created_at": f"2015-02-22T12:{minute:02d}:00Z",
        "in_reply_to": None,
        "reach": {},
        "reply_target": {
            "platform": "x",
            "public_reply_to": str(n),
            "private": {"channel": "x_dm", "recipient_id": f"u{n}"},
        },
        "received_at": "2015-02-22T12:00:01Z",
    }


def test_single_complaint_becomes_a_care_case(repo: IncidentRepo) -> None:
    starter = FakeStarter()
    out = Intake(repo, load_classifier(), starter, SETTINGS).process(
        _event(1, "@USAirways my bag did not arrive in Charlotte, nobody answers the phone")
    )
    assert out.disposition == "care" and out.owner_id and out.owner_id.startswith("CASE-")
    arn, payload = starter.started[out.owner_id]
    assert arn == "arn:care" and payload["owner_id"] == out.owner_id


def test_redelivery_is_stored_once_and_starts_nothing_new(repo: IncidentRepo) -> None:
    starter = FakeStarter()
    intake = Intake(repo, load_classifier(), starter, SETTINGS)
    ev = _event(2, "@USAirways flight cancelled and no rebooking, terrible")
    first = intake.process(ev)
    again = intake.process(ev)
    assert again.duplicate and again.owner_id == first.owner_id
    assert len(starter.started) == 1
    counts = repo.counts("RATE#us-airways", "2015-02-22T00:00")
    assert sum(counts.values()) == 1  # counted once


def test_positive_feedback_is_recorded_with_a_reason(repo: IncidentRepo) -> None:
    out = Intake(repo, load_classifier(), FakeStarter(), SETTINGS).process(
        _event(3, "@USAirways thank you, the crew was wonderful today!")
    )
    assert out.disposition == "recorded" and out.owner_id is None
    fb = repo.feedback("x:3")
    assert fb is not None and fb["disposition_reason"]


def test_surge_opens_one_incident_and_later_items_attach(repo: IncidentRepo) -> None:
    starter = FakeStarter()
    intake = Intake(repo, load_classifier(), starter, SETTINGS)
    outcomes = [
        intake.process(
            _event(
                100 + i,
                f"@USAirways flight {i} delayed 4 hours and then "
                "cancelled, no crew, stuck at the airport",
                minute=i,
            )
        )
        for i in range(30)
    ]
    opened = [o for o in outcomes if o.opened and o.owner_id and o.owner_id.startswith("INC-")]
    assert len(opened) == 1
    inc = opened[0].owner_id
    after = outcomes[outcomes.index(opened[0]) + 1 :]
    assert after and all(o.owner_id == inc and o.disposition == "attached" for o in after)
    assert repo.get(str(inc))["feedback_count"] == len(after) + 1
    assert starter.started[str(inc)][0] == "arn:inc"


def test_sev1_item_opens_an_incident_alone(repo: IncidentRepo) -> None:
    out = Intake(repo, load_classifier(), FakeStarter(), SETTINGS).process(
        _event(200, "@USAirways the engine caught fire and passengers were injured")
    )
    assert out.opened and out.owner_id and out.owner_id.startswith("INC-")
    assert repo.get(out.owner_id)["severity"] == "SEV1"


class FlakyStarter(FakeStarter):
    """Fails the first start, as a throttled or timed-out StartExecution would."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    def start(self, state_machine_arn: str, name: str, payload: Mapping[str, Any]) -> str:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("StartExecution timed out")
        return super().start(state_machine_arn, name, payload)


def test_a_crash_before_the_start_is_repaired_by_the_redelivery(repo: IncidentRepo) -> None:
    starter = FlakyStarter()
    intake = Intake(repo, load_classifier(), starter, SETTINGS)
    ev = _event(300, "@USAirways the engine caught fire and passengers were injured")
    with pytest.raises(RuntimeError):
        intake.process(ev)  # SQS will redeliver the message
    out = intake.process(ev)
    assert out.owner_id in starter.started
    assert repo.get(str(out.owner_id))["execution_arn"]
