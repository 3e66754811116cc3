"""The deploy step that puts the training PDF in the files bucket (python -m infra.seed training)."""

from __future__ import annotations

import boto3
import pytest

from infra.seed import TRAINING_KEY, TRAINING_PDF, main


def test_training_step_uploads_the_shipped_pdf(aws, capsys):
    assert main(["training", "--bucket", aws.bucket, "--region", "us-east-1"]) == 0
    obj = boto3.client("s3", region_name="us-east-1").get_object(Bucket=aws.bucket, Key=TRAINING_KEY)
    assert obj["ContentType"] == "application/pdf"
    assert obj["Body"].read() == TRAINING_PDF.read_bytes()
    assert f"s3://{aws.bucket}/{TRAINING_KEY}" in capsys.readouterr().out


def test_training_step_refuses_a_file_that_is_not_a_pdf(aws, tmp_path):
    fake = tmp_path / "guide.pdf"
    fake.write_text("not a pdf")
    with pytest.raises(SystemExit, match="is not a PDF"):
        main(["training", "--bucket", aws.bucket, "--file", str(fake)])


def test_the_shipped_training_file_is_a_pdf():
    assert TRAINING_PDF.read_bytes().startswith(b"%PDF")
