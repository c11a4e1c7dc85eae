"""Count what a synthesized cloud assembly (``cdk.out``) would deploy: every ``*.template.json``, nested
stacks and nested assemblies included, read as files (no CDK, no jsii)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from .billing import billing_of, rule_targets
from .errors import CostInputError
from .usage import Usage, is_insights_query

DEFAULT_SERIES_PER_QUERY = 1
"""Series a Metrics Insights alarm is assumed to analyze when neither the plan nor ``--series-per-query`` says."""

CONFIGURED_SERIES_BASIS = ("series per query from the plan: the configured resources' series of each metric "
                           "(resources outside the configuration that match the query add to it)")
"""The basis of fleet alarms' series counted from the plan, or from the templates' ``Metadata`` that carries it."""


def count_assembly(outdir: str | Path, *, series_per_query: Optional[int] = None, runs: Optional[int] = None,
                   custom_metrics: int = 0) -> Usage:
    """The billable quantities of every template under ``outdir``.

    ``series_per_query``: how many series each Metrics Insights alarm's query will match (not in the
    template); default :data:`DEFAULT_SERIES_PER_QUERY`, and the usage's ``series_basis`` says which.
    ``runs``: runs a month a stream turns into metrics (its alarms' series and its custom metrics);
    ``custom_metrics``: custom metrics published besides (``--custom-metrics``)."""
    root = Path(outdir)
    _check_assembly(root)
    usage = Usage(where=str(outdir))
    usage.regions = stack_regions(root)
    run_series = runs if runs is not None else DEFAULT_SERIES_PER_QUERY
    unsaid = [0]  # fleet alarms whose template does not say their configured series
    for path in sorted(root.rglob("*.template.json")):
        template = _read_template(path, root)
        usage.templates += 1
        _count_template(template, usage, series_per_query, run_series, f"{path.relative_to(root)}", unsaid)
    if usage.templates == 0:
        raise CostInputError(f"{outdir}: a cloud assembly without templates (*.template.json); run `cdk synth`")
    fleet = usage.metrics_insights_alarms - usage.stream_alarms
    usage.series_basis = series_basis(
        fleet, usage.stream_alarms, runs,
        (f"{series_per_query} series per query (--series-per-query)" if series_per_query is not None
         else CONFIGURED_SERIES_BASIS if not unsaid[0]
         else f"assumed {DEFAULT_SERIES_PER_QUERY} series per query where a template does not say; pass "
              "--series-per-query N, or --config FILE for the configured resources' count"))
    finish_custom_metrics(usage, runs, custom_metrics)
    return usage


def series_basis(fleet: int, stream: int, runs: Optional[int], fleet_basis: str) -> str:
    """What the Metrics Insights line's series rest on: the fleet alarms' basis, and the streams' runs."""
    parts = [fleet_basis] if fleet else []
    if stream:
        parts.append(f"{stream} stream alarm(s) over " + (f"{runs} runs (--runs)" if runs is not None else
                     f"an assumed {DEFAULT_SERIES_PER_QUERY} run each: pass --runs N"))
    return "; ".join(parts)


def finish_custom_metrics(usage: Usage, runs: Optional[int], given: int) -> None:
    """Custom metrics: the streams' (``runs`` x (metric names + NonFiniteValues)) and ``given``; the basis says
    what is left out (a stream without ``metric_names``: unbounded; no ``runs``: not counted)."""
    from ..plan.stream import custom_metric_count

    parts: list[str] = []
    total = given
    if given:
        parts.append(f"{given} given (--custom-metrics)")
    for names in usage.stream_metric_names:
        if names is None:
            parts.append("a stream without metric_names: every logged name of every run is a metric, not "
                         "counted (list metric_names to bound it)")
        elif runs is None:
            parts.append(f"a stream of {names} metric name(s): {names + 1} metrics per run, not counted: pass "
                         "--runs N")
        else:
            count = custom_metric_count(runs, names)
            total += count
            parts.append(f"a stream: {runs} runs x ({names} metric names + NonFiniteValues) = {count}")
    usage.custom_metrics = total
    usage.custom_metrics_basis = "; ".join(parts) if parts else \
        "none published by these stacks (pass --custom-metrics N for your own)"


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


def stack_regions(root: Path) -> set[str]:
    """The regions of the stacks of an assembly's manifests (``aws://account/region``; unknown ones left out)."""
    regions: set[str] = set()
    for manifest in root.rglob("manifest.json"):
        try:
            artifacts = json.loads(manifest.read_text(encoding="utf-8")).get("artifacts") or {}
        except (OSError, ValueError, AttributeError):
            continue
        for artifact in artifacts.values():
            if not isinstance(artifact, dict) or artifact.get("type") != "aws:cloudformation:stack":
                continue
            region = str(artifact.get("environment", "")).rsplit("/", 1)[-1]
            if region and region != "unknown-region":
                regions.add(region)
    return regions


def _read_template(path: Path, root: Path) -> dict[str, Any]:
    try:
        template = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CostInputError(f"{path}: the template does not parse ({_reason(err)})") from None
    if not isinstance(template, dict) or not isinstance(template.get("Resources", {}), dict):
        raise CostInputError(f"{path}: not a CloudFormation template (expected a mapping with 'Resources')")
    return template


def _count_template(template: dict[str, Any], usage: Usage, given: Optional[int], run_series: int, name: str,
                    unsaid: list[int]) -> None:
    from ..assembly_limits import dashboard_body

    resources = template.get("Resources", {})
    targets = rule_targets(resources)
    for logical, resource in resources.items():
        if not isinstance(resource, dict):
            raise CostInputError(f"{name}: resource {logical} is not a mapping")
        kind = resource.get("Type")
        props = resource.get("Properties", {})
        props = props if isinstance(props, dict) else {}
        billing = billing_of(logical, resource, targets)
        if billing is None:
            usage.unclassified[str(kind)] = usage.unclassified.get(str(kind), 0) + 1
        elif billing.kind == "use":
            usage.add_use(billing.type)
        if kind == "AWS::Lambda::Function" and billing is not None and billing.kind == "use":
            usage.stream_metric_names.append(_stream_metric_names(props))
        if kind == "AWS::CloudWatch::Alarm":
            stream = is_stream_alarm(props)
            usage.stream_alarms += stream
            usage.add_alarm(props, run_series if stream else _fleet_series(resource, props, given, unsaid))
        elif kind == "AWS::KMS::Key":
            usage.kms_keys += 1
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


def _fleet_series(resource: dict[str, Any], props: dict[str, Any], given: Optional[int], unsaid: list[int]) -> int:
    """The series a fleet alarm is counted with: ``--series-per-query``, else what the plan wrote into the alarm's
    ``Metadata`` (the configured resources' series), else :data:`DEFAULT_SERIES_PER_QUERY` (counted in ``unsaid``)."""
    from ..plan.model import SERIES_METADATA

    if given is not None:
        return given
    said = (resource.get("Metadata") or {}).get(SERIES_METADATA)
    if isinstance(said, int) and not isinstance(said, bool) and said >= 0:
        return said
    if any(isinstance(m, dict) and is_insights_query(m.get("Expression")) for m in props.get("Metrics") or []):
        unsaid[0] += 1
    return DEFAULT_SERIES_PER_QUERY


def is_stream_alarm(props: dict[str, Any]) -> bool:
    """Whether an alarm is a stream's: a Metrics Insights query grouped by the runs' dimension."""
    from ..live.handler import DIMENSION
    from ..plan.stream import mi_quoted

    return any(isinstance(m, dict) and is_insights_query(m.get("Expression")) and
               f"GROUP BY {mi_quoted(DIMENSION)}" in m["Expression"] for m in props.get("Metrics") or [])


def _stream_metric_names(props: dict[str, Any]) -> Optional[int]:
    """Metric names a stream's function turns into metrics (its environment), ``None`` for every name."""
    from ..live.handler import METRIC_NAMES_ENV

    variables = ((props.get("Environment") or {}).get("Variables") or {})
    text = variables.get(METRIC_NAMES_ENV)
    if not isinstance(text, str):
        return None
    try:
        names = json.loads(text)
    except ValueError:
        return None
    return len(names) if isinstance(names, list) else None


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
