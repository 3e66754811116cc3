"""Who is calling: the Cognito claims that API Gateway's authorizer hands to the function."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nazer.errors import DomainError, forbidden

HQ_ADMIN = "hq-admin"
PROVINCE_OFFICER = "province-officer"
INSPECTOR = "inspector"


def parse_groups(raw: Any) -> frozenset[str]:
    """Accept every shape ``cognito:groups`` arrives in.

    A JSON list (the token itself), a comma-separated string (REST API Cognito authorizer) or a
    bracketed, space-separated string (HTTP API JWT authorizer: ``"[a b]"``).
    """
    if raw is None or raw == "":
        return frozenset()
    if isinstance(raw, list | tuple | set | frozenset):
        return frozenset(str(group).strip() for group in raw if str(group).strip())
    text = str(raw).strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text[1:-1].replace(",", " ").split()
        if isinstance(parsed, list):
            return parse_groups(parsed)
    return frozenset(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class Caller:
    """The signed-in user behind a request."""

    sub: str
    username: str
    groups: frozenset[str]
    province: str | None

    @property
    def is_hq(self) -> bool:
        return HQ_ADMIN in self.groups

    @property
    def is_officer(self) -> bool:
        return PROVINCE_OFFICER in self.groups and bool(self.province)

    @property
    def is_inspector(self) -> bool:
        return INSPECTOR in self.groups

    def require_group(self, *groups: str) -> None:
        if not self.groups.intersection(groups):
            raise forbidden()

    def require_officer_of(self, province_code: str) -> None:
        """An officer acting on their own province (HQ may not act for a province)."""
        if not (self.is_officer and self.province == province_code):
            raise forbidden("Only an officer of this province may do this", "فقط کارشناس همین استان مجاز است")

    def require_province_reader(self, province_code: str) -> None:
        """An officer of this province, or HQ (which may read every province)."""
        if self.is_hq:
            return
        self.require_officer_of(province_code)


def caller_from_claims(claims: Mapping[str, Any] | None) -> Caller:
    """Build the caller, or refuse the request as unauthenticated when there are no claims."""
    if not claims or not claims.get("sub"):
        raise DomainError("unauthorized", "A valid ID token is required", "توکن ورود معتبر لازم است")
    province = claims.get("custom:province")
    return Caller(
        sub=str(claims["sub"]),
        username=str(claims.get("cognito:username") or claims.get("username") or claims["sub"]),
        groups=parse_groups(claims.get("cognito:groups")),
        province=str(province) if province else None,
    )


def claims_from_event(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    context = event.get("requestContext") or {}
    authorizer = context.get("authorizer") or {}
    claims = authorizer.get("claims")
    return claims if isinstance(claims, Mapping) else None
