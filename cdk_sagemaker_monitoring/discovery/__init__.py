"""Discover an account's SageMaker resources and write them as a monitoring configuration.

::

    from cdk_sagemaker_monitoring.discovery import discover
    found = discover(region="eu-west-1", since_days=14)
    print(found.yaml())          # a configuration load_config accepts as it is
    found.notes                  # sections that could not be listed, entries left out

The ``sagemaker-monitoring discover`` command wraps :func:`discover`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional

from ..aws_access import client as make_client, error_code, explain, is_aws_error, session as make_session
from . import sagemaker
from .document import DEFAULT_STACK_NAME, SECTIONS, build_document, header_text, to_yaml, validated
from .instances import GPU_COUNTS, gpus

__all__ = ["Discovery", "GPU_COUNTS", "SECTIONS", "discover", "gpus"]

_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}

#: section -> (IAM action of its list call, lister(client, created_after))
_LISTERS: dict[str, tuple[str, Callable[[Any, datetime], list]]] = {
    "endpoints": ("sagemaker:ListEndpoints", lambda c, _: sagemaker.endpoints(c)),
    "training_jobs": ("sagemaker:ListTrainingJobs", sagemaker.training_jobs),
    "processing_jobs": ("sagemaker:ListProcessingJobs", sagemaker.processing_jobs),
    "transform_jobs": ("sagemaker:ListTransformJobs", sagemaker.transform_jobs),
    "feature_groups": ("sagemaker:ListFeatureGroups", lambda c, _: sagemaker.feature_groups(c)),
    "pipelines": ("sagemaker:ListPipelines", lambda c, _: sagemaker.pipelines(c)),
    "labeling_jobs": ("sagemaker:ListLabelingJobs", sagemaker.labeling_jobs),
    "workteams": ("sagemaker:ListWorkteams", lambda c, _: sagemaker.workteams(c)),
}


@dataclass
class Discovery:
    """What :func:`discover` found: the configuration mapping and notes on what it could not do."""

    document: dict
    region: Optional[str] = None
    account: Optional[str] = None
    since_days: int = 7
    notes: list = field(default_factory=list)
    skipped_sections: list = field(default_factory=list)

    @property
    def partial(self) -> bool:
        """Some section could not be listed (access denied): the configuration may miss resources."""
        return bool(self.skipped_sections)

    def counts(self) -> dict[str, int]:
        return {key: len(self.document.get(key, ())) for key in SECTIONS}

    def yaml(self) -> str:
        return to_yaml(self.document, header=header_text(self.region, self.account, self.since_days))


def discover(
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    boto_session: Any = None,
    since_days: int = 7,
    stack_name: str = DEFAULT_STACK_NAME,
    sections: tuple = SECTIONS,
    now: Optional[datetime] = None,
) -> Discovery:
    """List the SageMaker resources of one account and region as a monitoring configuration.

    Jobs (training, processing, transform, labeling) are those created in the last ``since_days``
    days (labeling jobs in progress too). A section whose list call is denied is left out with a
    note (``partial``); other AWS failures raise
    :class:`~cdk_sagemaker_monitoring.aws_access.AwsAccessError` with a one-line message.
    """
    if since_days < 0:
        raise ValueError("since_days must be 0 or more")
    boto_session = boto_session or make_session(profile, region)
    sm = make_client(boto_session, "sagemaker", pool=sagemaker.DESCRIBE_THREADS * 2)
    region = sm.meta.region_name
    created_after = (now or datetime.now(timezone.utc)) - timedelta(days=since_days)
    found: dict[str, list] = {}
    result = Discovery({}, region=region, since_days=since_days)
    for key in sections:
        action, lister = _LISTERS[key]
        try:
            found[key] = lister(sm, created_after)
        except Exception as err:  # noqa: BLE001 - translated to one line
            if not is_aws_error(err):
                raise
            if error_code(err) in _DENIED:
                result.skipped_sections.append(key)
                result.notes.append(str(explain(err, action, f"account region {region}")))
                continue
            raise explain(err, action, f"region {region}") from None
    if found.get("endpoints"):
        _add_components(sm, found["endpoints"], result, region)
    result.account = _account(boto_session)
    document = build_document(found, stack_name=stack_name, account=result.account, region=region)
    result.document, dropped = validated(document)
    result.notes.extend(dropped)
    return result


def _add_components(sm: Any, endpoints: list, result: Discovery, region: Optional[str]) -> None:
    """Each endpoint's inference components; a failure of the list call is a note, the endpoints stay."""
    action = "sagemaker:ListInferenceComponents"
    try:
        components = sagemaker.inference_components(sm)
    except Exception as err:  # noqa: BLE001 - one line, the rest is kept
        if not is_aws_error(err) and not isinstance(err, NotImplementedError):
            raise
        why = str(explain(err, action, f"region {region}")) if is_aws_error(err) else f"{action}: {err}"
        result.notes.append(f"inference components not listed (endpoints kept without them): {why}")
        result.skipped_sections.append("endpoints.inference_components")
        return
    sagemaker.add_inference_components(endpoints, components)


def _account(boto_session: Any) -> Optional[str]:
    """The caller's account id (STS GetCallerIdentity), or None when it cannot be had."""
    try:
        return make_client(boto_session, "sts").get_caller_identity()["Account"]
    except Exception:  # noqa: BLE001 - the account is a convenience in the file, not required
        return None


