"""Step Functions: start executions, answer task tokens, read where an execution is."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from crisisdesk.aws.errors import ExecutionNotFound, TaskTokenExpired, WorkflowError

if TYPE_CHECKING:
    from mypy_boto3_stepfunctions import SFNClient


def _code(e: ClientError) -> str:
    return str(e.response.get("Error", {}).get("Code", ""))


def execution_arn(state_machine_arn: str, name: str) -> str:
    """The ARN an execution of that name gets."""
    return state_machine_arn.replace(":stateMachine:", ":execution:") + f":{name}"


@dataclass(frozen=True)
class ExecutionView:
    """Where an execution is now."""

    status: str
    current_state: str | None
    states_visited: tuple[str, ...]
    started_at: str | None
    stopped_at: str | None
    error: str | None


class Workflows:
    """The few Step Functions calls crisisdesk makes."""

    def __init__(self, client: SFNClient) -> None:
        self._client = client

    def start(self, state_machine_arn: str, name: str, payload: Mapping[str, Any]) -> str:
        """Start an execution named `name`; an existing one of that name counts as started."""
        try:
            resp = self._client.start_execution(
                stateMachineArn=state_machine_arn,
                name=name,
                input=json.dumps(payload, sort_keys=True),
            )
            return resp["executionArn"]
        except ClientError as e:
            if _code(e) == "ExecutionAlreadyExists":
                return execution_arn(state_machine_arn, name)
            raise WorkflowError(f"cannot start {name}: {_code(e)}") from e
        except BotoCoreError as e:
            raise WorkflowError(f"cannot start {name}: {e}") from e

    def send_success(self, token: str, output: Mapping[str, Any]) -> None:
        """Resume a task waiting on this token."""
        self._answer("send_task_success", taskToken=token, output=json.dumps(output))

    def send_failure(self, token: str, error: str, cause: str) -> None:
        """Fail a task waiting on this token with a named error the ASL catches."""
        self._answer("send_task_failure", taskToken=token, error=error, cause=cause[:32000])

    def _answer(self, call: str, **kwargs: Any) -> None:
        try:
            getattr(self._client, call)(**kwargs)
        except ClientError as e:
            if _code(e) in ("TaskTimedOut", "InvalidToken", "TaskDoesNotExist"):
                raise TaskTokenExpired("the workflow is no longer waiting for this approval") from e
            raise WorkflowError(f"{call} failed: {_code(e)}") from e
        except BotoCoreError as e:
            raise WorkflowError(f"{call} failed: {e}") from e

    def describe(self, arn: str) -> ExecutionView:
        """Status and current state of an execution, from its history."""
        try:
            desc = self._client.describe_execution(executionArn=arn)
            events: list[Any] = []
            kwargs: dict[str, Any] = {"executionArn": arn, "maxResults": 1000}
            while True:
                page = self._client.get_execution_history(**kwargs)
                events.extend(page["events"])
                if not page.get("nextToken"):
                    break
                kwargs["nextToken"] = page["nextToken"]
        except ClientError as e:
            if _code(e) == "ExecutionDoesNotExist":
                raise ExecutionNotFound(f"no execution {arn}") from e
            raise WorkflowError(f"describe failed: {_code(e)}") from e
        except BotoCoreError as e:
            raise WorkflowError(f"describe failed: {e}") from e
        visited = tuple(
            e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e
        )
        status = desc["status"]
        stop = desc.get("stopDate")
        return ExecutionView(
            status=status,
            current_state=_current_state(events) if status == "RUNNING" else None,
            states_visited=visited,
            started_at=desc["startDate"].isoformat() if desc.get("startDate") else None,
            stopped_at=stop.isoformat() if stop else None,
            error=desc.get("error"),
        )


def _current_state(events: list[Any]) -> str | None:
    """The states entered and not yet left, in the order entered, joined by " + ".

    Inside a Parallel both branches are running ("Approval + WaitDuringApproval"); the
    Parallel itself is only named when nothing inside it has started yet.
    """
    open_states: dict[str, str] = {}  # name -> event type it was entered with
    for e in events:
        if "stateEnteredEventDetails" in e:
            open_states[e["stateEnteredEventDetails"]["name"]] = str(e.get("type", ""))
        elif "stateExitedEventDetails" in e:
            open_states.pop(e["stateExitedEventDetails"]["name"], None)
    inner = [n for n, t in open_states.items() if not t.startswith(("Parallel", "Map"))]
    names = inner or list(open_states)
    return " + ".join(names) if names else None
