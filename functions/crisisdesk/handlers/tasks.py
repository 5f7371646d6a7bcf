"""One Lambda handler per workflow task. Events never get logged: they carry task tokens."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from crisisdesk.handlers.wiring import task_deps
from crisisdesk.incidents import tasks
from crisisdesk.incidents.errors import BadRequest

logger = Logger()

Handler = Callable[[Mapping[str, Any], LambdaContext], Any]


def _field(event: Mapping[str, Any], name: str) -> Any:
    if name not in event:
        raise BadRequest(f"task event is missing '{name}'")
    return event[name]


def _task(fn: Callable[[Mapping[str, Any]], Any]) -> Handler:
    @logger.inject_lambda_context(log_event=False)
    def handler(event: Mapping[str, Any], context: LambdaContext) -> Any:
        owner = _field(event, "owner_id")
        logger.append_keys(owner_id=owner, task=fn.__name__)
        result = fn(event)
        logger.info("task done", extra={"result": result})
        return result

    handler.__name__ = fn.__name__
    return handler


@_task
def acknowledge(event: Mapping[str, Any]) -> dict[str, int]:
    """Acknowledge every attached item that needs a reply."""
    return tasks.acknowledge(task_deps(), event["owner_id"])


@_task
def private_handoff(event: Mapping[str, Any]) -> dict[str, int]:
    """Hand acknowledged conversations to a private channel."""
    return tasks.private_handoff(task_deps(), event["owner_id"])


@_task
def draft_update(event: Mapping[str, Any]) -> dict[str, Any]:
    """Draft this cycle's public update."""
    return tasks.draft_update_step(task_deps(), event["owner_id"], int(_field(event, "cycle")))


@_task
def request_approval(event: Mapping[str, Any]) -> dict[str, Any]:
    """Park the draft with its task token for the commander."""
    return tasks.request_approval(
        task_deps(),
        event["owner_id"],
        str(_field(event, "draft_id")),
        str(_field(event, "task_token")),
    )


@_task
def approval_timeout(event: Mapping[str, Any]) -> dict[str, Any]:
    """Apply the approval timeout policy."""
    return tasks.approval_timeout(task_deps(), event["owner_id"], str(_field(event, "draft_id")))


@_task
def publish_update(event: Mapping[str, Any]) -> dict[str, Any]:
    """Publish the approved update."""
    return tasks.publish_update(
        task_deps(),
        event["owner_id"],
        str(_field(event, "draft_id")),
        dict(_field(event, "approval")),
    )


@_task
def check_status(event: Mapping[str, Any]) -> dict[str, Any]:
    """Resolved yet, and when is the next update due (with "tick": is one due now; with
    "approval_pending": is that draft still waiting for the commander)."""
    if event.get("tick"):
        return tasks.update_due(task_deps(), event["owner_id"])
    if "approval_pending" in event:
        return tasks.approval_pending(
            task_deps(), event["owner_id"], str(event["approval_pending"])
        )
    return tasks.check_status(
        task_deps(),
        event["owner_id"],
        dict(_field(event, "schedule")),
        bool(event.get("closing", False)),
    )


@_task
def post_mortem(event: Mapping[str, Any]) -> dict[str, Any]:
    """Write the post-crisis review."""
    return tasks.post_mortem(task_deps(), event["owner_id"])


@_task
def close_case(event: Mapping[str, Any]) -> dict[str, Any]:
    """Close a care case."""
    return tasks.close_case(task_deps(), event["owner_id"])


@_task
def record_failure(event: Mapping[str, Any]) -> dict[str, Any]:
    """Record a failed step and alert the commander."""
    return tasks.record_failure(
        task_deps(),
        event["owner_id"],
        dict(_field(event, "error")),
        str(_field(event, "execution")),
    )
