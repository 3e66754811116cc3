"""Evidence objects in S3: presigned upload and download, reading an upload, storing the cleaned file.

``uploads/<reportId>/<attachmentId>`` holds what the inspector's device sent (the bucket expires it
after two days; we delete it, every version, as soon as it is cleaned);
``evidence/<reportId>/<attachmentId>`` holds the cleaned file that officers download.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from botocore.exceptions import ClientError

from nazer.aws import s3_client
from nazer.settings import get_settings

_MISSING = {"NoSuchKey", "404", "NotFound"}


def upload_key(report_id: str, attachment_id: str) -> str:
    return f"uploads/{report_id}/{attachment_id}"


def evidence_key(report_id: str, attachment_id: str) -> str:
    return f"evidence/{report_id}/{attachment_id}"


def presign_upload(key: str, content_type: str, size_bytes: int, ttl_seconds: int) -> str:
    """A PUT URL that only accepts this content type and exactly this many bytes (both are signed)."""
    url: str = s3_client().generate_presigned_url(
        "put_object",
        Params={
            "Bucket": get_settings().bucket_name,
            "Key": key,
            "ContentType": content_type,
            "ContentLength": size_bytes,
        },
        ExpiresIn=ttl_seconds,
        HttpMethod="PUT",
    )
    return url


def presign_download(key: str, file_name: str, content_type: str, ttl_seconds: int) -> str:
    ascii_name = "".join(
        char if char.isascii() and char.isprintable() and char not in '"\\' else "_" for char in file_name
    )
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"
    url: str = s3_client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": get_settings().bucket_name,
            "Key": key,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
        },
        ExpiresIn=ttl_seconds,
        HttpMethod="GET",
    )
    return url


@dataclass(frozen=True)
class Upload:
    size: int
    content: bytes | None  # None when larger than the cap asked for (not read)


def read_upload(key: str, max_bytes: int) -> Upload | None:
    """The uploaded object, read only if it is at most ``max_bytes``; None if nothing was uploaded."""
    try:
        reply = s3_client().get_object(Bucket=get_settings().bucket_name, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in _MISSING:
            return None
        raise
    size = int(reply["ContentLength"])
    body = reply["Body"]
    try:
        if size > max_bytes:
            return Upload(size, None)
        return Upload(size, body.read())
    finally:
        body.close()


def delete_upload(key: str) -> None:
    """Remove every version of an upload: the original may carry metadata we promised to drop."""
    client = s3_client()
    bucket = get_settings().bucket_name
    reply = client.list_object_versions(Bucket=bucket, Prefix=key)
    versions = [
        {"Key": entry["Key"], "VersionId": entry["VersionId"]}
        for entry in reply.get("Versions", []) + reply.get("DeleteMarkers", [])
        if entry["Key"] == key
    ]
    if versions:
        client.delete_objects(Bucket=bucket, Delete={"Objects": versions, "Quiet": True})
    else:
        client.delete_object(Bucket=bucket, Key=key)


def store_evidence(key: str, content: bytes, content_type: str, sha256: str) -> None:
    s3_client().put_object(
        Bucket=get_settings().bucket_name,
        Key=key,
        Body=content,
        ContentType=content_type,
        Metadata={"sha256": sha256},
    )
