"""Least privilege, checked on the translated CloudFormation: every table, bucket and user pool a
function's code touches is granted to its role, nothing grants Scan, and no data action is
granted on every resource."""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from infra.check_template import translate
from infra.template import ROOT, resources_of_type

LAYER = ROOT / "layers" / "common"
# What a use (a call, not the definition) of each shared accessor means in AWS terms.
ACCESSORS = {
    r"(?<!def )\btable\(\)": "NazerTable",
    r"(?<!def )\brun_once\(": "IdempotencyTable",
    r"(?<!def )\bs3_client\(\)": "FilesBucket",
    r"(?<!def )\bcognito_client\(\)": "UserPool",
}
FUNCTIONS = sorted(resources_of_type("AWS::Serverless::Function"))


@cache
def translated() -> dict[str, Any]:
    return translate()


def _module_file(name: str) -> Path | None:
    base = LAYER / Path(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nazer"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("nazer"))
    return found


def touched_resources(function: str) -> set[str]:
    """Resources used by the function's handler and every nazer module it imports, transitively."""
    code_uri = resources_of_type("AWS::Serverless::Function")[function]["Properties"]["CodeUri"]
    pending = [ROOT / code_uri / "app.py"]
    seen: set[Path] = set()
    touched: set[str] = set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        source = path.read_text(encoding="utf-8")
        if path == LAYER / "nazer" / "aws.py":  # where the accessors are defined, not used
            continue
        touched.update(resource for pattern, resource in ACCESSORS.items() if re.search(pattern, source))
        pending.extend(found for name in _imports(path) if (found := _module_file(name)) is not None)
    return touched


def role_statements(function: str) -> list[dict[str, Any]]:
    role = translated()["Resources"][f"{function}Role"]["Properties"]
    statements: list[dict[str, Any]] = []
    for policy in role.get("Policies", []):
        document = policy["PolicyDocument"]
        statements.extend(document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]])
    return statements


def granted_resources(function: str) -> set[str]:
    text = json.dumps(role_statements(function))
    names = {"NazerTable", "IdempotencyTable", "FilesBucket", "UserPool"}
    return {name for name in names if re.search(rf'"{name}"|\$\{{{name}[.}}]', text)}


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement.get("Action", [])
    return [actions] if isinstance(actions, str) else list(actions)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_resource_the_code_touches_is_granted(function):
    missing = touched_resources(function) - granted_resources(function)
    assert not missing, f"{function} uses {sorted(missing)} without a policy for it"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_function_may_scan_or_use_wildcard_data_actions(function):
    for statement in role_statements(function):
        for action in _actions(statement):
            assert action not in {"*", "dynamodb:*", "s3:*", "cognito-idp:*", "dynamodb:Scan"}, (function, action)
            if action.split(":")[0] in {"dynamodb", "s3", "cognito-idp"}:
                assert statement.get("Resource") != "*", (function, action)


def test_the_analysis_sees_real_uses():
    # The check above is only as good as this: the applications function writes the table,
    # honours Idempotency-Key and presigns the training file.
    assert touched_resources("ApplicationsFunction") >= {"NazerTable", "IdempotencyTable", "FilesBucket"}
    assert "UserPool" in touched_resources("InspectorsFunction")
    assert touched_resources("RegionsFunction") == set()
