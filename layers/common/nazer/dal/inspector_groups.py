"""The Cognito group ``inspector``: the only code that changes a user's groups."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from nazer.auth import INSPECTOR
from nazer.aws import cognito_client
from nazer.settings import get_settings


def add_to_inspector_group(username: str) -> str | None:
    """Put the user in the Cognito group ``inspector`` (idempotent); the error code on failure."""
    return _group_call("admin_add_user_to_group", username, tolerate=())


def remove_from_inspector_group(username: str) -> str | None:
    """Take the user out of the group ``inspector``; a user who no longer exists counts as done."""
    return _group_call("admin_remove_user_from_group", username, tolerate=("UserNotFoundException",))


def _group_call(operation: str, username: str, tolerate: tuple[str, ...]) -> str | None:
    try:
        getattr(cognito_client(), operation)(
            UserPoolId=get_settings().user_pool_id, Username=username, GroupName=INSPECTOR
        )
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", "ClientError"))
        return None if code in tolerate else code
    except BotoCoreError as error:
        return type(error).__name__
    return None
