"""The intake queue."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from crisisdesk.aws.errors import QueueUnavailable

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class IntakeQueue:
    """Sends normalised feedback events to SQS, ten per request."""

    def __init__(self, url: str, client: SQSClient) -> None:
        self.url = url
        self._client = client

    def send_events(self, events: Sequence[Mapping[str, Any]]) -> None:
        """Enqueue every event; raise QueueUnavailable unless all were accepted."""
        for start in range(0, len(events), 10):
            chunk = events[start : start + 10]
            entries: list[Any] = [
                {"Id": str(i), "MessageBody": json.dumps(e, separators=(",", ":"))}
                for i, e in enumerate(chunk)
            ]
            try:
                resp = self._client.send_message_batch(QueueUrl=self.url, Entries=entries)
            except (ClientError, BotoCoreError) as e:
                raise QueueUnavailable(f"intake queue refused the batch: {e}") from e
            failed = resp.get("Failed", [])
            if failed:
                codes = ", ".join(f.get("Code", "?") for f in failed)
                raise QueueUnavailable(f"{len(failed)} event(s) not queued: {codes}")
