"""Read template.yaml and resolve what the local runtime needs from it.

The template is the one description of resources: tables, queues, topics, secrets, state
machines (with their DefinitionSubstitutions) and the function map all come from here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ACCOUNT = "123456789012"
REGION = "us-east-1"
STACK = "crisisdesk"


class TemplateError(Exception):
    """The template uses something the local runtime cannot resolve."""


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns CloudFormation short-form tags into their long form."""


def _construct_tag(loader: _CfnLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path) -> dict[str, Any]:
    """Parse a CloudFormation/SAM YAML template."""
    with path.open() as f:
        data = yaml.load(f, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(data, dict) or "Resources" not in data:
        raise TemplateError(f"{path} is not a CloudFormation template")
    return data


@dataclass(frozen=True)
class SqsEventSource:
    """An SQS event source mapping of a function."""

    queue_logical_id: str
    batch_size: int
    batching_window_seconds: int
    report_batch_item_failures: bool


@dataclass(frozen=True)
class FunctionSpec:
    """A Lambda function as the dispatcher runs it."""

    logical_id: str
    name: str
    arn: str
    handler: str
    timeout: int
    environment: dict[str, str]
    sqs_sources: tuple[SqsEventSource, ...] = ()


@dataclass
class LocalStack:
    """Physical names for every resource of the template, resolved for local use."""

    template: dict[str, Any]
    base_dir: Path
    parameters: dict[str, str] = field(default_factory=dict)
    queue_urls: dict[str, str] = field(default_factory=dict)
    secret_arns: dict[str, str] = field(default_factory=dict)

    @property
    def resources(self) -> dict[str, Any]:
        """Resources by logical id."""
        res: dict[str, Any] = self.template["Resources"]
        return res

    def of_type(self, type_name: str) -> dict[str, dict[str, Any]]:
        """Resources of one CloudFormation type."""
        return {k: v for k, v in self.resources.items() if v.get("Type") == type_name}

    def physical_name(self, logical_id: str) -> str:
        """The local physical name of a resource."""
        return f"{STACK}-{logical_id}"

    def parameter(self, name: str) -> str:
        """A parameter's local value: an override, else the template default."""
        if name in self.parameters:
            return self.parameters[name]
        spec = self.template.get("Parameters", {}).get(name)
        if spec is None or "Default" not in spec:
            raise TemplateError(f"parameter {name} has no value")
        return str(spec["Default"])

    def ref(self, logical_id: str) -> str:
        """What !Ref returns for a resource or parameter."""
        pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": STACK,
        }
        if logical_id in pseudo:
            return pseudo[logical_id]
        if logical_id in self.template.get("Parameters", {}):
            return self.parameter(logical_id)
        res = self.resources.get(logical_id)
        if res is None:
            raise TemplateError(f"!Ref to unknown resource {logical_id}")
        kind = res["Type"]
        name = self.physical_name(logical_id)
        if kind == "AWS::DynamoDB::Table":
            return name
        if kind == "AWS::SQS::Queue":
            return self.queue_urls.get(logical_id, f"http://localhost/{ACCOUNT}/{name}")
        if kind == "AWS::SNS::Topic":
            return f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"
        if kind == "AWS::Serverless::StateMachine":
            return f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"
        if kind == "AWS::Serverless::Function":
            return name
        if kind == "AWS::SecretsManager::Secret":
            return self.secret_arns.get(logical_id, name)
        raise TemplateError(f"!Ref to {kind} is not supported locally")

    def get_att(self, logical_id: str, attr: str) -> str:
        """What !GetAtt returns for a resource attribute."""
        res = self.resources.get(logical_id)
        if res is None:
            raise TemplateError(f"!GetAtt on unknown resource {logical_id}")
        kind, name = res["Type"], self.physical_name(logical_id)
        if attr == "Arn":
            arns = {
                "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}",
                "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}",
                "AWS::Serverless::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
            }
            if kind in arns:
                return arns[kind]
        if attr in ("QueueName", "TopicName", "Name"):
            return name
        if attr == "QueueUrl":
            return self.ref(logical_id)
        raise TemplateError(f"!GetAtt {logical_id}.{attr} is not supported locally")

    def resolve(self, value: Any) -> Any:
        """Resolve intrinsic functions in a template value."""
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(str(arg))
            if key == "Fn::GetAtt":
                return self.get_att(str(arg[0]), str(arg[1]))
            if key == "Fn::Sub":
                return self._sub(arg)
        return {k: self.resolve(v) for k, v in value.items()}

    def _sub(self, arg: Any) -> str:
        text, names = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])

        def repl(m: re.Match[str]) -> str:
            token = m.group(1)
            if token in names:
                return str(self.resolve(names[token]))
            if "." in token and not token.startswith("AWS::"):
                lid, attr = token.split(".", 1)
                return self.get_att(lid, attr)
            return self.ref(token)

        return re.sub(r"\$\{([^}!]+)\}", repl, text)

    def functions(self) -> dict[str, FunctionSpec]:
        """Every function with its handler, resolved environment and SQS event sources."""
        glob = self.template.get("Globals", {}).get("Function", {})
        base_env = glob.get("Environment", {}).get("Variables", {})
        out: dict[str, FunctionSpec] = {}
        for lid, res in self.of_type("AWS::Serverless::Function").items():
            props = res.get("Properties", {})
            env = {**base_env, **props.get("Environment", {}).get("Variables", {})}
            sources = []
            for event in props.get("Events", {}).values():
                if event.get("Type") != "SQS":
                    continue
                ep = event["Properties"]
                queue = ep["Queue"]
                if not (isinstance(queue, dict) and "Fn::GetAtt" in queue):
                    raise TemplateError(f"{lid}: SQS event Queue must be !GetAtt Queue.Arn")
                sources.append(
                    SqsEventSource(
                        queue_logical_id=queue["Fn::GetAtt"][0],
                        batch_size=int(ep.get("BatchSize", 10)),
                        batching_window_seconds=int(ep.get("MaximumBatchingWindowInSeconds", 0)),
                        report_batch_item_failures="ReportBatchItemFailures"
                        in ep.get("FunctionResponseTypes", []),
                    )
                )
            out[lid] = FunctionSpec(
                logical_id=lid,
                name=self.physical_name(lid),
                arn=self.get_att(lid, "Arn"),
                handler=str(props.get("Handler", glob.get("Handler"))),
                timeout=int(props.get("Timeout", glob.get("Timeout", 3))),
                environment={k: str(self.resolve(v)) for k, v in env.items()},
                sqs_sources=tuple(sources),
            )
        return out

    def state_machine_definition(self, logical_id: str) -> str:
        """The ASL file of a state machine with its DefinitionSubstitutions applied."""
        props = self.resources[logical_id]["Properties"]
        text = (self.base_dir / props["DefinitionUri"]).read_text()
        subs = {
            k: str(self.resolve(v)) for k, v in props.get("DefinitionSubstitutions", {}).items()
        }

        def repl(m: re.Match[str]) -> str:
            if m.group(1) not in subs:
                raise TemplateError(f"{logical_id}: no substitution for ${{{m.group(1)}}}")
            return subs[m.group(1)]

        definition = re.sub(r"\$\{([A-Za-z0-9_]+)\}", repl, text)
        json.loads(definition)  # fail here, not inside the interpreter
        return definition


def secret_template(props: Mapping[str, Any]) -> tuple[dict[str, str], str | None]:
    """The JSON keys a generated secret holds, and the key that is generated."""
    gen = props.get("GenerateSecretString", {})
    keys = json.loads(gen.get("SecretStringTemplate", "{}"))
    return {str(k): str(v) for k, v in keys.items()}, gen.get("GenerateStringKey")
