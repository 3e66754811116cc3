"""Read template.yaml: CloudFormation short tags, resources by type, and the API routes it declares.

The local stack and the tests build everything from here, so local and cloud cannot drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that understands !Ref, !GetAtt, !Sub and the other intrinsic short forms."""


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{tag_suffix}": value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=_CfnLoader)
    return document


@cache
def template() -> dict[str, Any]:
    return load_template()


def resources_of_type(kind: str, document: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    document = document or template()
    return {name: res for name, res in document["Resources"].items() if res["Type"] == kind}


@dataclass(frozen=True)
class Route:
    """One API event of a function: method + path template, whether it needs the authorizer."""

    function: str
    code_uri: str
    handler: str
    method: str
    path: str
    authorized: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        parts = []
        for segment in self.path.strip("/").split("/"):
            match = re.fullmatch(r"\{(\w+)\+?\}", segment)
            parts.append(f"(?P<{match.group(1)}>[^/]+)" if match else re.escape(segment))
        return re.compile("^/" + "/".join(parts) + "$")


def api_routes(document: dict[str, Any] | None = None) -> list[Route]:
    """Every Api event of every function, in template order."""
    document = document or template()
    apis = resources_of_type("AWS::Serverless::Api", document)
    default_authorizer = {
        name: (api["Properties"].get("Auth") or {}).get("DefaultAuthorizer") for name, api in apis.items()
    }
    routes: list[Route] = []
    for name, function in resources_of_type("AWS::Serverless::Function", document).items():
        props = function["Properties"]
        for event in (props.get("Events") or {}).values():
            if event["Type"] != "Api":
                continue
            event_props = event["Properties"]
            api_ref = (event_props.get("RestApiId") or {}).get("Ref")
            authorizer = (event_props.get("Auth") or {}).get("Authorizer", default_authorizer.get(api_ref))
            routes.append(
                Route(
                    function=name,
                    code_uri=str(props["CodeUri"]).rstrip("/"),
                    handler=props.get("Handler", "app.lambda_handler"),
                    method=event_props["Method"].upper(),
                    path=event_props["Path"],
                    authorized=bool(authorizer) and authorizer != "NONE",
                )
            )
    return routes


def global_environment(document: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Globals environment merged with every function's own variables (they must agree)."""
    document = document or template()
    merged: dict[str, Any] = dict(
        (((document.get("Globals") or {}).get("Function") or {}).get("Environment") or {}).get("Variables") or {}
    )
    for name, function in resources_of_type("AWS::Serverless::Function", document).items():
        own = ((function["Properties"].get("Environment") or {}).get("Variables")) or {}
        for key, value in own.items():
            if key in merged and merged[key] != value:
                raise ValueError(f"{name}: environment variable {key} differs from another function's")
            merged[key] = value
    return merged


class Resolver:
    """Resolves the intrinsic functions the local stack meets, given physical ids of resources."""

    def __init__(self, physical: dict[str, str], attributes: dict[tuple[str, str], str], parameters: dict[str, str]):
        self.physical = physical
        self.attributes = attributes
        self.parameters = parameters

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Fn::GetAtt":
                return self.attributes[(arg[0], arg[1])]
            if key == "Fn::Sub":
                return re.sub(r"\$\{([^}]+)\}", lambda m: self._sub(m.group(1)), arg)
            if key == "Fn::Join":
                return arg[0].join(str(self.resolve(part)) for part in arg[1])
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def _ref(self, name: str) -> str:
        if name in self.parameters:
            return self.parameters[name]
        return self.physical[name]

    def _sub(self, name: str) -> str:
        if "." in name:
            resource, attribute = name.split(".", 1)
            return self.attributes[(resource, attribute)]
        return self._ref(name)
