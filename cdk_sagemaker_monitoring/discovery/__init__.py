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

from ..aws_access import client as make_client, explain, failure_note, is_caller_problem, session as make_session
from . import sagemaker
from .document import DEFAULT_STACK_NAME, SECTIONS, build_document, header_text, to_yaml, validated
from .instances import GPU_COUNTS, gpus

__all__ = ["Discovery", "GPU_COUNTS", "SECTIONS", "discover", "gpus"]

Lister = Callable[[Any, datetime, list], list]

#: section -> (API call of its listing, lister(client, created_after, notes))
_LISTERS: dict[str, tuple[str, Lister]] = {
    "endpoints": ("sagemaker:ListEndpoints", lambda c, _, n: sagemaker.endpoints(c, n)),
    "training_jobs": ("sagemaker:ListTrainingJobs", sagemaker.training_jobs),
    "processing_jobs": ("sagemaker:ListProcessingJobs", sagemaker.processing_jobs),
    "transform_jobs": ("sagemaker:ListTransformJobs", sagemaker.transform_jobs),
    "feature_groups": ("sagemaker:ListFeatureGroups", lambda c, _, n: sagemaker.feature_groups(c)),
    "pipelines": ("sagemaker:ListPipelines", lambda c, _, n: sagemaker.pipelines(c, n)),
    "labeling_jobs": ("sagemaker:ListLabelingJobs", lambda c, after, n: sagemaker.labeling_jobs(c, after)),
    "workteams": ("sagemaker:ListWorkteams", lambda c, _, n: sagemaker.workteams(c)),
    "hyperpod_clusters": ("sagemaker:ListClusters", lambda c, _, n: sagemaker.hyperpod_clusters(c, n)),
    "monitoring_schedules": ("sagemaker:ListMonitoringSchedules", lambda c, _, n: sagemaker.monitoring_schedules(c)),
}


@dataclass
class Discovery:
    """What :func:`discover` found: the configuration mapping and notes on what it could not do."""

    document: dict
    region: Optional[str] = None
    account: Optional[str] = None
    since_days: int = 7
    notes: list = field(default_factory=list)
    """One line each: a section that could not be listed, an entry left out (and why)."""
    skipped_sections: list = field(default_factory=list)
    """Sections whose listing failed: they are missing from the document."""
    incomplete_sections: list = field(default_factory=list)
    """Sections written without some entries whose describe calls failed."""

    @property
    def partial(self) -> bool:
        """Some section or entry could not be listed: the configuration may miss resources."""
        return bool(self.skipped_sections or self.incomplete_sections)

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
    days (labeling jobs in progress too). A section whose listing fails for any reason (denied, not
    implemented, not offered in the region, throttled after retries, a server error) is left out with
    a one-line note naming the API call and the error, and so is an entry whose describe calls fail;
    the rest is listed (``partial``). Only a failure every call would share (no or rejected
    credentials, no region) raises :class:`~cdk_sagemaker_monitoring.aws_access.AwsAccessError`.
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
        left_out: list[str] = []
        try:
            found[key] = lister(sm, created_after, left_out)
        except Exception as err:  # noqa: BLE001 - one section's failure is a note, the others are still listed
            if is_caller_problem(err):
                raise explain(err, action, f"region {region}") from None
            result.skipped_sections.append(key)
            result.notes.append(f"skipped {key}: " + failure_note(err, action, f"region {region}"))
            continue
        if left_out:
            result.incomplete_sections.append(key)
            result.notes.extend(f"{key}: {note}" for note in left_out)
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
    except Exception as err:  # noqa: BLE001 - any failure is one line, the rest is kept
        if is_caller_problem(err):
            raise explain(err, action, f"region {region}") from None
        why = failure_note(err, action, f"region {region}")
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


