"""GET /regions and GET /openapi.json through the function's handler."""

from __future__ import annotations

from tests.support.events import load_event
from tests.support.lambdas import invoke


def test_regions_lists_32_directorates_with_string_codes(aws):
    reply = invoke("regions", load_event("regions_get"))
    assert reply.status == 200
    provinces = reply.json["provinces"]
    assert len(provinces) == 32
    markazi = provinces[0]
    assert markazi["code"] == "00" and isinstance(markazi["code"], str)
    assert markazi["counties"][0]["code"] == "01"
    assert {"code", "nameFa", "nameEn", "counties"} <= set(markazi)


def test_openapi_document_is_served(aws):
    event = load_event("regions_get")
    event.update(path="/openapi.json", resource="/openapi.json")
    reply = invoke("regions", event)
    assert reply.status == 200
    document = reply.json
    assert document["openapi"].startswith("3.")
    assert "/regions" in document["paths"]
