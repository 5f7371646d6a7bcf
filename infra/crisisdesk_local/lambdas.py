"""In-process Lambda: runs the handler named in template.yaml for each Invoke.

The WSGI front answers POST /2015-03-31/functions/{name}/invocations itself and hands
every other request to moto. A handler exception is answered the way Lambda does (200,
X-Amz-Function-Error: Unhandled, errorType/errorMessage body) so Retry/Catch see it.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

from crisisdesk_local.template import FunctionSpec

log = logging.getLogger("crisisdesk_local.lambda")

_INVOKE_PREFIX = "/2015-03-31/functions/"
_INVOKE_SUFFIX = "/invocations"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LambdaContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    def __init__(self, spec: FunctionSpec) -> None:
        self.function_name = spec.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = spec.arn
        self.memory_limit_in_mb = 512
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{spec.name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + spec.timeout

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's configured timeout."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class FunctionRegistry:
    """Maps function names and ARNs to their imported handlers."""

    def __init__(self, specs: Iterable[FunctionSpec]) -> None:
        self._by_key: dict[str, FunctionSpec] = {}
        for spec in specs:
            for key in (spec.name, spec.arn, spec.logical_id):
                self._by_key[key] = spec
        self._handlers: dict[str, Callable[[Any, Any], Any]] = {}
        self._lock = threading.Lock()

    def spec(self, name_or_arn: str) -> FunctionSpec | None:
        """Look a function up by name, ARN (optionally qualified) or logical id."""
        key = name_or_arn
        if key.startswith("arn:") and key.count(":") > 6:
            key = key.rsplit(":", 1)[0]  # drop a version/alias qualifier
        return self._by_key.get(key)

    def handler(self, spec: FunctionSpec) -> Callable[[Any, Any], Any]:
        """Import the handler named in the template (once)."""
        with self._lock:
            if spec.logical_id not in self._handlers:
                module_name, attr = spec.handler.rsplit(".", 1)
                module = importlib.import_module(module_name)
                self._handlers[spec.logical_id] = getattr(module, attr)
            return self._handlers[spec.logical_id]

    def invoke(self, spec: FunctionSpec, event: Any) -> tuple[Any, str | None]:
        """Run a handler; return (result, None) or (error body, error type)."""
        try:
            result = self.handler(spec)(event, LambdaContext(spec))
            return result, None
        except Exception as e:  # a handler failure is data for the caller, as on Lambda
            log.warning("%s failed: %s: %s", spec.logical_id, type(e).__name__, e)
            body = {
                "errorType": type(e).__name__,
                "errorMessage": str(e),
                "stackTrace": traceback.format_tb(e.__traceback__),
            }
            return body, type(e).__name__


class LambdaFront:
    """WSGI app: Lambda Invoke handled in-process, everything else to moto."""

    def __init__(self, registry: FunctionRegistry, moto_app: WsgiApp) -> None:
        self._registry = registry
        self._moto = moto_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if (
            environ.get("REQUEST_METHOD") == "POST"
            and path.startswith(_INVOKE_PREFIX)
            and path.endswith(_INVOKE_SUFFIX)
        ):
            name = unquote(path[len(_INVOKE_PREFIX) : -len(_INVOKE_SUFFIX)])
            return self._invoke(name, environ, start_response)
        return self._moto(environ, start_response)

    def _invoke(
        self, name: str, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        spec = self._registry.spec(name)
        if spec is None:
            body = json.dumps({"Type": "User", "message": f"Function not found: {name}"})
            start_response(
                "404 Not Found",
                [
                    ("Content-Type", "application/json"),
                    ("X-Amzn-ErrorType", "ResourceNotFoundException"),
                ],
            )
            return [body.encode()]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        event = json.loads(raw) if raw else {}
        invocation_type = environ.get("HTTP_X_AMZ_INVOCATION_TYPE", "RequestResponse")
        if invocation_type == "DryRun":
            start_response("204 No Content", [])
            return [b""]
        if invocation_type == "Event":
            threading.Thread(target=self._registry.invoke, args=(spec, event), daemon=True).start()
            start_response("202 Accepted", [("Content-Type", "application/json")])
            return [b""]
        result, error_type = self._registry.invoke(spec, event)
        headers = [("Content-Type", "application/json"), ("X-Amz-Executed-Version", "$LATEST")]
        if error_type is not None:
            headers.append(("X-Amz-Function-Error", "Unhandled"))
        start_response("200 OK", headers)
        return [json.dumps(result, default=str).encode()]
