"""Who may call each route, declared with the route and checked before the body is validated.

A caller without the right role gets 403 whatever the body holds (a 422 would confirm the route's
schema to someone who may not use it). Object-level checks (own attempt, own report) stay in the
use cases: they answer 404 for objects the caller does not own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from nazer.auth import HQ_ADMIN, INSPECTOR, Caller, caller_from_claims, claims_from_event
from nazer.errors import DomainError

F = TypeVar("F", bound=Callable[..., Any])


class Access(StrEnum):
    PUBLIC = "public"  # no token (the template sets Authorizer: NONE)
    SIGNED_IN = "signed-in"  # any signed-in user: applicants
    INSPECTOR = "inspector"  # group inspector
    HQ = "hq"  # group hq-admin
    PROVINCE_READ = "province-read"  # officer of {provinceCode}, or hq-admin
    PROVINCE_OFFICER = "province-officer"  # officer of {provinceCode} only


# (METHOD, resource path as in template.yaml) -> access; filled as routes are declared.
RULES: dict[tuple[str, str], Access] = {}


def route(router: Any, method: str, path: str, access: Access, **options: Any) -> Callable[[F], F]:
    """Declare a route on a Powertools router together with who may call it.

    ``path`` is written as in template.yaml (``/provinces/{provinceCode}/reports``).
    """

    def register(function: F) -> F:
        RULES[(method.upper(), path)] = access
        powertools_path = re.sub(r"\{(\w+)\}", r"<\1>", path)
        decorated: F = getattr(router, method.lower())(powertools_path, **options)(function)
        return decorated

    return register


def check(access: Access, claims: Mapping[str, Any] | None, path_parameters: Mapping[str, str]) -> Caller | None:
    """The caller if ``access`` admits them; raises 401/403 otherwise (None for public routes)."""
    if access is Access.PUBLIC:
        return None
    caller = caller_from_claims(claims)
    if access is Access.SIGNED_IN:
        return caller
    if access is Access.INSPECTOR:
        caller.require_group(INSPECTOR)
        return caller
    if access is Access.HQ:
        caller.require_group(HQ_ADMIN)
        return caller
    province = path_parameters.get("provinceCode", "")
    if access is Access.PROVINCE_READ:
        caller.require_province_reader(province)
    else:
        caller.require_officer_of(province)
    return caller


def authorize_event(event: Mapping[str, Any]) -> DomainError | None:
    """The 401/403 a request must get before anything else, or None when it may proceed."""
    rule = RULES.get((str(event.get("httpMethod", "")).upper(), str(event.get("resource", ""))))
    if rule is None:
        return None
    try:
        check(rule, claims_from_event(event), event.get("pathParameters") or {})
    except DomainError as error:
        return error
    return None
