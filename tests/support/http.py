"""A small client for the running local stack: HTTP calls, Cognito sign-up and sign-in."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import boto3
import requests


@dataclass
class Stack:
    descriptor: dict[str, Any]

    @property
    def api(self) -> str:
        return str(self.descriptor["apiUrl"])

    def cognito(self) -> Any:
        return boto3.client(
            "cognito-idp",
            endpoint_url=self.descriptor["awsEndpoint"],
            region_name=self.descriptor["region"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def aws(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.descriptor["awsEndpoint"],
            region_name=self.descriptor["region"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def sign_in(self, username: str, password: str) -> str:
        reply = self.cognito().initiate_auth(
            ClientId=self.descriptor["userPoolClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return str(reply["AuthenticationResult"]["IdToken"])

    def demo_token(self, role: str, province: str | None = None) -> str:
        user = next(
            u
            for u in self.descriptor["users"]
            if u["role"] == role and (province is None or u["provinceCode"] == province)
        )
        return self.sign_in(user["username"], user["password"])

    def sign_up(self, phone: str | None = None, password: str = "Citizen-Pass-1403") -> tuple[str, str]:
        """Self sign-up of a citizen (username = mobile in E.164), confirmed as the stack does."""
        username = phone or f"+98912{random.randint(0, 9_999_999):07d}"
        cognito = self.cognito()
        cognito.sign_up(
            ClientId=self.descriptor["userPoolClientId"],
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "phone_number", "Value": username}],
        )
        cognito.admin_confirm_sign_up(UserPoolId=self.descriptor["userPoolId"], Username=username)
        return username, self.sign_in(username, password)

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = token
        return requests.request(method, self.api + path, json=json, headers=all_headers, timeout=60, **kwargs)
