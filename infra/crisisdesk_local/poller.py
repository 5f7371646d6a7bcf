"""Emulates the SQS event source mapping: batches, partial batch failures, redrive.

Messages a handler reports as failed (or all of a batch whose handler raised) are made
visible again after `retry_delay` seconds; moto's redrive policy moves a message to the
DLQ once its receive count passes maxReceiveCount, as SQS does.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Any

from crisisdesk_local.lambdas import FunctionRegistry
from crisisdesk_local.template import REGION, FunctionSpec, SqsEventSource

log = logging.getLogger("crisisdesk_local.poller")


class SqsPoller:
    """One poller thread per (function, queue) event source."""

    def __init__(
        self,
        sqs: Any,
        registry: FunctionRegistry,
        spec: FunctionSpec,
        source: SqsEventSource,
        queue_url: str,
        queue_arn: str,
        *,
        retry_delay: int = 1,
    ) -> None:
        self._sqs = sqs
        self._registry = registry
        self._spec = spec
        self._source = source
        self._queue_url = queue_url
        self._queue_arn = queue_arn
        self._retry_delay = retry_delay
        self._stop = threading.Event()
        self._busy = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"poll-{spec.logical_id}", daemon=True
        )
        self.batches = 0
        self.failures = 0

    def start(self) -> None:
        """Start polling in the background."""
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the batch in flight."""
        self._stop.set()
        self._thread.join(timeout)

    @property
    def busy(self) -> bool:
        """True while a batch is being handled."""
        return self._busy.is_set()

    def _receive(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        deadline = time.monotonic() + self._source.batching_window_seconds
        while len(messages) < self._source.batch_size and not self._stop.is_set():
            resp = self._sqs.receive_message(
                QueueUrl=self._queue_url,
                MaxNumberOfMessages=min(10, self._source.batch_size - len(messages)),
                WaitTimeSeconds=0 if messages else 1,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            got = resp.get("Messages", [])
            messages.extend(got)
            if not got or time.monotonic() >= deadline:
                break
        return messages

    def _event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                    "messageAttributes": m.get("MessageAttributes", {}),
                    "md5OfBody": hashlib.md5(m["Body"].encode(), usedforsecurity=False).hexdigest(),
                    "eventSource": "aws:sqs",
                    "eventSourceARN": self._queue_arn,
                    "awsRegion": REGION,
                }
                for m in messages
            ]
        }

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                messages = self._receive()
            except Exception as e:  # the endpoint going away at shutdown
                if not self._stop.is_set():
                    log.warning("receive failed: %s", e)
                    time.sleep(0.5)
                continue
            if not messages:
                continue
            self._busy.set()
            try:
                self._deliver(messages)
            finally:
                self._busy.clear()

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        self.batches += 1
        result, error_type = self._registry.invoke(self._spec, self._event(messages))
        by_id = {m["MessageId"]: m for m in messages}
        failed: set[str] = set()
        if error_type is not None:
            failed = set(by_id)
        elif self._source.report_batch_item_failures and isinstance(result, dict):
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
            unknown = failed - set(by_id)
            if unknown:  # Lambda treats an unknown identifier as a whole-batch failure
                failed = set(by_id)
        self.failures += len(failed)
        done = [m for mid, m in by_id.items() if mid not in failed]
        for i in range(0, len(done), 10):
            self._sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[
                    {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]}
                    for n, m in enumerate(done[i : i + 10])
                ],
            )
        for mid in failed:
            self._sqs.change_message_visibility(
                QueueUrl=self._queue_url,
                ReceiptHandle=by_id[mid]["ReceiptHandle"],
                VisibilityTimeout=self._retry_delay,
            )
