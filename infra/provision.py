"""Create the template's tables, bucket and user pool on an emulated AWS (moto), from template.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infra.template import Resolver, global_environment, resources_of_type, template

STACK = "nazer-local"
ACCOUNT = "123456789012"


@dataclass
class Provisioned:
    """Physical names of what was created, and the environment the functions run with."""

    region: str
    physical: dict[str, str] = field(default_factory=dict)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def table_name(self) -> str:
        return self.physical["NazerTable"]

    @property
    def bucket(self) -> str:
        return self.physical["FilesBucket"]

    @property
    def user_pool_id(self) -> str:
        return self.physical["UserPool"]

    @property
    def user_pool_client_id(self) -> str:
        return self.physical["UserPoolClient"]


def _table_spec(name: str, props: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "TableName": name,
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        spec["GlobalSecondaryIndexes"] = [
            {"IndexName": gsi["IndexName"], "KeySchema": gsi["KeySchema"], "Projection": gsi["Projection"]}
            for gsi in props["GlobalSecondaryIndexes"]
        ]
    return spec


def provision(session: Any, parameters: dict[str, str] | None = None) -> Provisioned:
    """Create every table, bucket, user pool, client and group the template declares."""
    document = template()
    region = session.region_name
    params = {name: str(spec.get("Default", "")) for name, spec in (document.get("Parameters") or {}).items()} | (
        parameters or {}
    )
    params |= {"AWS::Region": region, "AWS::AccountId": ACCOUNT, "AWS::StackName": STACK, "AWS::Partition": "aws"}
    result = Provisioned(region=region)
    resolver = Resolver(result.physical, result.attributes, params)

    dynamodb = session.client("dynamodb")
    for logical, res in resources_of_type("AWS::DynamoDB::Table", document).items():
        name = f"{STACK}-{logical}"
        dynamodb.create_table(**_table_spec(name, resolver.resolve(res["Properties"])))
        ttl = res["Properties"].get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        result.physical[logical] = name
        result.attributes[(logical, "Arn")] = f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}"

    s3 = session.client("s3")
    for logical, res in resources_of_type("AWS::S3::Bucket", document).items():
        name = f"{STACK}-{logical}".lower()
        if region == "us-east-1":
            s3.create_bucket(Bucket=name)
        else:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
        # Versioning as in AWS: the monthly records and their links name object versions.
        versioning = ((res.get("Properties") or {}).get("VersioningConfiguration") or {}).get("Status")
        if versioning:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": versioning})
        s3.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        result.physical[logical] = name
        result.attributes[(logical, "Arn")] = f"arn:aws:s3:::{name}"

    cognito = session.client("cognito-idp")
    for logical, res in resources_of_type("AWS::Cognito::UserPool", document).items():
        props = res["Properties"]
        pool = cognito.create_user_pool(
            PoolName=resolver.resolve(props.get("UserPoolName", logical)),
            Policies=props.get("Policies", {}),
            Schema=props.get("Schema", []),
            AutoVerifiedAttributes=props.get("AutoVerifiedAttributes", []),
        )["UserPool"]
        result.physical[logical] = pool["Id"]
        result.attributes[(logical, "Arn")] = pool["Arn"]
        result.attributes[(logical, "ProviderName")] = f"cognito-idp.{region}.amazonaws.com/{pool['Id']}"
    for logical, res in resources_of_type("AWS::Cognito::UserPoolClient", document).items():
        props = resolver.resolve(res["Properties"])
        client = cognito.create_user_pool_client(
            UserPoolId=props["UserPoolId"],
            ClientName=props.get("ClientName", logical),
            GenerateSecret=bool(props.get("GenerateSecret", False)),
            ExplicitAuthFlows=props.get("ExplicitAuthFlows", []),
            ReadAttributes=props.get("ReadAttributes", []),
            WriteAttributes=props.get("WriteAttributes", []),
        )["UserPoolClient"]
        result.physical[logical] = client["ClientId"]
    for logical, res in resources_of_type("AWS::Cognito::UserPoolGroup", document).items():
        props = resolver.resolve(res["Properties"])
        cognito.create_group(
            GroupName=props["GroupName"], UserPoolId=props["UserPoolId"], Description=props.get("Description", "")
        )
        result.physical[logical] = props["GroupName"]

    result.environment = {key: str(resolver.resolve(value)) for key, value in global_environment(document).items()}
    return result
