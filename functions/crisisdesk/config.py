"""Configuration: every environment variable name is defined here once.

Values are read by factories at call time (never at import) and a missing value fails
fast with the variable's name: there are no fallback table names or silent defaults.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

# The one list of environment variable names (template.yaml sets the same names).
TABLE_NAME = "TABLE_NAME"
IDEMPOTENCY_TABLE_NAME = "IDEMPOTENCY_TABLE_NAME"
QUEUE_URL = "QUEUE_URL"
INCIDENT_STATE_MACHINE_ARN = "INCIDENT_STATE_MACHINE_ARN"
CARE_STATE_MACHINE_ARN = "CARE_STATE_MACHINE_ARN"
SECRET_ID = "SECRET_ID"  # noqa: S105 - the variable name, not a secret
ALERT_TOPIC_ARN = "ALERT_TOPIC_ARN"
POSTING_MODE = "POSTING_MODE"
UPDATE_CADENCE_SECONDS = "UPDATE_CADENCE_SECONDS"
APPROVAL_TIMEOUT_SECONDS = "APPROVAL_TIMEOUT_SECONDS"

POSTING_MODES = ("sandbox", "live")


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _require(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is required but not set")
    return value


def _require_int(env: Mapping[str, str], name: str, *, minimum: int) -> int:
    raw = _require(env, name)
    try:
        value = int(raw)
    except ValueError as e:
        raise ConfigError(f"environment variable {name} must be an integer, got {raw!r}") from e
    if value < minimum:
        raise ConfigError(f"environment variable {name} must be >= {minimum}, got {value}")
    return value


@dataclass(frozen=True)
class StoreSettings:
    """Where incidents, feedback and the timeline live."""

    table_name: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StoreSettings:
        """Read the table name; raise ConfigError when missing."""
        env = os.environ if env is None else env
        return cls(table_name=_require(env, TABLE_NAME))


@dataclass(frozen=True)
class IntakeSettings:
    """What the webhook API needs: the queue and the secrets."""

    queue_url: str
    secret_id: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> IntakeSettings:
        """Read intake settings; raise ConfigError when one is missing."""
        env = os.environ if env is None else env
        return cls(queue_url=_require(env, QUEUE_URL), secret_id=_require(env, SECRET_ID))


@dataclass(frozen=True)
class ClassifySettings:
    """What the classify function needs beyond the store."""

    table_name: str
    idempotency_table_name: str
    incident_state_machine_arn: str
    care_state_machine_arn: str
    update_cadence_seconds: int
    approval_timeout_seconds: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ClassifySettings:
        """Read classify settings; raise ConfigError when one is missing."""
        env = os.environ if env is None else env
        return cls(
            table_name=_require(env, TABLE_NAME),
            idempotency_table_name=_require(env, IDEMPOTENCY_TABLE_NAME),
            incident_state_machine_arn=_require(env, INCIDENT_STATE_MACHINE_ARN),
            care_state_machine_arn=_require(env, CARE_STATE_MACHINE_ARN),
            update_cadence_seconds=_require_int(env, UPDATE_CADENCE_SECONDS, minimum=1),
            approval_timeout_seconds=_require_int(env, APPROVAL_TIMEOUT_SECONDS, minimum=1),
        )


@dataclass(frozen=True)
class TaskSettings:
    """What the workflow task functions need."""

    table_name: str
    secret_id: str
    alert_topic_arn: str
    posting_mode: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TaskSettings:
        """Read task settings; raise ConfigError when one is missing or unknown."""
        env = os.environ if env is None else env
        mode = _require(env, POSTING_MODE)
        if mode not in POSTING_MODES:
            raise ConfigError(f"{POSTING_MODE} must be one of {POSTING_MODES}, got {mode!r}")
        return cls(
            table_name=_require(env, TABLE_NAME),
            secret_id=_require(env, SECRET_ID),
            alert_topic_arn=_require(env, ALERT_TOPIC_ARN),
            posting_mode=mode,
        )


@dataclass(frozen=True)
class CommanderSettings:
    """What the commander API needs: the store, the secrets and the workflow."""

    table_name: str
    secret_id: str
    incident_state_machine_arn: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CommanderSettings:
        """Read commander settings; raise ConfigError when one is missing."""
        env = os.environ if env is None else env
        return cls(
            table_name=_require(env, TABLE_NAME),
            secret_id=_require(env, SECRET_ID),
            incident_state_machine_arn=_require(env, INCIDENT_STATE_MACHINE_ARN),
        )
