"""template.yaml is the one source of resources; configuration fails fast."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisisdesk import config
from crisisdesk.incidents import errors
from crisisdesk_local.template import LocalStack, load_template
from tests.support import asl_states

ROOT = Path(__file__).resolve().parents[2]


def _stack() -> LocalStack:
    return LocalStack(load_template(ROOT / "template.yaml"), ROOT)


def test_every_function_handler_is_importable() -> None:
    import importlib

    for spec in _stack().functions().values():
        module, attr = spec.handler.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), attr)), spec.handler


def test_state_machines_are_the_asl_files_with_substitutions() -> None:
    stack = _stack()
    for lid in stack.of_type("AWS::Serverless::StateMachine"):
        definition = json.loads(stack.state_machine_definition(lid))
        text = json.dumps(definition)
        assert "${" not in text
        for _, state, _ in asl_states(definition):
            if state["Type"] == "Task":
                assert state["Parameters"]["FunctionName"].startswith("arn:aws:lambda:")


def test_retry_error_names_exist() -> None:
    real_lambda = {
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    }
    for path in (ROOT / "workflows").glob("*.asl.json"):
        for _, state, _ in asl_states(json.loads(path.read_text())):
            for retry in state.get("Retry", []):
                for name in retry["ErrorEquals"]:
                    assert name in real_lambda or hasattr(errors, name), (path.name, name)
            for catch in state.get("Catch", []):
                for name in catch["ErrorEquals"]:
                    assert name.startswith("States.") or name == "UpdateRejected"


def test_no_catch_ends_in_success() -> None:
    for path in (ROOT / "workflows").glob("*.asl.json"):
        for _, state, scope in asl_states(json.loads(path.read_text())):
            for catch in state.get("Catch", []):
                if "States.ALL" in catch["ErrorEquals"]:
                    target = scope[catch["Next"]]
                    assert target["Next"] == "WorkflowFailed"
                    assert scope["WorkflowFailed"]["Type"] == "Fail"


def test_env_var_names_match_the_template() -> None:
    names = {v for k, v in vars(config).items() if k.isupper() and isinstance(v, str) and k == v}
    used: set[str] = set()
    for spec in _stack().functions().values():
        used |= set(spec.environment)
    assert names - {"POSTING_MODES"} <= used


def test_missing_setting_fails_fast_with_its_name() -> None:
    with pytest.raises(config.ConfigError, match="TABLE_NAME"):
        config.StoreSettings.from_env({})
    with pytest.raises(config.ConfigError, match="POSTING_MODE"):
        config.TaskSettings.from_env(
            {"TABLE_NAME": "t", "SECRET_ID": "s", "ALERT_TOPIC_ARN": "a", "POSTING_MODE": "yolo"}
        )
    with pytest.raises(config.ConfigError, match="UPDATE_CADENCE_SECONDS"):
        config.ClassifySettings.from_env(
            {
                "TABLE_NAME": "t",
                "IDEMPOTENCY_TABLE_NAME": "i",
                "INCIDENT_STATE_MACHINE_ARN": "a",
                "CARE_STATE_MACHINE_ARN": "b",
                "UPDATE_CADENCE_SECONDS": "soon",
                "APPROVAL_TIMEOUT_SECONDS": "5",
            }
        )


def test_every_chalice_route_is_an_api_event_and_back() -> None:
    from crisisdesk.handlers.api import app

    routes = {(path, method) for path, methods in app.routes.items() for method in methods}
    events = set()
    api = _stack().resources["ApiFunction"]["Properties"]["Events"]
    for event in api.values():
        assert event["Type"] == "Api"
        events.add((event["Properties"]["Path"], event["Properties"]["Method"]))
    assert routes == events
