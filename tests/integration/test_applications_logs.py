"""Personal data never reaches the logs: a whole sign-up, application, reading and training, captured."""

from __future__ import annotations

import base64
import io
import json
import logging

import boto3

from nazer.observability import logger
from tests.support.applications_factories import application_body, get_route, post_application
from tests.support.factories import valid_national_id


def signed_up_claims(provisioned, phone: str) -> dict[str, str]:
    """Self sign-up in the emulated user pool, confirmed, signed in: the ID token's claims."""
    cognito = boto3.client("cognito-idp", region_name="us-east-1")
    cognito.sign_up(
        ClientId=provisioned.user_pool_client_id,
        Username=phone,
        Password="Citizen-Pass-1403",
        UserAttributes=[{"Name": "phone_number", "Value": phone}],
    )
    cognito.admin_confirm_sign_up(UserPoolId=provisioned.user_pool_id, Username=phone)
    tokens = cognito.initiate_auth(
        ClientId=provisioned.user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": phone, "PASSWORD": "Citizen-Pass-1403"},
    )["AuthenticationResult"]
    payload = tokens["IdToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in claims.items()}


def test_signup_apply_read_and_train_log_no_personal_data(aws, capsys, caplog):
    # Given the Powertools logger's JSON output captured at its most talkative level
    # (its handler keeps the stdout it was created with, so capsys alone may miss it)
    level = logger.log_level
    logger.setLevel(logging.DEBUG)
    powertools_output = io.StringIO()
    stdout = logger.registered_handler.setStream(powertools_output)
    # Everything else at the level Lambda passes on by default (INFO); botocore chatters below it.
    caplog.set_level(logging.INFO)
    try:
        national_id = valid_national_id()
        phone = "+989127654321"
        claims = signed_up_claims(aws, phone)
        body = application_body(
            nationalId=national_id,
            firstName="کیانوش",
            lastName="فرهمندپور",
            fatherName="بهرام‌علی",
            mobile="09127654321",
            email="kianoush.farahmandpour@example.com",
            address="خیابان ولیعصر، کوچهٔ نسترن، پلاک ۷",
        )
        # When they apply, retry, get a 422, read their application and download the training file
        assert post_application(claims, body).status == 201
        assert post_application(claims, body).status == 409
        assert post_application(claims, {**body, "birthDate": "1399/01/01"}).status == 422
        assert get_route("/applications/me", claims).status == 200
        assert get_route("/training-material", claims).status == 200
    finally:
        logger.setLevel(level)
        logger.registered_handler.setStream(stdout)
    # Then the log output shows the events...
    lines = powertools_output.getvalue()
    assert '"message":"application submitted"' in lines and '"message":"training started"' in lines
    captured = capsys.readouterr()
    output = lines + captured.out + captured.err + caplog.text
    # ...but none of the personal data
    for secret in (
        national_id,
        "09127654321",
        "9127654321",
        "کیانوش",
        "فرهمندپور",
        "بهرام",
        "kianoush",
        "ولیعصر",
    ):
        assert secret not in output, f"personal data in the logs: {secret}"
