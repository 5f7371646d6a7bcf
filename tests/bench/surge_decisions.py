"""The surge rule on the whole 9-day airline file, in process (no webhooks, no workflows).

    .venv/bin/python -m tests.bench.surge_decisions

Runs every line through the same Intake code the classify Lambda runs (classifier, feedback
store, surge counters, correlation) on moto's DynamoDB in process, with workflow starts
recorded instead of executed. Prints incidents per brand per day, which labelled surges were
caught and how many minutes after they began, attached items vs. care cases, and how every
item that needs a response is owned (incident, care case) or recorded with a reason.
`tests.bench.replay_surges` runs the same file end to end through the local runtime.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import boto3
from moto import mock_aws

from crisisdesk.classify import load_classifier
from crisisdesk.config import ClassifySettings
from crisisdesk.incidents.intake import Intake
from crisisdesk.incidents.repo import IncidentRepo
from crisisdesk.replay import brand_account, read_items
from crisisdesk.store.dynamo import Table
from crisisdesk.webhooks.builders import x_payload_from_item
from crisisdesk.webhooks.normalise import normalise
from crisisdesk_local import moto_patches
from tests.bench.replay_surges import (
    DATA,
    SURGE_DAYS,
    first_opened,
    incidents_on,
    labelled_surge_start,
    print_per_day,
)

SETTINGS = ClassifySettings(
    table_name="t", idempotency_table_name="i", incident_state_machine_arn="arn:inc",
    care_state_machine_arn="arn:care", update_cadence_seconds=1800, approval_timeout_seconds=900)


class RecordingStarter:
    """Records workflow starts (name -> state machine)."""

    def __init__(self) -> None:
        self.started: dict[str, str] = {}

    def start(self, state_machine_arn: str, name: str, payload: Mapping[str, Any]) -> str:
        self.started[name] = state_machine_arn
        return f"{state_machine_arn}:{name}"


def _table() -> Table:
    client = boto3.client("dynamodb", region_name="us-east-1")
    attrs = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"]
    client.create_table(
        TableName="t", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attrs],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {"IndexName": g, "Projection": {"ProjectionType": "ALL"},
             "KeySchema": [{"AttributeName": f"{g}pk", "KeyType": "HASH"},
                           {"AttributeName": f"{g}sk", "KeyType": "RANGE"}]}
            for g in ("gsi1", "gsi2")])
    return Table("t", client)


def main() -> int:
    """Run and print the tables; exit 1 if a needs-response item has no owner or reason."""
    items = read_items(DATA)
    moto_patches.install()
    with mock_aws():
        repo = IncidentRepo(_table())
        starter = RecordingStarter()
        intake = Intake(repo, load_classifier(), starter, SETTINGS)
        t0 = time.monotonic()
        outcomes = []
        for item in items:
            payload = x_payload_from_item(item, for_user_id=brand_account(str(item["brand"])))
            for event in normalise("x", payload, received_at=datetime.now(UTC)):
                event["brand"] = item["brand"]
                outcomes.append((item, intake.process(event)))
        seconds = time.monotonic() - t0
        owners = {o: repo.get(o) for o in starter.started}

    incidents = [o for o in owners.values() if o["kind"] == "incident"]
    print(f"{len(outcomes)} events through Intake in {seconds:.0f}s "
          f"({len(outcomes) / seconds:.0f}/s, in process)")
    print_per_day(incidents, sorted({str(i["brand"]) for i in items}))
    print("\nlabelled surges:\n")
    print("| brand | day | surge began (labels, Pacific) | first item handled as part of an "
          "incident | minutes after | first incident opened that day | trigger | items "
          "attached that day |")
    print("|---|---|---|---|---|---|---|---|")
    for brand, day in SURGE_DAYS:
        start = labelled_surge_start(items, brand, day)
        covered = sorted(
            datetime.fromisoformat(str(i["created_at"])) for i, o in outcomes
            if i["brand"] == brand and o.disposition == "attached" and start is not None
            and datetime.fromisoformat(str(i["created_at"])) >= start)
        seen = (f"{covered[0]:%H:%M} | {(covered[0] - start).total_seconds() / 60:.0f}"
                if covered and start is not None else "never | -")
        found = first_opened(incidents, brand, day, start) if start is not None else None
        if found is None or start is None:
            print(f"| {brand} | {day} | {start} | {seen} | none | - | - |")
            continue
        first, opened, delta = found
        same_day = incidents_on(incidents, brand, day)
        attached = sum(int(i.get("feedback_count", 0)) for i in same_day)
        print(f"| {brand} | {day} | {start:%H:%M} | {seen} | "
              f"{opened.astimezone(start.tzinfo):%H:%M} ({delta:+.0f} min) | "
              f"{first['trigger']} | {attached} |")
    disp = Counter(o.disposition for _, o in outcomes)
    needs = [(i, o) for i, o in outcomes if o.disposition != "recorded" or o.owner_id]
    print(f"\ndispositions: {dict(disp)}")
    print(f"incidents: {len(incidents)}; care cases: "
          f"{sum(1 for o in owners.values() if o['kind'] == 'care')}")
    unowned = [o for _, o in outcomes if o.disposition not in ("attached", "care", "recorded")]
    print(f"items needing a response that got an owner (incident or care case): "
          f"{sum(1 for _, o in needs if o.owner_id)}; recorded with a reason: "
          f"{disp['recorded']}; without either: {len(unowned)}")
    return 1 if unowned else 0


if __name__ == "__main__":
    sys.exit(main())
