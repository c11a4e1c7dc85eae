"""The checks of ``verify``, one function each; every one returns findings and never raises for a
missing resource. An AWS call that fails (denied, throttled after retries, a server error...) is an
``error`` finding naming the call, and the other checks go on; only a failure every call would share
(no or rejected credentials, no region) raises."""

from __future__ import annotations

from typing import Any, Iterable, Optional

from ..aws_access import error_code, explain, failure_note, is_caller_problem
from .findings import ERROR, MISSING, OK, PROBLEM, SKIPPED, UNKNOWN, WARNING, Finding

TRIAL_COMPONENT_TYPE = "AWS::SageMaker::ExperimentTrialComponent"
#: Physical id an emulator gives resources it accepts without creating (LocalStack: dashboards, trails).
PLACEHOLDER_IDS = frozenset({"unknown", ""})
DESCRIBE_ALARMS_BATCH = 100  # DescribeAlarms takes at most 100 names


def error_finding(check: str, subject: str, err: BaseException, action: str, resource: str) -> Finding:
    """The finding of a check whose AWS call failed; re-raises what no other call would survive either."""
    if is_caller_problem(err):
        raise err
    return Finding(check, subject, ERROR, failure_note(err, action, resource))


def stack_resources(cloudformation: Any, stack_name: str) -> Optional[list[dict]]:
    """The stack's resources (``DescribeStackResources``), or None when the stack does not exist."""
    try:
        return cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    except Exception as err:  # noqa: BLE001
        if error_code(err) == "ValidationError" and "does not exist" in str(err):
            return None
        raise explain(err, "cloudformation:DescribeStackResources", f"stack {stack_name}") from None


def _physical(resources: Optional[list[dict]], resource_type: str) -> list[str]:
    return [r.get("PhysicalResourceId", "") for r in resources or () if r.get("ResourceType") == resource_type]


# ------------------------------------------------------------------------------------------ trail


def _selects_trial_components(selectors: dict) -> bool:
    for selector in selectors.get("AdvancedEventSelectors") or ():
        for field in selector.get("FieldSelectors", ()):
            if field.get("Field") == "resources.type" and TRIAL_COMPONENT_TYPE in (field.get("Equals") or ()):
                return True
    return False


def check_trail(cloudtrail: Any, config: Any, resources: Optional[list[dict]]) -> list[Finding]:
    """The trail exists, is logging, and has the ExperimentTrialComponent advanced event selector."""
    trail_config = getattr(config, "trail", None)
    if trail_config is not None and not trail_config.enabled:
        return [Finding("trail", "-", SKIPPED, "trail.enabled is false in the configuration")]
    physical = _physical(resources, "AWS::CloudTrail::Trail")
    if physical and all(p in PLACEHOLDER_IDS for p in physical):
        return [Finding("trail", (trail_config.name if trail_config is not None else None) or "(from stack)", UNKNOWN,
                        "the stack reports its trail with no physical id: nothing to check "
                        "(an emulator that accepts trails without creating them?)")]
    names = [trail_config.name] if trail_config is not None and trail_config.name else []
    if not names:
        names = [p for p in physical if p not in PLACEHOLDER_IDS]
    if not names:
        return _find_any_trail(cloudtrail)
    return [finding for name in names for finding in _check_one_trail(cloudtrail, name)]


def _check_one_trail(cloudtrail: Any, name: str) -> list[Finding]:
    subject = name.rsplit("/", 1)[-1]
    try:
        cloudtrail.get_trail(Name=name)
    except Exception as err:  # noqa: BLE001
        if error_code(err) == "TrailNotFoundException":
            return [Finding("trail", subject, MISSING, "no trail of this name (CloudTrail GetTrail)")]
        raise explain(err, "cloudtrail:GetTrail", f"trail {subject}") from None
    try:
        status = cloudtrail.get_trail_status(Name=name)
        selectors = cloudtrail.get_event_selectors(TrailName=name)
    except Exception as err:  # noqa: BLE001
        raise explain(err, "cloudtrail:GetTrailStatus/GetEventSelectors", f"trail {subject}") from None
    findings = [Finding("trail", subject, OK, "exists")]
    if status.get("IsLogging"):
        findings.append(Finding("trail-logging", subject, OK, "logging"))
    else:
        findings.append(Finding("trail-logging", subject, PROBLEM, "not logging (start it: aws cloudtrail start-logging)"))
    if _selects_trial_components(selectors):
        findings.append(Finding("trail-selector", subject, OK, f"advanced selector on {TRIAL_COMPONENT_TYPE}"))
    else:
        findings.append(Finding("trail-selector", subject, MISSING,
                                f"no advanced event selector with resources.type = {TRIAL_COMPONENT_TYPE}"))
    return findings


