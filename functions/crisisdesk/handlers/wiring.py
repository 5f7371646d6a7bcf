"""Builds the domain objects a handler needs from configuration, once per container."""

from __future__ import annotations

import functools
from typing import Any

import boto3

from crisisdesk.adapters.base import PlatformAdapter
from crisisdesk.adapters.meta import MetaAdapter
from crisisdesk.adapters.outbox import DynamoOutbox
from crisisdesk.adapters.poster import Poster
from crisisdesk.adapters.sandbox import sandbox_adapters
from crisisdesk.adapters.x import XAdapter
from crisisdesk.aws.alerts import Alerts
from crisisdesk.aws.queue import IntakeQueue
from crisisdesk.aws.secrets import Secrets
from crisisdesk.aws.workflows import Workflows
from crisisdesk.config import CommanderSettings, IntakeSettings, TaskSettings
from crisisdesk.incidents.commander import Commander
from crisisdesk.incidents.repo import IncidentRepo
from crisisdesk.incidents.tasks import TaskDeps
from crisisdesk.store.dynamo import Table

# A task invocation may wait this long for a platform's rate limit; longer waits go back to
# the workflow's Retry so no Lambda sleeps for minutes.
MAX_RATE_LIMIT_WAIT_SECONDS = 8.0


_CACHED: list[Any] = []


def container_cache(fn: Any) -> Any:
    """functools.cache that reset() clears: one build per Lambda container."""
    cached = functools.cache(fn)
    _CACHED.append(cached)
    return cached


def reset() -> None:
    """Forget every built dependency, as a new container would (the local runtime calls
    this when it starts again in the same process, on a new endpoint)."""
    for cached in _CACHED:
        cached.cache_clear()


@container_cache
def _session() -> boto3.session.Session:
    return boto3.session.Session()


def _client(service: str) -> Any:
    return _session().client(service)


def repo(table_name: str) -> IncidentRepo:
    """The incident repository on the configured table."""
    return IncidentRepo(Table(table_name, _client("dynamodb")))


def adapters(mode: str, secrets: Secrets) -> dict[str, PlatformAdapter]:
    """Sandbox adapters, or the live X and Meta ones with their tokens."""
    if mode == "sandbox":
        return dict(sandbox_adapters())
    x = XAdapter(secrets.get("x_user_token"))
    meta = MetaAdapter(secrets.get("meta_page_token"))
    return {"x": x, "facebook": meta, "instagram": meta, "messenger": meta}


@container_cache
def task_deps() -> TaskDeps:
    """Dependencies of the workflow tasks."""
    s = TaskSettings.from_env()
    secrets = Secrets(s.secret_id, _client("secretsmanager"))
    poster = Poster(
        adapters(s.posting_mode, secrets),
        DynamoOutbox(s.table_name, _client("dynamodb")),
        max_wait=MAX_RATE_LIMIT_WAIT_SECONDS,
    )
    return TaskDeps(
        repo=repo(s.table_name), poster=poster, alerts=Alerts(s.alert_topic_arn, _client("sns"))
    )


@container_cache
def intake_queue() -> tuple[IntakeQueue, Secrets]:
    """The webhook side: the queue and the secrets."""
    s = IntakeSettings.from_env()
    return IntakeQueue(s.queue_url, _client("sqs")), Secrets(s.secret_id, _client("secretsmanager"))


@container_cache
def commander() -> tuple[Commander, Secrets]:
    """The commander side: actions and the secrets holding the commander token."""
    s = CommanderSettings.from_env()
    return (
        Commander(repo(s.table_name), Workflows(_client("stepfunctions"))),
        Secrets(s.secret_id, _client("secretsmanager")),
    )
