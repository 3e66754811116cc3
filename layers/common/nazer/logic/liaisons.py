"""HQ names each directorate's liaison (name, phone, email); the monthly report shows them."""

from __future__ import annotations

from datetime import datetime

from nazer.dal import liaisons
from nazer.errors import not_found
from nazer.jalali import iso
from nazer.models.exam import LiaisonIn, LiaisonList, LiaisonOut
from nazer.regions import regions


def put_liaison(province_code: str, body: LiaisonIn, now: datetime, updated_by: str) -> LiaisonOut:
    province = regions().province(province_code)
    if province is None:
        raise not_found("No such directorate", "چنین استانی وجود ندارد")
    item = liaisons.put(
        province_code,
        {"fullName": body.full_name, "phone": body.phone, "email": body.email},
        iso(now),
        updated_by,
    )
    return LiaisonOut(
        province_code=province_code,
        province_name_fa=province.name_fa,
        full_name=item["fullName"],
        phone=item["phone"],
        email=item["email"],
        updated_at=item["updatedAt"],
    )


def list_liaisons() -> LiaisonList:
    """Every directorate, in code order, with its liaison or nulls where none is named yet."""
    stored = liaisons.list_all()
    items = []
    for province in regions().provinces:
        item = stored.get(province.code, {})
        items.append(
            LiaisonOut(
                province_code=province.code,
                province_name_fa=province.name_fa,
                full_name=item.get("fullName"),
                phone=item.get("phone"),
                email=item.get("email"),
                updated_at=item.get("updatedAt"),
            )
        )
    return LiaisonList(items=items)
