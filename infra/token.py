"""Print a Cognito ID token for a user of the running local stack (`make token USER=officer-23`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent


def id_token(stack: dict[str, Any], username: str, password: str) -> str:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=stack["awsEndpoint"],
        region_name=stack["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    reply = cognito.initiate_auth(
        ClientId=stack["userPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return str(reply["AuthenticationResult"]["IdToken"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("username")
    parser.add_argument("--password", help="defaults to the demo password from the stack descriptor")
    parser.add_argument("--stack-file", type=Path, default=ROOT / ".local" / "stack.json")
    args = parser.parse_args(argv)
    stack = json.loads(args.stack_file.read_text(encoding="utf-8"))
    password = args.password or next(
        (user["password"] for user in stack["users"] if user["username"] == args.username), None
    )
    if password is None:
        parser.error(f"{args.username} is not a demo user: pass --password")
    print(id_token(stack, args.username, password))
    return 0


if __name__ == "__main__":
    sys.exit(main())
