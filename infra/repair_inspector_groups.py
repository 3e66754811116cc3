"""Re-apply the Cognito group ``inspector`` to a province's inspectors (granted unless revoked).

Issuing a code never fails because of Cognito: if the group grant fails, the code stands, the
failure is logged and counted (metric ``InspectorGroupSyncFailed``), and this command repairs it.
It is idempotent; run it for the province(s) the alarm points at, or for all of them:

    TABLE_NAME=… USER_POOL_ID=… AWS_REGION=… python -m infra.repair_inspector_groups --province 23
    python -m infra.repair_inspector_groups --all --stack-file .local/stack.json   # the local stack
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--province", action="append", help="a 2-digit directorate code (repeatable)")
    target.add_argument("--all", action="store_true", help="every directorate")
    parser.add_argument("--stack-file", type=Path, help="use the local stack described by this file")
    args = parser.parse_args(argv)

    if args.stack_file:
        descriptor = json.loads(args.stack_file.read_text(encoding="utf-8"))
        os.environ |= {
            "TABLE_NAME": descriptor["tableName"],
            "USER_POOL_ID": descriptor["userPoolId"],
            "AWS_REGION": descriptor["region"],
            "AWS_ENDPOINT_URL": descriptor["awsEndpoint"],
        }
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

    from nazer.aws import reset_clients
    from nazer.logic.inspectors import repair_inspector_groups
    from nazer.regions import regions

    if args.stack_file:
        reset_clients()  # the environment changed: build the clients for the stack described
    provinces = regions().province_codes() if args.all else args.province
    unknown = [code for code in provinces if regions().province(code) is None]
    if unknown:
        parser.error(f"unknown province code(s): {', '.join(unknown)}")
    failed = 0
    for province in provinces:
        summary = repair_inspector_groups(province)
        failed += summary.failed
        print(f"province {province}: {summary.checked} inspectors checked, {summary.failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