def _find_any_trail(cloudtrail: Any) -> list[Finding]:
    try:
        trails = [t for page in cloudtrail.get_paginator("list_trails").paginate() for t in page.get("Trails", ())]
    except Exception as err:  # noqa: BLE001
        raise explain(err, "cloudtrail:ListTrails", "the account") from None
    for trail in trails:
        try:
            selectors = cloudtrail.get_event_selectors(TrailName=trail["TrailARN"])
        except Exception:  # noqa: BLE001 - a trail of another region or account: not ours to judge
            continue
        if _selects_trial_components(selectors):
            return _check_one_trail(cloudtrail, trail["TrailARN"])
    return [Finding("trail", "-", MISSING,
                    f"no trail logs {TRIAL_COMPONENT_TYPE} data events (and the stack names none)")]


# ----------------------------------------------------------------------------------------- alarms


def check_alarms(cloudwatch: Any, names: Iterable[str]) -> list[Finding]:
    """Each expected alarm exists (``DescribeAlarms`` by name, 100 at a time) and has actions."""
    names = list(names)
    found: dict[str, dict] = {}
    failures: dict[tuple[str, ...], Finding] = {}
    for start in range(0, len(names), DESCRIBE_ALARMS_BATCH):
        batch = tuple(names[start : start + DESCRIBE_ALARMS_BATCH])
        try:
            pages = cloudwatch.get_paginator("describe_alarms").paginate(
                AlarmNames=list(batch), AlarmTypes=["MetricAlarm", "CompositeAlarm"]
            )
            for page in pages:
                for alarm in [*page.get("MetricAlarms", ()), *page.get("CompositeAlarms", ())]:
                    found[alarm["AlarmName"]] = alarm
        except Exception as err:  # noqa: BLE001 - this batch is an error finding, the others are checked
            subject = f"{batch[0]} .. {batch[-1]}" if len(batch) > 1 else batch[0]
            failures[batch] = error_finding("alarm", subject, err, "cloudwatch:DescribeAlarms", f"{len(batch)} alarms")
    findings = []
    for name in names:
        alarm = found.get(name)
        failed_batch = next((b for b in failures if name in b), None)
        if failed_batch is not None:
            if failed_batch[0] == name:
                findings.append(failures[failed_batch])
        elif alarm is None:
            findings.append(Finding("alarm", name, MISSING, "not found (DescribeAlarms)"))
        elif not alarm.get("AlarmActions"):
            findings.append(Finding("alarm", name, PROBLEM, "exists but has no alarm actions"))
        elif alarm.get("ActionsEnabled") is False:
            findings.append(Finding("alarm", name, PROBLEM, "exists but its actions are disabled"))
        else:
            findings.append(Finding("alarm", name, OK, f"{alarm.get('StateValue', '?')}, {len(alarm['AlarmActions'])} action(s)"))
    return findings


# ------------------------------------------------------------------------------------- dashboards


def _common_prefix(names: list[str]) -> str:
    if not names:
        return ""
    first, last = min(names), max(names)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    return first[:i]


def check_dashboards(cloudwatch: Any, names: Iterable[str], resources: Optional[list[dict]]) -> list[Finding]:
    """Each expected dashboard exists (``ListDashboards`` by their common prefix)."""
    names = list(names)
    if not names:
        return []
    try:
        pages = cloudwatch.get_paginator("list_dashboards").paginate(DashboardNamePrefix=_common_prefix(names))
        existing = {d["DashboardName"] for page in pages for d in page.get("DashboardEntries", ())}
    except Exception as err:  # noqa: BLE001 - an error finding; the other checks go on
        return [error_finding("dashboard", f"{len(names)} dashboards", err, "cloudwatch:ListDashboards",
                              f"prefix {_common_prefix(names)!r}")]
    physical = _physical(resources, "AWS::CloudWatch::Dashboard")
    placeholders = bool(physical) and all(p in PLACEHOLDER_IDS for p in physical)
    findings = []
    for name in names:
        if name in existing:
            findings.append(Finding("dashboard", name, OK, "exists"))
        elif placeholders:
            findings.append(Finding("dashboard", name, UNKNOWN,
                                    "not found, and the stack reports its dashboards with no physical id "
                                    "(an emulator that accepts dashboards without creating them?)"))
        else:
            findings.append(Finding("dashboard", name, MISSING, "not found (ListDashboards)"))
    return findings


# ----------------------------------------------------------------------------------- metrics


