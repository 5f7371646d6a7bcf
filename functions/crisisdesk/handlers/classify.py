"""SQS batch handler: classify, store and route each feedback event (partial batch failures)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from crisisdesk.aws.workflows import Workflows
from crisisdesk.classify import load_classifier
from crisisdesk.config import ClassifySettings
from crisisdesk.handlers.wiring import _client, container_cache, repo
from crisisdesk.incidents.intake import Intake

logger = Logger()
metrics = Metrics()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.SQS)


@container_cache
def _pipeline() -> tuple[Callable[..., Any], IdempotencyConfig]:
    settings = ClassifySettings.from_env()
    intake = Intake(
        repo(settings.table_name), load_classifier(), Workflows(_client("stepfunctions")), settings
    )
    config = IdempotencyConfig(
        event_key_jmespath="event_id", expires_after_seconds=86400, raise_on_no_idempotency_key=True
    )
    persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table_name)

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="event", config=config, persistence_store=persistence
    )
    def process(event: Mapping[str, Any]) -> dict[str, Any]:
        outcome = intake.process(event)
        return {
            "event_id": outcome.event_id,
            "disposition": outcome.disposition,
            "owner_id": outcome.owner_id,
            "opened": outcome.opened,
        }

    return process, config


# Dispositions of the batch being processed, emitted as one metric each per batch.
_batch: Counter[str] = Counter()


def _record(record: SQSRecord) -> dict[str, Any]:
    process, _ = _pipeline()
    event = json.loads(record.body)
    result: dict[str, Any] = process(event=event)
    _batch[f"feedback_{result['disposition']}"] += 1
    _batch["owners_opened"] += int(bool(result["opened"]))
    return result


@tracer.capture_lambda_handler
@logger.inject_lambda_context(log_event=False)
def handler(event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Process the batch; failed records are reported back so only they are retried."""
    _, config = _pipeline()
    config.register_lambda_context(context)
    _batch.clear()
    response: dict[str, Any] = dict(
        process_partial_response(
            event=dict(event), record_handler=_record, processor=processor, context=context
        )
    )
    _batch["feedback_failed"] = len(response["batchItemFailures"])
    try:
        for name, n in _batch.items():
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=n)
        metrics.flush_metrics()
    finally:
        # With metrics disabled (local runs) flush keeps the set: never let it pile up.
        metrics.clear_metrics()
    return response
