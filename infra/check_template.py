"""Template check: translate template.yaml with the SAM translator (offline), then cfn-lint both.

cfn-lint alone no longer runs the SAM transform, so mistakes inside Serverless resources (policy
templates, references, runtimes) only show on the translated CloudFormation.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from infra.template import ROOT, TEMPLATE, load_template

OUTPUT = ROOT / ".local" / "template.cfn.json"


class OfflinePolicyLoader:
    """Resolves AWS managed policy names without calling IAM (SAM only needs their ARNs)."""

    def load(self) -> dict[str, str]:
        names = [
            "AWSLambdaBasicExecutionRole",
            "AWSXrayWriteOnlyAccess",
            "AWSXRayDaemonWriteAccess",
            "AWSLambdaSQSQueueExecutionRole",
        ]
        return {name: f"arn:aws:iam::aws:policy/service-role/{name}" for name in names}


def translate(path: Path = TEMPLATE) -> dict[str, Any]:
    document = load_template(path)
    # What `sam package` does: local code folders become S3 artifacts.
    for name, resource in document["Resources"].items():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = f"s3://nazer-artifacts/{name}.zip"
    # A session with a region and no credentials: the translator only reads the region from it.
    session = boto3.session.Session(region_name="me-central-1")
    translator = Translator(OfflinePolicyLoader().load(), Parser(), boto_session=session)
    translated: dict[str, Any] = translator.translate(document, parameter_values={})
    return translated


def main() -> int:
    translated = translate()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(translated, indent=1, default=str), encoding="utf-8")
    status = 0
    cfn_lint = str(Path(sys.executable).with_name("cfn-lint"))
    # W1020: the translator itself leaves a constant Fn::Sub in layer names; not a template mistake.
    for target, extra in ((TEMPLATE, []), (OUTPUT, ["--ignore-checks", "W1020"])):
        result = subprocess.run([cfn_lint, str(target), *extra], check=False)
        print(f"cfn-lint {target.relative_to(ROOT)}: {'clean' if result.returncode == 0 else 'FAILED'}")
        status |= result.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
