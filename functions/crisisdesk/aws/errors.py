"""AWS boundary errors: boto errors become these (`raise ... from e`)."""

from __future__ import annotations


class AwsError(Exception):
    """Base class for failures talking to an AWS service."""


class QueueUnavailable(AwsError):
    """SQS did not accept the message."""


class SecretsUnavailable(AwsError):
    """The secret could not be read or is not valid JSON."""


class WorkflowError(AwsError):
    """Step Functions refused or failed a call."""


class TaskTokenExpired(WorkflowError):
    """The workflow no longer waits for this task token (timed out or finished)."""


class ExecutionNotFound(WorkflowError):
    """No execution with that ARN."""