def metric_probes(spec: Any) -> list[tuple[str, tuple, Optional[str]]]:
    """``(namespace, dimension pairs, host prefix)`` to ask ListMetrics about for one resource spec.

    Built from the plan's own sources (so a typo in a name, variant or step shows up); transform
    jobs, whose hosts carry instance ids, are probed by ``Host`` prefix ``<job>/``.
    """
    from ..plan.sources import sources

    probes: dict[tuple, Optional[str]] = {}
    for row in spec.metric_rows():
        pairs = sources(spec, row)
        if pairs:
            for _, source in pairs:
                probes.setdefault((source.namespace, source.dimensions), None)
        elif "Host" in row.dimensions:
            probes.setdefault((row.namespace, (("Host", None),)), f"{spec.name}/")
    return [(ns, dims, prefix) for (ns, dims), prefix in probes.items()]


def check_metrics(cloudwatch: Any, specs: Iterable[Any], *, recently_active: bool = False) -> list[Finding]:
    """Which configured resources have emitted no metric at all (``ListMetrics``, the last two weeks)."""
    findings = []
    for spec in specs:
        silent, probed = [], 0
        subject = f"{spec.kind} {spec.name}"
        failure: Optional[Finding] = None
        for namespace, dimensions, host_prefix in metric_probes(spec):
            probed += 1
            filters = [{"Name": k, **({"Value": v} if v is not None else {})} for k, v in dimensions]
            kwargs: dict[str, Any] = {"Namespace": namespace, "Dimensions": filters}
            if recently_active:
                kwargs["RecentlyActive"] = "PT3H"
            try:
                seen = False
                for page in cloudwatch.get_paginator("list_metrics").paginate(**kwargs):
                    metrics = page.get("Metrics", ())
                    if host_prefix is not None:
                        metrics = [m for m in metrics
                                   if any(d.get("Name") == "Host" and d.get("Value", "").startswith(host_prefix)
                                          for d in m.get("Dimensions", ()))]
                    if metrics:
                        seen = True
                        break
            except Exception as err:  # noqa: BLE001 - this resource is an error finding, the others are checked
                failure = error_finding("metrics", subject, err, "cloudwatch:ListMetrics", f"namespace {namespace}")
                break
            if not seen:
                where = ", ".join(f"{k}={v if v is not None else f'{host_prefix}*'}" for k, v in dimensions)
                silent.append(f"{namespace} {where}")
        if failure is not None:
            findings.append(failure)
            continue
        if not probed:
            continue
        if len(silent) == probed:
            findings.append(Finding("metrics", subject, WARNING,
                                    "no metrics in the last two weeks: a typo in the name, or nothing ran"))
        elif silent:
            findings.append(Finding("metrics", subject, WARNING, "no metrics for: " + "; ".join(silent)))
        else:
            findings.append(Finding("metrics", subject, OK, f"emitting ({probed} series groups)"))
    return findings


# ------------------------------------------------------------------------------------------ failure events


def check_event_rules(events: Any, names: Iterable[str]) -> list[Finding]:
    """Each failure rule exists on the default bus (``DescribeRule``), is enabled, and every target has a
    dead-letter queue (``ListTargetsByRule``)."""
    findings = []
    for name in names:
        try:
            rule = events.describe_rule(Name=name)
        except Exception as err:  # noqa: BLE001
            if error_code(err) == "ResourceNotFoundException":
                findings.append(Finding("event-rule", name, MISSING, "no rule of this name on the default bus "
                                        "(EventBridge DescribeRule)"))
                continue
            findings.append(error_finding("event-rule", name, err, "events:DescribeRule", f"rule {name}"))
            continue
        if rule.get("State") != "ENABLED":
            findings.append(Finding("event-rule", name, PROBLEM, f"exists but is {rule.get('State', 'not enabled')}: "
                                    "failures of its kind notify nobody"))
            continue
        try:
            targets = events.list_targets_by_rule(Rule=name).get("Targets", [])
        except Exception as err:  # noqa: BLE001
            findings.append(error_finding("event-rule", name, err, "events:ListTargetsByRule", f"rule {name}"))
            continue
        if not targets:
            findings.append(Finding("event-rule", name, PROBLEM, "enabled but has no targets"))
        elif any(not (t.get("DeadLetterConfig") or {}).get("Arn") for t in targets):
            findings.append(Finding("event-rule", name, WARNING, "a target has no dead-letter queue"))
        else:
            findings.append(Finding("event-rule", name, OK, f"enabled, {len(targets)} target(s) with dead letters"))
    return findings
