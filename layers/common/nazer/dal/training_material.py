"""The training file in S3: a presigned GET link, minted only after the caller was authorised."""

from __future__ import annotations

from nazer.aws import s3_client
from nazer.settings import get_settings


def file_name() -> str:
    return get_settings().training_object_key.rsplit("/", 1)[-1]


def presigned_url(ttl_seconds: int) -> str:
    """A GET URL for the training PDF valid ``ttl_seconds`` (the bucket itself stays private)."""
    settings = get_settings()
    url: str = s3_client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": settings.bucket_name,
            "Key": settings.training_object_key,
            "ResponseContentType": "application/pdf",
            "ResponseContentDisposition": f'attachment; filename="{file_name()}"',
        },
        ExpiresIn=ttl_seconds,
    )
    return url
