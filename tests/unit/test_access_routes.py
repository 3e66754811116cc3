"""The access rules the functions declare cover exactly the routes template.yaml serves.

Loaded in a fresh interpreter: other unit tests declare routes of their own on the same registry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.template import api_routes

ROOT = Path(__file__).resolve().parents[2]

LOAD_EVERY_FUNCTION = """
import json
from infra.lambda_worker import load_handler
from infra.template import api_routes
from nazer.access import RULES

cache = {}
for route in api_routes():
    load_handler(route.code_uri, route.handler, cache)
print(json.dumps([[method, path, str(access)] for (method, path), access in RULES.items()]))
"""


@pytest.fixture(scope="module")
def declared_rules() -> dict[tuple[str, str], str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "layers" / "common"), str(ROOT)])}
    completed = subprocess.run(
        [sys.executable, "-c", LOAD_EVERY_FUNCTION],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = json.loads(completed.stdout.strip().splitlines()[-1])
    return {(method, path): access for method, path, access in rows}


def test_every_template_route_declares_its_access_and_no_rule_is_left_over(declared_rules):
    # Given every function module of the template loaded
    template_routes = {(route.method, route.path) for route in api_routes()}
    # Then the declared rules are exactly the template's routes: no more, no fewer
    assert sorted(template_routes - declared_rules.keys()) == [], "template routes without a declared access rule"
    assert sorted(declared_rules.keys() - template_routes) == [], "access rules for routes the template does not serve"


def test_a_route_is_public_exactly_where_the_template_sets_no_authorizer(declared_rules):
    for route in api_routes():
        public = declared_rules[(route.method, route.path)] == "public"
        assert public is not route.authorized, f"{route.method} {route.path}: authorizer and access rule disagree"
