"""The sample events in events/ run through the function as they are (like `sam local invoke`)."""

from __future__ import annotations

from tests.support.events import load_event
from tests.support.lambdas import invoke


def test_sample_events_walk_the_applicant_path(aws):
    # Given the sample application (Persian digits, Arabic letters, an Idempotency-Key)
    created = invoke("applications", load_event("applications_post"))
    assert created.status == 201, created.text
    assert created.json["nationalId"] == "0012345679" and created.json["firstName"] == "مریم"
    assert created.json["mobile"] == "09121234567" and created.json["birthDate"] == "1370/05/12"
    # The same event again is an idempotent replay
    assert invoke("applications", load_event("applications_post")).json == created.json
    # Then the same applicant reads it and downloads the training file
    me = invoke("applications", load_event("applications_me_get"))
    assert me.status == 200 and me.json["applicationId"] == created.json["applicationId"]
    training = invoke("applications", load_event("training_material_get"))
    assert training.status == 200 and training.json["fileName"].endswith(".pdf")
    # And HQ's sample list query answers (Persian errors would apply: the event asks for fa)
    listed = invoke("applications", load_event("admin_applications_get"))
    assert listed.status == 200 and listed.json == {"items": [], "nextCursor": None}
