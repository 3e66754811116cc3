"""Runtime settings: one model, parsed once from the environment that template.yaml declares."""

from __future__ import annotations

import os
from functools import cache

from pydantic import BaseModel, Field


class Settings(BaseModel):
    """Everything a function needs to know about where it runs."""

    table_name: str = Field(default="NazerTable")
    idempotency_table_name: str = Field(default="IdempotencyTable")
    bucket_name: str = Field(default="nazer-files")
    user_pool_id: str = Field(default="")
    region: str = Field(default="us-east-1")
    # Set only off AWS (local stack, tests): boto3 then talks to the emulator.
    aws_endpoint_url: str | None = None
    presign_ttl_seconds: int = Field(default=300, ge=1, le=300)
    training_object_key: str = Field(default="training/training-material.pdf")

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            table_name=env.get("TABLE_NAME", "NazerTable"),
            idempotency_table_name=env.get("IDEMPOTENCY_TABLE_NAME", "IdempotencyTable"),
            bucket_name=env.get("BUCKET_NAME", "nazer-files"),
            user_pool_id=env.get("USER_POOL_ID", ""),
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            aws_endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            presign_ttl_seconds=int(env.get("PRESIGN_TTL_SECONDS", "300")),
            training_object_key=env.get("TRAINING_OBJECT_KEY", "training/training-material.pdf"),
        )


@cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings.from_env()
