"""Task tokens never reach the logs, even at DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from crisisdesk.handlers import tasks as task_handlers
from crisisdesk.incidents.repo import IncidentRepo
from crisisdesk.incidents.tasks import TaskDeps
from crisisdesk.store.dynamo import Table

TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAT0pSecretTaskToken+abc/def=="


class _Alerts:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, subject: str, message: str) -> None:
        self.sent.append(subject + message)


class _Context:
    function_name = "crisisdesk-RequestApprovalFunction"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:x"
    memory_limit_in_mb = 512
    aws_request_id = "req-1"
    log_group_name = "/aws/lambda/x"
    log_stream_name = "s"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@pytest.fixture
def deps(monkeypatch: pytest.MonkeyPatch) -> Iterator[TaskDeps]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        attrs = ["pk", "sk", "gsi2pk", "gsi2sk"]
        client.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attrs],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[{
                "IndexName": "gsi2", "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "gsi2pk", "KeyType": "HASH"},
                              {"AttributeName": "gsi2sk", "KeyType": "RANGE"}]}])
        repo = IncidentRepo(Table("t", client))
        repo.create_owner({"id": "INC-1", "kind": "incident", "opened_at": "t", "title": "T",
                           "approval_timeout_seconds": 60})
        repo.save_draft("INC-1", 1, {"text": "update", "closing": False})
        d = TaskDeps(repo=repo, poster=None, alerts=_Alerts())  # type: ignore[arg-type]
        monkeypatch.setattr(task_handlers, "task_deps", lambda: d)
        yield d


def test_request_approval_never_logs_the_token(
    deps: TaskDeps, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # Our loggers at DEBUG (what LOG_LEVEL=DEBUG does); botocore keeps its own level.
    caplog.set_level(logging.DEBUG, logger="crisisdesk")
    task_handlers.logger.setLevel(logging.DEBUG)
    event: dict[str, Any] = {"owner_id": "INC-1", "kind": "incident", "draft_id": "0001",
                             "task_token": TOKEN}
    task_handlers.request_approval(event, _Context())  # type: ignore[arg-type]
    out = capfd.readouterr()
    assert TOKEN not in out.out + out.err + caplog.text
    assert "task done" in out.out + caplog.text  # the handler did log, just not the token
    assert all(TOKEN not in a for a in deps.alerts.sent)  # type: ignore[attr-defined]
    timeline = deps.repo.timeline("INC-1").entries()
    assert all(TOKEN not in str(e.data) for e in timeline)
    # the token is held only on the pending draft, for the commander's approval
    assert deps.repo.pending_draft("INC-1")["task_token"] == TOKEN
