"""Check a live account against a monitoring configuration.

::

    from cdk_sagemaker_monitoring.config.loader import load_config
    from cdk_sagemaker_monitoring.verification import verify
    report = verify(load_config("prod.yaml"), region="eu-west-1")
    print(report.table())
    report.failed     # something expected is missing

Checks: the trail exists, is logging and selects ``AWS::SageMaker::ExperimentTrialComponent``
(``trail``); each alarm the plan names exists and has actions (``alarms``); each dashboard exists
(``dashboards``); each configured resource has emitted metrics (``metrics``, warnings only: a
resource that did not run in the last two weeks has none); each planned alarm's metric is listed by
CloudWatch with the alarm's dimensions (``alarm-metrics``, warnings: which alarms watch nothing, and
which rest on evidence weaker than an AWS page); each failure-event rule exists on the default bus, is
enabled and has dead-letter queues on its targets (``events``; its alarms and dashboard are in ``alarms`` and
``dashboards``, not in ``alarm-metrics``: ``AWS/Events`` lists a rule's metrics only once it has matched).
A check whose AWS call fails is an ``error`` finding
naming the call, and the other checks still run. Expected names come from the same plan
code the constructs render. Where the stack reports a resource with no physical id (LocalStack
accepts dashboards and trails without creating them) the finding is ``unknown``, not ``ok``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from ..aws_access import client as make_client, session as make_session
from . import checks
from .watched import check_alarm_metrics
from .expected import Expected, dashboard_base, expected
from .findings import SKIPPED, Finding, failed, summary, table

CHECKS = ("trail", "alarms", "dashboards", "metrics", "alarm-metrics", "events")

__all__ = ["CHECKS", "Expected", "Finding", "VerifyReport", "dashboard_base", "expected", "verify"]


@dataclass
class VerifyReport:
    findings: list = field(default_factory=list)
    region: Optional[str] = None
    strict: bool = False

    @property
    def failed(self) -> bool:
        return failed(self.findings, strict=self.strict)

    def table(self, *, problems_only: bool = False) -> str:
        return table(self.findings, problems_only=problems_only)

    def summary(self) -> str:
        return summary(self.findings)


def verify(
    config: Any,
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    boto_session: Any = None,
    skip: Iterable[str] = (),
    strict: bool = False,
) -> VerifyReport:
    """Run the checks not in ``skip`` against the account; see the module docstring."""
    skip = set(skip)
    unknown = skip - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown check(s) to skip: {', '.join(sorted(unknown))} (checks: {', '.join(CHECKS)})")
    boto_session = boto_session or make_session(profile, region)
    cloudwatch = make_client(boto_session, "cloudwatch")
    report = VerifyReport(region=cloudwatch.meta.region_name, strict=strict)
    names = expected(config)
    stack_name = getattr(config, "stack_name", None)
    resources = None
    if stack_name and not {"trail", "dashboards"} <= skip:
        try:
            resources = checks.stack_resources(make_client(boto_session, "cloudformation"), stack_name)
        except Exception as err:  # noqa: BLE001 - without the stack's resources the checks still run by name
            report.findings.append(checks.error_finding(
                "stack", stack_name, err, "cloudformation:DescribeStackResources", f"stack {stack_name}"))

    if "trail" in skip:
        report.findings.append(Finding("trail", "-", SKIPPED, "--skip trail"))
    else:
        try:
            report.findings.extend(checks.check_trail(make_client(boto_session, "cloudtrail"), config, resources))
        except Exception as err:  # noqa: BLE001 - one failing check is a finding, not the end of the report
            trail = getattr(getattr(config, "trail", None), "name", None) or "-"
            report.findings.append(checks.error_finding("trail", trail, err, "cloudtrail", f"trail {trail}"))
    if "alarms" in skip:
        report.findings.append(Finding("alarm", f"{len(names.alarm_names)} alarms", SKIPPED, "--skip alarms"))
    else:
        report.findings.extend(checks.check_alarms(cloudwatch, names.alarm_names))
    if "dashboards" in skip:
        report.findings.append(Finding("dashboard", f"{len(names.dashboard_names)} dashboards", SKIPPED,
                                       "--skip dashboards"))
    else:
        report.findings.extend(checks.check_dashboards(cloudwatch, names.dashboard_names, resources))
    if "metrics" in skip:
        report.findings.append(Finding("metrics", "-", SKIPPED, "--skip metrics"))
    else:
        report.findings.extend(checks.check_metrics(cloudwatch, config.resources()))
    if "alarm-metrics" in skip:
        report.findings.append(Finding("alarm-metrics", f"{len(names.plan.alarms)} alarms", SKIPPED,
                                       "--skip alarm-metrics"))
    else:
        report.findings.extend(check_alarm_metrics(cloudwatch, names.plan.alarms))
    if names.rule_names:
        if "events" in skip:
            report.findings.append(Finding("event-rule", f"{len(names.rule_names)} rules", SKIPPED, "--skip events"))
        else:
            report.findings.extend(checks.check_event_rules(make_client(boto_session, "events"), names.rule_names))
    return report


