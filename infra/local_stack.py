"""`make run`: the whole product on one machine — emulated AWS, the local API gateway, demo data.

Runs in the foreground until Ctrl-C and writes the stack descriptor (.local/stack.json).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import boto3

from infra.emulator import Emulator
from infra.gateway import Gateway, TokenVerifier, WorkerPool
from infra.provision import Provisioned, provision
from infra.seed import seed_demo_users, seed_exam_defaults, seed_training_file

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class LocalStack:
    """Emulator + provisioned resources + seed data + gateway; start() then stop()."""

    def __init__(self, moto_port: int, api_port: int, host: str = "127.0.0.1", workers: int = 16):
        self.emulator = Emulator(host, moto_port)
        self.host = host
        self.api_port = api_port
        self.workers = workers
        self.gateway: Gateway | None = None
        self.pool: WorkerPool | None = None
        self.provisioned: Provisioned | None = None
        self.users: list[dict[str, Any]] = []

    def session(self) -> boto3.session.Session:
        return boto3.session.Session(
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=REGION,
        )

    def start(self) -> LocalStack:
        os.environ.update(FAKE_CREDENTIALS)
        self.emulator.start()
        os.environ["AWS_ENDPOINT_URL"] = self.emulator.endpoint
        session = self.session()
        self.provisioned = provision(session)
        environment = dict(self.provisioned.environment)
        environment |= FAKE_CREDENTIALS | {
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.emulator.endpoint,
            "POWERTOOLS_TRACE_DISABLED": "1",
            "POWERTOOLS_DEV": "false",
        }
        self.seed(session, environment)
        self.pool = WorkerPool(environment, max_workers=self.workers)
        self.pool.warm(min(2, self.workers))
        verifier = TokenVerifier(
            self.emulator.endpoint, REGION, self.provisioned.user_pool_id, self.provisioned.user_pool_client_id
        )
        self.gateway = Gateway(self.host, self.api_port, verifier, self.pool).start()
        return self

    def seed(self, session: boto3.session.Session, environment: dict[str, str]) -> None:
        assert self.provisioned is not None
        self.users = seed_demo_users(session.client("cognito-idp"), self.provisioned.user_pool_id)
        seed_training_file(
            session.client("s3"),
            self.provisioned.bucket,
            environment.get("TRAINING_OBJECT_KEY", "training/training-material.pdf"),
        )
        seed_exam_defaults(session.resource("dynamodb").Table(self.provisioned.table_name))

    def descriptor(self) -> dict[str, Any]:
        assert self.provisioned is not None and self.gateway is not None
        return {
            "apiUrl": f"http://{self.host}:{self.gateway.port}",
            "awsEndpoint": self.emulator.endpoint,
            "region": REGION,
            "userPoolId": self.provisioned.user_pool_id,
            "userPoolClientId": self.provisioned.user_pool_client_id,
            "bucket": self.provisioned.bucket,
            "tableName": self.provisioned.table_name,
            "users": self.users,
        }

    def stop(self) -> None:
        if self.gateway is not None:
            self.gateway.stop()
        if self.pool is not None:
            self.pool.close()
        self.emulator.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "5000")))
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("LOCAL_API_PORT", "3000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LOCAL_API_WORKERS", "16")))
    parser.add_argument("--stack-file", type=Path, default=ROOT / ".local" / "stack.json")
    args = parser.parse_args(argv)

    stack = LocalStack(args.moto_port, args.api_port, workers=args.workers)
    try:
        stack.start()
    except KeyboardInterrupt:
        print("interrupted while starting; stopping…", flush=True)
        stack.stop()
        return 130
    descriptor = stack.descriptor()
    args.stack_file.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.stack_file.with_suffix(".tmp")
    temporary.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    temporary.replace(args.stack_file)

    api = descriptor["apiUrl"]
    print(f"Nazer local stack is up.\n  API:          {api}\n  emulated AWS: {descriptor['awsEndpoint']}")
    print(f"  descriptor:   {args.stack_file}")
    print("  sign in as:   hq-admin / officer-00 … officer-31, password " + descriptor["users"][0]["password"])
    print(f"  try:          curl -s {api}/regions | head -c 300")
    print(f'  a token:      TOKEN=$(make -s token USER=officer-23) && curl -s -H "Authorization: $TOKEN" {api}/…')
    print("Ctrl-C stops it.", flush=True)

    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    print("stopping…", flush=True)
    stack.stop()
    args.stack_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
