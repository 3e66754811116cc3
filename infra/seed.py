"""Seed an environment: demo users locally; the training file and the exam defaults anywhere.

Each step is idempotent, so the same module serves the local stack and a first deploy
(``python -m infra.seed --help``).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from nazer.dal import exam_defaults
from nazer.jalali import now_utc
from nazer.regions import regions

ROOT = Path(__file__).resolve().parent.parent
TRAINING_PDF = ROOT / "infra" / "training" / "training-material.pdf"
TRAINING_KEY = "training/training-material.pdf"  # the functions' TRAINING_OBJECT_KEY default
DEMO_PASSWORD = "Nazer-Local-1403"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    provinceCode: str | None  # noqa: N815 - the stack descriptor's camelCase field


def demo_users() -> list[DemoUser]:
    users = [DemoUser("hq-admin", DEMO_PASSWORD, "hq-admin", None)]
    users += [
        DemoUser(f"officer-{code}", DEMO_PASSWORD, "province-officer", code) for code in regions().province_codes()
    ]
    return users


def create_user(
    cognito: Any, pool_id: str, username: str, password: str, groups: list[str], attributes: dict[str, str]
) -> None:
    """An administrator-created, confirmed user with a permanent password (idempotent)."""
    try:
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            TemporaryPassword=password,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "UsernameExistsException":
            raise
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    for group in groups:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)


def seed_demo_users(cognito: Any, pool_id: str) -> list[dict[str, Any]]:
    users = demo_users()
    for user in users:
        attributes = {"custom:province": user.provinceCode} if user.provinceCode else {}
        create_user(cognito, pool_id, user.username, user.password, [user.role], attributes)
    return [asdict(user) for user in users]


def seed_training_file(s3: Any, bucket: str, key: str, path: Path = TRAINING_PDF) -> bool:
    """Upload the training PDF (the shipped default unless another path is given)."""
    if not path.exists():
        return False
    s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType="application/pdf")
    return True


def upload_training(bucket: str, key: str, path: Path, region: str | None, endpoint_url: str | None) -> str:
    """Deploy step: put the training PDF where ``GET /training-material`` links to."""
    if not path.is_file():
        raise SystemExit(f"no such file: {path}")
    if not path.read_bytes().startswith(b"%PDF"):
        raise SystemExit(f"{path} is not a PDF")
    s3 = boto3.client("s3", region_name=region, endpoint_url=endpoint_url)
    seed_training_file(s3, bucket, key, path)
    return f"s3://{bucket}/{key}"


def seed_exam_defaults(table: Any) -> exam_defaults.SeedReport:
    """The default question bank and exam settings, where absent (``table``: a boto3 Table)."""
    return exam_defaults.seed(table, now_utc())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.seed", description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)
    training = steps.add_parser("training", help="upload the training PDF to the files bucket")
    training.add_argument("--bucket", required=True, help="the stack's FilesBucketName output")
    training.add_argument("--key", default=TRAINING_KEY, help=f"object key (default {TRAINING_KEY})")
    training.add_argument("--file", type=Path, default=TRAINING_PDF, help="the PDF (default: the shipped guide)")
    exam = steps.add_parser("exam-defaults", help="the default question bank and exam settings (idempotent)")
    exam.add_argument("--table", required=True, help="the deployed NazerTable's name (stack output TableName)")
    for step in (training, exam):
        step.add_argument("--region", default=None, help="AWS region (default: the profile's)")
        step.add_argument("--endpoint-url", default=None, help="an emulator's endpoint instead of AWS")
    args = parser.parse_args(argv)
    if args.step == "training":
        target = upload_training(args.bucket, args.key, args.file, args.region, args.endpoint_url)
        print(f"training file uploaded to {target}")
    if args.step == "exam-defaults":
        dynamodb = boto3.session.Session(region_name=args.region).resource("dynamodb", endpoint_url=args.endpoint_url)
        report = seed_exam_defaults(dynamodb.Table(args.table))
        print(asdict(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
