"""How the package calls AWS: sessions from the standard configuration, retrying clients, and
one-line explanations of the failures people actually hit.

Standard configuration means whatever boto3 honours: ``AWS_PROFILE``/``--profile``, ``AWS_REGION``
or the profile's region, ``AWS_ENDPOINT_URL`` (and ``AWS_ENDPOINT_URL_<SERVICE>``), credentials
from the environment, files, SSO or instance roles.
"""

from __future__ import annotations

from typing import Any, Optional

#: Retries for every client: adaptive mode adds client-side rate limiting to the standard
#: exponential backoff with jitter, which is what AWS asks callers of throttled APIs to do.
RETRY_ATTEMPTS = 10


class AwsAccessError(Exception):
    """An AWS call failed in a way the user must fix; ``str()`` is one line saying what and how."""


def session(profile: Optional[str] = None, region: Optional[str] = None) -> Any:
    """A boto3 session from the standard configuration (``profile``/``region`` override it)."""
    import boto3
    import botocore.exceptions

    try:
        return boto3.Session(profile_name=profile or None, region_name=region or None)
    except botocore.exceptions.ProfileNotFound as err:
        name = profile or err.kwargs.get("profile")  # without --profile, the one AWS_PROFILE names
        raise AwsAccessError(
            f"AWS profile {name!r} is not configured: add it to ~/.aws/config or pick another with --profile"
        ) from None


def client(boto_session: Any, service: str, *, pool: int = 10) -> Any:
    """A client with adaptive retries (backoff on throttling) and room for ``pool`` parallel calls."""
    import botocore.config
    import botocore.exceptions

    config = botocore.config.Config(
        retries={"mode": "adaptive", "total_max_attempts": RETRY_ATTEMPTS},
        max_pool_connections=max(pool, 10),
        user_agent_extra="cdk-sagemaker-monitoring",
    )
    try:
        return boto_session.client(service, config=config)
    except botocore.exceptions.NoRegionError:
        raise AwsAccessError(
            f"no AWS region configured for {service}: pass --region or set AWS_REGION (or a region in your profile)"
        ) from None


_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "Forbidden", "403"}
_BAD_CREDENTIALS = {
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "InvalidToken",
}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "SlowDown",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
}


def error_code(err: BaseException) -> str:
    """The AWS error code of a botocore ``ClientError`` ('' for anything else)."""
    response = getattr(err, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def explain(err: BaseException, action: str, resource: str, *, permission: Optional[str] = None) -> AwsAccessError:
    """Turn a boto3/botocore exception into one line: what failed, on which resource, what to do.

    ``action`` is the API call (``s3:ListObjectsV2``), ``resource`` what it was called on
    (``s3://bucket/prefix``); ``permission`` the IAM action to grant when it differs from ``action``.
    """
    import botocore.exceptions as bx

    what = f"{action} on {resource}"
    if isinstance(err, (bx.NoCredentialsError, bx.PartialCredentialsError)):
        return AwsAccessError(
            f"{what} failed: no AWS credentials found "
            "(set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws configure` / `aws sso login`)"
        )
    if isinstance(err, (bx.SSOTokenLoadError, bx.UnauthorizedSSOTokenError, bx.TokenRetrievalError)):
        return AwsAccessError(f"{what} failed: the SSO session has expired or is missing (run `aws sso login`)")
    if isinstance(err, bx.NoRegionError):
        return AwsAccessError(f"{what} failed: no AWS region configured (pass --region or set AWS_REGION)")
    if isinstance(err, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError)):
        return AwsAccessError(
            f"{what} failed: cannot reach the AWS endpoint ({err}); check the network, --region and AWS_ENDPOINT_URL"
        )
    if isinstance(err, bx.ClientError):
        code = error_code(err)
        message = err.response.get("Error", {}).get("Message") or ""
        status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in {"NoSuchBucket"}:
            bucket = err.response.get("Error", {}).get("BucketName") or resource
            return AwsAccessError(
                f"{what} failed: bucket {bucket} does not exist (check the bucket name, and the account/endpoint you are using)"
            )
        if code in _DENIED or (status == 403 and code not in _BAD_CREDENTIALS):
            grant = permission or action
            return AwsAccessError(
                f"{what} was denied ({code or 403}): give your identity {grant} on it, or use a profile that has it"
            )
        if code in _BAD_CREDENTIALS:
            return AwsAccessError(
                f"{what} failed: AWS rejected the credentials ({code}); refresh them (new session token, `aws sso login`)"
            )
        if code in _THROTTLED:
            return AwsAccessError(
                f"{what} was throttled by AWS ({code}) even after {RETRY_ATTEMPTS} attempts with backoff: "
                "wait a minute and retry, or use fewer --workers"
            )
        detail = f"{code}: {message}".strip(": ") or str(err)
        return AwsAccessError(f"{what} failed: {detail}")
    if isinstance(err, bx.BotoCoreError):
        return AwsAccessError(f"{what} failed: {err}")
    return AwsAccessError(f"{what} failed: {type(err).__name__}: {err}")


def is_caller_problem(err: BaseException) -> bool:
    """Whether ``err`` is about the caller, not one API: no or rejected credentials, an expired SSO
    session, no region. Every other call would fail the same way, so a partial result means nothing."""
    import botocore.exceptions as bx

    if isinstance(err, AwsAccessError):  # raised by explain(): judge the AWS error it explains
        return err.__context__ is not None and is_caller_problem(err.__context__)
    if isinstance(err, (bx.NoCredentialsError, bx.PartialCredentialsError, bx.NoRegionError, bx.SSOTokenLoadError,
                        bx.UnauthorizedSSOTokenError, bx.TokenRetrievalError)):
        return True
    return isinstance(err, bx.ClientError) and error_code(err) in _BAD_CREDENTIALS


def failure_note(err: BaseException, action: str, resource: str) -> str:
    """One line naming the API call ``action`` and what went wrong, for an error that is reported and skipped
    (any exception: AWS errors as :func:`explain` says them, anything else by its type and message)."""
    if isinstance(err, AwsAccessError):
        return str(err)
    if is_aws_error(err):
        return str(explain(err, action, resource))
    text = " ".join(str(err).split()) or "no message"
    return f"{action} on {resource} failed: {type(err).__name__}: {text}"


def is_aws_error(err: BaseException) -> bool:
    """Whether ``err`` comes from boto3/botocore (and :func:`explain` can describe it)."""
    import botocore.exceptions as bx

    return isinstance(err, (bx.BotoCoreError, bx.ClientError))
