"""Invoke a function of template.yaml with an event file against the running local stack.

`make invoke FUNCTION=RegionsFunction EVENT=events/regions_get.json` (like `sam local invoke`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from infra.lambda_worker import LocalContext, load_handler
from infra.provision import STACK
from infra.template import Resolver, global_environment, resources_of_type

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("function", help="logical id in template.yaml, e.g. RegionsFunction")
    parser.add_argument("event", type=Path, help="a JSON event file, e.g. events/regions_get.json")
    parser.add_argument("--stack-file", type=Path, default=ROOT / ".local" / "stack.json")
    args = parser.parse_args(argv)

    functions = resources_of_type("AWS::Serverless::Function")
    if args.function not in functions:
        parser.error(f"no function {args.function}; one of: {', '.join(sorted(functions))}")
    stack = json.loads(args.stack_file.read_text(encoding="utf-8"))
    physical = {name: f"{STACK}-{name}" for name in resources_of_type("AWS::DynamoDB::Table")}
    physical |= {"FilesBucket": stack["bucket"], "UserPool": stack["userPoolId"]}
    physical |= {name: f"{STACK}-{name}".lower() for name in resources_of_type("AWS::S3::Bucket")}
    resolver = Resolver(physical, {}, {"Stage": "local"})
    os.environ.update({key: str(resolver.resolve(value)) for key, value in global_environment().items()})
    os.environ |= {
        "AWS_ENDPOINT_URL": stack["awsEndpoint"],
        "AWS_REGION": stack["region"],
        "AWS_DEFAULT_REGION": stack["region"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_TRACE_DISABLED": "1",
    }
    sys.path.insert(0, str(ROOT / "layers" / "common"))
    props = functions[args.function]["Properties"]
    handler = load_handler(str(props["CodeUri"]).rstrip("/"), props.get("Handler", "app.lambda_handler"), {})
    event = json.loads(args.event.read_text(encoding="utf-8"))
    result = handler(event, LocalContext(function_name=args.function))
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
