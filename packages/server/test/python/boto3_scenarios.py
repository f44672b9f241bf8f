"""Drives Cognate through boto3's cognito-idp client, as a Python app would.

Usage: boto3_scenarios.py <step> '<json arguments>'

The endpoint, region and operator credentials come from the environment only
(AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_REGION, AWS_SHARED_CREDENTIALS_FILE,
AWS_PROFILE), exactly the lines `cognate start` prints. Each step prints one
JSON object; errors are reported as {"code", "message"} from botocore's
ClientError so the Node test can compare them with what the JS SDK sees.
"""

import base64
import json
import sys

import boto3
from botocore.exceptions import ClientError

PASSWORD = "Passw0rd!"


def client():
    return boto3.client("cognito-idp")


def error_of(call):
    """Runs call() and returns its ClientError as {"code", "message"}, or None when it succeeds."""
    try:
        call()
    except ClientError as e:
        return {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
    return None


def claims(jwt):
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def attributes(pairs):
    return {a["Name"]: a["Value"] for a in pairs}


def setup(args):
    """CreateUserPool, CreateUserPoolClient, SignUp, and users to page through."""
    idp = client()
    pool = idp.create_user_pool(PoolName="boto3", AutoVerifiedAttributes=["email"])["UserPool"]
    app = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="python-app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    signed_up = idp.sign_up(
        ClientId=app["ClientId"],
        Username=args["username"],
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": args["email"]}, {"Name": "family_name", "Value": "Python"}],
    )
    for i in range(args["pagedUsers"]):
        idp.admin_create_user(
            UserPoolId=pool["Id"],
            Username=f"paged-{i}",
            UserAttributes=[{"Name": "family_name", "Value": "Paged"}],
            MessageAction="SUPPRESS",
        )
    return {
        "poolId": pool["Id"],
        "poolName": pool["Name"],
        "clientId": app["ClientId"],
        "explicitAuthFlows": app["ExplicitAuthFlows"],
        "userConfirmed": signed_up["UserConfirmed"],
        "userSub": signed_up["UserSub"],
        "delivery": signed_up.get("CodeDeliveryDetails"),
    }


def scenarios(args):
    idp = client()
    pool_id, client_id, username = args["poolId"], args["clientId"], args["username"]
    out = {}

    idp.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=args["code"])
    auth = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD}
    )["AuthenticationResult"]
    out["auth"] = {
        "tokenType": auth["TokenType"],
        "expiresIn": auth["ExpiresIn"],
        "hasRefreshToken": bool(auth.get("RefreshToken")),
        "access": claims(auth["AccessToken"]),
        "id": claims(auth["IdToken"]),
    }

    me = idp.get_user(AccessToken=auth["AccessToken"])
    out["getUser"] = {"username": me["Username"], "attributes": attributes(me["UserAttributes"])}

    out["wrongPassword"] = error_of(
        lambda: idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": username, "PASSWORD": "Wr0ng-password!"}
        )
    )
    out["unknownUser"] = error_of(
        lambda: idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "nobody-here", "PASSWORD": PASSWORD}
        )
    )
    out["adminGetUnknown"] = error_of(lambda: idp.admin_get_user(UserPoolId=pool_id, Username="nobody-here"))

    got = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    out["adminGetUser"] = {
        "username": got["Username"],
        "status": got["UserStatus"],
        "enabled": got["Enabled"],
        "attributes": attributes(got["UserAttributes"]),
        # botocore turns the epoch-seconds timestamps into datetimes.
        "createDateType": type(got["UserCreateDate"]).__name__,
    }

    # ListUsers by hand: Filter, Limit 2, following PaginationToken.
    pages = []
    kwargs = {"UserPoolId": pool_id, "Filter": 'family_name = "Paged"', "Limit": 2}
    first_token = None
    while True:
        page = idp.list_users(**kwargs)
        pages.append([u["Username"] for u in page["Users"]])
        token = page.get("PaginationToken")
        if not token or len(pages) > 10:
            break
        first_token = first_token or token
        kwargs["PaginationToken"] = token
    out["listPages"] = pages
    out["listOther"] = [u["Username"] for u in idp.list_users(UserPoolId=pool_id, Filter='family_name = "Python"')["Users"]]
    # The same query through boto3's own paginator (it feeds PaginationToken back).
    paginator = idp.get_paginator("list_users")
    out["paginatorPages"] = [
        [u["Username"] for u in page["Users"]]
        for page in paginator.paginate(UserPoolId=pool_id, Filter='family_name = "Paged"', PaginationConfig={"PageSize": 2})
    ]
    # A token issued for one Filter, presented with another.
    out["tokenOtherFilter"] = error_of(
        lambda: idp.list_users(UserPoolId=pool_id, Filter='family_name = "Python"', Limit=2, PaginationToken=first_token)
    )

    if args.get("groups"):
        idp.create_group(UserPoolId=pool_id, GroupName="readers", Description="from boto3")
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName="readers")
        again = idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD}
        )["AuthenticationResult"]
        out["groups"] = {
            "listed": [g["GroupName"] for g in idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]],
            "accessClaim": claims(again["AccessToken"]).get("cognito:groups"),
            "idClaim": claims(again["IdToken"]).get("cognito:groups"),
        }
    return out


def regional(args):
    """In the region of AWS_REGION: CreateUserPool (when a name is given), ListUserPools, and DescribeUserPool of args["foreign"] pools."""
    idp = client()
    created = None
    if args.get("name"):
        pool = idp.create_user_pool(PoolName=args["name"])["UserPool"]
        created = {"id": pool["Id"], "arn": pool["Arn"]}
    listed = sorted(p["Id"] for page in idp.get_paginator("list_user_pools").paginate(MaxResults=60) for p in page["UserPools"])
    foreign = {pool_id: error_of(lambda: idp.describe_user_pool(UserPoolId=pool_id)) for pool_id in args.get("foreign", [])}
    return {"region": idp.meta.region_name, "created": created, "listed": listed, "foreign": foreign}


STEPS = {"setup": setup, "scenarios": scenarios, "regional": regional}

if __name__ == "__main__":
    step, raw = sys.argv[1], sys.argv[2]
    print(json.dumps(STEPS[step](json.loads(raw)), default=str))
