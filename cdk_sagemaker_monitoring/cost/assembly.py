"""Count what a synthesized cloud assembly (``cdk.out``) would deploy: every ``*.template.json``, nested
stacks and nested assemblies included, read as files (no CDK, no jsii)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from .errors import CostInputError
from .usage import Usage

DEFAULT_SERIES_PER_QUERY = 1
"""Series a Metrics Insights alarm is assumed to analyze when neither the plan nor ``--series-per-query`` says."""


def count_assembly(outdir: str | Path, *, series_per_query: Optional[int] = None) -> Usage:
    """The billable quantities of every template under ``outdir``.

    ``series_per_query``: how many series each Metrics Insights alarm's query will match (not in the
    template); default :data:`DEFAULT_SERIES_PER_QUERY`, and the usage's ``series_basis`` says which."""
    root = Path(outdir)
    _check_assembly(root)
    usage = Usage(where=str(outdir))
    series = DEFAULT_SERIES_PER_QUERY if series_per_query is None else series_per_query
    for path in sorted(root.rglob("*.template.json")):
        template = _read_template(path, root)
        usage.templates += 1
        _count_template(template, usage, series, f"{path.relative_to(root)}")
    if usage.templates == 0:
        raise CostInputError(f"{outdir}: a cloud assembly without templates (*.template.json); run `cdk synth`")
    usage.series_basis = (f"{series_per_query} series per query (--series-per-query)" if series_per_query is not None
                          else f"assumed {DEFAULT_SERIES_PER_QUERY} series per query: the template does not say; "
                               "pass --series-per-query N, or --config FILE for the plan's count")
    usage.custom_metrics_basis = "none published by the templates' resources (pass --custom-metrics N)"
    return usage


def _check_assembly(root: Path) -> None:
    if not root.exists():
        raise CostInputError(f"{root}: no such directory (run `cdk synth`, or name the cloud assembly directory)")
    if not root.is_dir():
        raise CostInputError(f"{root}: not a directory (name the cloud assembly directory, such as cdk.out)")
    manifest = root / "manifest.json"
    if not manifest.is_file():
        raise CostInputError(f"{root}: not a cloud assembly (no manifest.json); run `cdk synth` or name its directory")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CostInputError(f"{manifest}: not a cloud assembly manifest ({_reason(err)})") from None
    if not isinstance(data, dict) or "version" not in data:
        raise CostInputError(f"{manifest}: not a cloud assembly manifest (no 'version')")


def _read_template(path: Path, root: Path) -> dict[str, Any]:
    try:
        template = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CostInputError(f"{path}: the template does not parse ({_reason(err)})") from None
    if not isinstance(template, dict) or not isinstance(template.get("Resources", {}), dict):
        raise CostInputError(f"{path}: not a CloudFormation template (expected a mapping with 'Resources')")
    return template


def _count_template(template: dict[str, Any], usage: Usage, series: int, name: str) -> None:
    from ..assembly_limits import dashboard_body

    queues: set[str] = set()
    for logical, resource in template.get("Resources", {}).items():
        if not isinstance(resource, dict):
            raise CostInputError(f"{name}: resource {logical} is not a mapping")
        kind = resource.get("Type")
        props = resource.get("Properties", {})
        props = props if isinstance(props, dict) else {}
        if kind == "AWS::CloudWatch::Alarm":
            usage.add_alarm(props, series)
        elif kind == "AWS::CloudWatch::CompositeAlarm":
            usage.composite_alarms += 1
        elif kind == "AWS::CloudWatch::Dashboard":
            try:
                body = dashboard_body(props)
            except ValueError as err:
                raise CostInputError(f"{name}: dashboard {logical} has a body that does not parse ({err})") from None
            usage.add_dashboard(body.get("widgets", []) if isinstance(body, dict) else None)
        elif kind == "AWS::CloudTrail::Trail" and delivers_data_events(props):
            usage.data_event_trails += 1
        elif kind == "AWS::Events::Rule" and _on_sagemaker_events(props):
            usage.event_rules += 1
            for target in props.get("Targets") or []:
                arn = (target.get("DeadLetterConfig") or {}).get("Arn") if isinstance(target, dict) else None
                if isinstance(arn, dict) and isinstance(arn.get("Fn::GetAtt"), list):
                    queues.add(str(arn["Fn::GetAtt"][0]))
        elif kind == "AWS::Logs::LogGroup" and str(props.get("LogGroupName", "")).startswith(EVENT_ARCHIVE_PREFIX):
            usage.event_archives += 1
    usage.event_queues += len(queues)


EVENT_ARCHIVE_PREFIX = "/aws/events/"
"""Log groups of EventBridge archives (``SageMakerFailureEvents`` names its archive ``/aws/events/<prefix>/...``)."""


def _on_sagemaker_events(props: dict[str, Any]) -> bool:
    pattern = props.get("EventPattern")
    return (isinstance(pattern, dict) and pattern.get("source") == ["aws.sagemaker"]
            and props.get("EventBusName") in (None, "default"))


def delivers_data_events(props: dict[str, Any]) -> bool:
    """Whether a trail's selectors select data events (``eventCategory`` ``Data``, or data resources)."""
    for selector in props.get("AdvancedEventSelectors") or []:
        for condition in selector.get("FieldSelectors", []) if isinstance(selector, dict) else []:
            if isinstance(condition, dict) and condition.get("Field") == "eventCategory" \
                    and "Data" in (condition.get("Equals") or []):
                return True
    for selector in props.get("EventSelectors") or []:
        if isinstance(selector, dict) and selector.get("DataResources"):
            return True
    return False


def _reason(err: BaseException) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"line {err.lineno} column {err.colno}: {err.msg}"
    if isinstance(err, OSError):
        return err.strerror or str(err)
    return str(err)
