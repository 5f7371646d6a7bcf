"""The embedded local AWS: moto server (with the real ASL interpreter), the in-process
Lambda front, SQS pollers and the Chalice API, all on 127.0.0.1, all from template.yaml.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from crisisdesk_local import moto_patches
from crisisdesk_local.lambdas import FunctionRegistry, LambdaFront
from crisisdesk_local.poller import SqsPoller
from crisisdesk_local.template import (
    REGION,
    FunctionSpec,
    LocalStack,
    load_template,
    secret_template,
)

log = logging.getLogger("crisisdesk_local")
# Request lines and the interpreter's per-state tracebacks drown the output; failures
# still show in execution history and on the incident timeline.
for _noisy in ("werkzeug", "moto.stepfunctions.parser"):
    logging.getLogger(_noisy).setLevel(logging.CRITICAL)

ROOT = Path(__file__).resolve().parents[2]
STATE_DIR_NAME = ".crisisdesk"


class LocalRuntimeError(Exception):
    """The local runtime could not start or did not settle in time."""


def local_secrets(
    state_dir: Path, keys: dict[str, str], generated_key: str | None
) -> dict[str, str]:
    """Local secret values: kept in state_dir/secrets.json, created with random values once."""
    path = state_dir / "secrets.json"
    if path.exists():
        values: dict[str, str] = json.loads(path.read_text())
    else:
        values = {}
    changed = False
    for key in [*keys, *([generated_key] if generated_key else [])]:
        if values.get(key) and values[key] != "{}":
            continue
        if key == "brand_accounts":
            from crisisdesk.replay import brand_accounts_json

            values[key] = brand_accounts_json()
        elif key == "generic_webhook_secret":
            values[key] = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
        elif key in ("x_user_token", "meta_page_token"):
            values[key] = "local-sandbox-token"  # sandbox posting never sends it anywhere
        else:
            values[key] = secrets.token_urlsafe(24)
        changed = True
    if changed:
        state_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))
        path.chmod(0o600)
    return values


def local_app(app: Any) -> None:
    """Give the Chalice app chalice.local's thread-local current_request (concurrent requests)."""
    from chalice.local import CustomLocalChalice, LocalChalice

    if not isinstance(app, LocalChalice):
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice


def _api_handler() -> Any:
    from chalice.local import ChaliceRequestHandler

    class Handler(ChaliceRequestHandler):
        disable_nagle_algorithm = True  # see _Handler in LocalRuntime.start

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@dataclass(frozen=True)
class Endpoints:
    """Where the local runtime answers."""

    aws: str
    api: str | None


