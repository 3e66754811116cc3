"""Outreach activities: what a province did to recruit inspectors, logged by its officers."""

from __future__ import annotations

from datetime import datetime

from nazer.auth import Caller
from nazer.dal import outreach as store
from nazer.domain.ulid import new_ulid
from nazer.errors import field_error, not_found
from nazer.idempotency import Reply, run_once
from nazer.jalali import Period, iso, parse_jalali_date, tehran_date
from nazer.models.reports import OutreachIn, OutreachOut, OutreachPage, dump
from nazer.regions import regions


def log_activity(caller: Caller, province: str, body: OutreachIn, idempotency_key: str | None, now: datetime) -> Reply:
    """``POST /provinces/{p}/outreach-activities`` (officer of ``p``) → 201 with the stored activity."""
    caller.require_officer_of(province)

    def produce() -> Reply:
        if parse_jalali_date(body.date) > tehran_date(now):
            raise field_error(
                "date", "an activity is logged once it has happened", "تاریخ فعالیت نمی‌تواند در آینده باشد"
            )
        activity = {
            "activityId": new_ulid(now),
            "provinceCode": province,
            "date": body.date,
            "type": str(body.type),
            "title": body.title,
            "description": body.description,
            "peopleReached": body.people_reached,
            "createdAt": iso(now),
            "createdBy": caller.sub,
        }
        stored = store.put(activity)
        return {"status": 201, "body": dump(OutreachOut.model_validate(stored))}

    payload = {"province": province, **body.model_dump(mode="json", by_alias=True)}
    return run_once("outreach.log", caller.sub, idempotency_key, payload, produce)


def list_activities(caller: Caller, province: str, period: str | None, limit: int, cursor: str | None) -> OutreachPage:
    """``GET /provinces/{p}/outreach-activities`` (officer of ``p`` or HQ), newest first; ``period`` optional."""
    caller.require_province_reader(province)
    if regions().province(province) is None:
        raise not_found("No such province", "چنین استانی وجود ندارد")
    prefix = None
    if period:
        try:
            month = Period.parse(period)
        except ValueError as exc:
            raise field_error(
                "period", "expected a period like 1403-07", "دورهٔ ماهانه معتبر نیست (قالب ۱۴۰۳-۰۷)"
            ) from exc
        prefix = f"{month.year:04d}/{month.month:02d}/"
    page = store.list_for_province(province, prefix, limit, cursor)
    return OutreachPage(items=[OutreachOut.model_validate(item) for item in page.items], next_cursor=page.next_cursor)