class LocalRuntime:
    """Start and stop the embedded AWS defined by template.yaml."""

    def __init__(
        self,
        root: Path = ROOT,
        *,
        port: int = 0,
        api_port: int | None = 0,
        parameters: dict[str, str] | None = None,
        state_dir: Path | None = None,
        retry_delay: int = 1,
        log_level: str = "WARNING",
    ) -> None:
        self.root = root
        self.stack = LocalStack(load_template(root / "template.yaml"), root, dict(parameters or {}))
        self._port = port
        self._api_port = api_port
        self.state_dir = state_dir or root / STATE_DIR_NAME
        self._retry_delay = retry_delay
        self._log_level = log_level
        self._server: Any = None
        self._api: Any = None
        self.pollers: list[SqsPoller] = []
        self.functions: dict[str, FunctionSpec] = {}
        self.secrets: dict[str, str] = {}
        self.endpoints: Endpoints | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> Endpoints:
        """Serve AWS on 127.0.0.1, create every resource, start pollers and the API."""
        from moto.core.config import default_user_config
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from moto.server import MotoRequestHandler  # type: ignore[attr-defined]
        from werkzeug.serving import make_server

        for key, value in (
            ("AWS_ACCESS_KEY_ID", "local"),
            ("AWS_SECRET_ACCESS_KEY", "local"),
            ("AWS_DEFAULT_REGION", REGION),
            ("AWS_REGION", REGION),
        ):
            os.environ[key] = value
        os.environ.pop("AWS_PROFILE", None)
        default_user_config["stepfunctions"] = {"execute_state_machine": True}
        moto_patches.install()

        self.functions = self.stack.functions()
        registry = FunctionRegistry(self.functions.values())
        front = LambdaFront(registry, DomainDispatcherApplication(create_backend_app))
        class _Handler(MotoRequestHandler):
            # Headers and body go out in separate writes; with Nagle on, each call then
            # waits for the client's delayed ACK (~40 ms). Every boto call pays it otherwise.
            disable_nagle_algorithm = True

            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass  # one line per AWS call drowns everything else

        self._server = make_server(
            "127.0.0.1", self._port, front, threaded=True, request_handler=_Handler
        )
        port = self._server.server_port
        # moto's ASL interpreter calls Lambda at localhost:$MOTO_PORT: that is this front.
        os.environ["MOTO_PORT"] = str(port)
        endpoint = f"http://127.0.0.1:{port}"
        os.environ["AWS_ENDPOINT_URL"] = endpoint
        threading.Thread(target=self._server.serve_forever, name="local-aws", daemon=True).start()
        # moto's backends are process-global: a runtime started earlier in this process
        # (tests do that) must not leak tables or executions into this one.
        reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310
        urllib.request.urlopen(reset, timeout=10).read()  # noqa: S310 - our loopback endpoint

        self._bootstrap(endpoint)
        # Every function's environment, as the template resolves it (one process, one env).
        self.functions = self.stack.functions()
        for spec in self.functions.values():
            os.environ.update(spec.environment)
        from crisisdesk.handlers import wiring

        wiring.reset()  # handlers cached clients of an earlier runtime in this process
        # Locally the handlers share one terminal: keep their logs to warnings, and keep
        # Powertools' metric blobs (CloudWatch EMF lines on stdout) out of it.
        os.environ["LOG_LEVEL"] = os.environ["POWERTOOLS_LOG_LEVEL"] = self._log_level
        os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
        registry = FunctionRegistry(self.functions.values())
        front._registry = registry
        self._start_pollers(endpoint, registry)
        api_url = self._start_api() if self._api_port is not None else None
        self.endpoints = Endpoints(aws=endpoint, api=api_url)
        self._write_state()
        return self.endpoints

    def stop(self) -> None:
        """Stop pollers, the API and the AWS endpoint."""
        for p in self.pollers:
            p.stop()
        if self._api is not None:
            self._api.shutdown()
        if self._server is not None:
            self._server.shutdown()

    def __enter__(self) -> LocalRuntime:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- resources -------------------------------------------------------------------
    def client(self, service: str) -> Any:
        """A boto3 client pointed at this runtime."""
        assert self.endpoints is not None or service, "start() first"
        return boto3.client(  # type: ignore[call-overload]
            service, region_name=REGION, endpoint_url=os.environ["AWS_ENDPOINT_URL"]
        )

    def _bootstrap(self, endpoint: str) -> None:
        ddb = self.client("dynamodb")
        for lid, res in self.stack.of_type("AWS::DynamoDB::Table").items():
            props = self.stack.resolve(res["Properties"])
            kwargs: dict[str, Any] = {
                "TableName": self.stack.physical_name(lid),
                "AttributeDefinitions": props["AttributeDefinitions"],
                "KeySchema": props["KeySchema"],
                "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
            }
            if props.get("GlobalSecondaryIndexes"):
                kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
            ddb.create_table(**kwargs)
            ttl = props.get("TimeToLiveSpecification")
            if ttl:
                ddb.update_time_to_live(TableName=kwargs["TableName"], TimeToLiveSpecification=ttl)

        sqs = self.client("sqs")
        queues = self.stack.of_type("AWS::SQS::Queue")
        # Dead-letter queues first: a redrive policy names its target by ARN.
        for lid in sorted(queues, key=lambda q: "RedrivePolicy" in queues[q].get("Properties", {})):
            props = self.stack.resolve(queues[lid].get("Properties", {}))
            attrs = {
                k: (json.dumps(v) if isinstance(v, dict) else str(v))
                for k, v in props.items()
                if k
                in (
                    "VisibilityTimeout",
                    "MessageRetentionPeriod",
                    "RedrivePolicy",
                    "DelaySeconds",
                    "ReceiveMessageWaitTimeSeconds",
                )
            }
            url = sqs.create_queue(QueueName=self.stack.physical_name(lid), Attributes=attrs)[
                "QueueUrl"
            ]
            self.stack.queue_urls[lid] = url

        sns = self.client("sns")
        for lid in self.stack.of_type("AWS::SNS::Topic"):
            sns.create_topic(Name=self.stack.physical_name(lid))

        sm = self.client("secretsmanager")
        for lid, res in self.stack.of_type("AWS::SecretsManager::Secret").items():
            keys, generated = secret_template(res.get("Properties", {}))
            self.secrets = local_secrets(self.state_dir, keys, generated)
            arn = sm.create_secret(
                Name=self.stack.physical_name(lid), SecretString=json.dumps(self.secrets)
            )["ARN"]
            self.stack.secret_arns[lid] = arn

        sfn = self.client("stepfunctions")
        for lid, res in self.stack.of_type("AWS::Serverless::StateMachine").items():
            sfn.create_state_machine(
                name=self.stack.physical_name(lid),
                definition=self.stack.state_machine_definition(lid),
                roleArn=f"arn:aws:iam::123456789012:role/{self.stack.physical_name(lid)}",
                type=res.get("Properties", {}).get("Type", "STANDARD"),
            )

    def _start_pollers(self, endpoint: str, registry: FunctionRegistry) -> None:
        sqs = self.client("sqs")
        for spec in self.functions.values():
            for source in spec.sqs_sources:
                poller = SqsPoller(
                    sqs,
                    registry,
                    spec,
                    source,
                    self.stack.queue_urls[source.queue_logical_id],
                    self.stack.get_att(source.queue_logical_id, "Arn"),
                    retry_delay=self._retry_delay,
                )
                poller.start()
                self.pollers.append(poller)

    def _start_api(self) -> str:
        from chalice.config import Config
        from chalice.local import LocalDevServer

        from crisisdesk.handlers.api import app

        config = Config.create(chalice_stage="dev", app_name="crisisdesk")
        local_app(app)
        server = LocalDevServer(app, config, "127.0.0.1", self._api_port or 0,
                                handler_cls=_api_handler())
        self._api = server
        threading.Thread(target=server.server.serve_forever, name="local-api", daemon=True).start()
        return f"http://127.0.0.1:{server.server.server_port}"

    def _write_state(self) -> None:
        assert self.endpoints is not None
        self.state_dir.mkdir(parents=True, exist_ok=True)
        state = {
            "aws_endpoint": self.endpoints.aws,
            "api": self.endpoints.api,
            "commander_token": self.secrets.get("commander_token"),
            "pid": os.getpid(),
        }
        path = self.state_dir / "local.json"
        path.write_text(json.dumps(state, indent=2))
        path.chmod(0o600)

    # -- settling --------------------------------------------------------------------
    def queue_depth(self, logical_id: str) -> int:
        """Visible plus in-flight messages of a queue."""
        attrs = self.client("sqs").get_queue_attributes(
            QueueUrl=self.stack.queue_urls[logical_id],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attrs["ApproximateNumberOfMessages"]) + int(
            attrs["ApproximateNumberOfMessagesNotVisible"]
        )

    def wait_intake_drained(self, timeout: float) -> None:
        """Wait until every queue an event source reads is empty and no batch is in flight."""
        deadline = time.monotonic() + timeout
        queues = {s.queue_logical_id for f in self.functions.values() for s in f.sqs_sources}
        while time.monotonic() < deadline:
            if all(self.queue_depth(q) == 0 for q in queues) and not any(
                p.busy for p in self.pollers
            ):
                return
            time.sleep(1.0)  # queue attributes walk every message in moto: poll gently
        raise LocalRuntimeError(f"intake not drained after {timeout:.0f}s")
