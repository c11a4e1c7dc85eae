"""BatchPutMetrics events (EventBridge, delivered by CloudTrail) -> CloudWatch embedded metric format.

The Lambda function of ``ExperimentMetricsStream`` (handler ``handler.handler`` in the asset). Every
``metricData`` entry of the event becomes one EMF record on standard output, which CloudWatch Logs
turns into one data point:

- metric name = the entry's ``metricName``, namespace = ``METRICS_NAMESPACE`` (environment),
- dimension ``TrialComponentName`` = the run (``requestParameters.trialComponentName``, else the
  trial-component ARN of ``resources``),
- the entry's own ``timestamp`` (epoch milliseconds, as CloudTrail logs it) and ``value``.

A value that is not a finite number (``null``, missing, ``"NaN"``, ``"Infinity"``, a boolean) is not
emitted as a value: the record carries ``NonFiniteValues`` = 1 for that run instead (and the entry's
metric name as a plain property, for CloudWatch Logs Insights). An entry that cannot be attributed
(no metric name, a reserved or too long name) is skipped with a warning line; one bad entry never
fails the batch. The return value summarizes what was done.

Sources: the EMF specification (CloudWatch User Guide, "Specification: Embedded metric format":
``_aws.Timestamp`` in epoch milliseconds, ``CloudWatchMetrics`` directives of ``Namespace``,
``Dimensions`` and ``Metrics``); the event shape: EventBridge "SageMaker metrics events" (source
``aws.metrics-sagemaker``, detail type ``AWS API Call via CloudTrail``, the CloudTrail record in
``detail``) and SageMaker's "Monitor experiment training metrics with AWS CloudTrail" (the record).
Standard library only: this file is deployed as is.
"""

from __future__ import annotations

import json
import math
import os
import sys
from datetime import datetime, timezone
from typing import Any, Callable, Optional

DIMENSION = "TrialComponentName"
"""The one dimension of every metric: the run (trial component) that logged it."""
NON_FINITE = "NonFiniteValues"
"""Counts entries of a run whose value is not a finite number (a diverged run)."""
DEFAULT_NAMESPACE = "SageMaker/Experiments"
NAMESPACE_ENV = "METRICS_NAMESPACE"
METRIC_NAMES_ENV = "METRIC_NAMES"
"""A JSON list of the metric names to keep (unset: every name). The rule only narrows whole events."""
PREFIXES_ENV = "TRIAL_COMPONENT_PREFIXES"
"""A JSON list of run name prefixes to keep (unset: every run)."""
MAX_METRIC_NAME = 255
"""CloudWatch metric names are 1 to 255 characters."""
RESERVED = frozenset({"_aws", DIMENSION, NON_FINITE, "MetricName"})
"""Root members of the records this handler writes: a metric of one of these names would collide."""
_ARN_MARK = ":experiment-trial-component/"
_STRING = json.JSONEncoder(ensure_ascii=False)
_MS_THRESHOLD = 100_000_000_000  # below: epoch seconds (10^11 ms is 1973, 10^11 s the year 5138)


def handler(event: Any, context: Any = None, *, write: Optional[Callable[[str], Any]] = None) -> dict[str, Any]:
    """Write the EMF records of one EventBridge event to standard output; return a summary.

    ``write`` (default ``sys.stdout.write``) receives the text of all records, one JSON object a line.
    """
    namespace = os.environ.get(NAMESPACE_ENV) or DEFAULT_NAMESPACE
    names = _json_list(os.environ.get(METRIC_NAMES_ENV))
    prefixes = _json_list(os.environ.get(PREFIXES_ENV))
    lines, summary = emf_lines(event, namespace, None if names is None else frozenset(names),
                               None if prefixes is None else tuple(prefixes))
    if lines:
        (write or sys.stdout.write)("\n".join(lines) + "\n")
        if write is None:
            sys.stdout.flush()
    return summary


def emf_lines(
    event: Any,
    namespace: str = DEFAULT_NAMESPACE,
    metric_names: Optional[frozenset[str]] = None,
    prefixes: Optional[tuple[str, ...]] = None,
) -> tuple[list[str], dict[str, Any]]:
    """The EMF records (JSON text, one per entry; warnings as plain JSON lines) and a summary of ``event``.

    Entries of other metric names than ``metric_names`` (and every entry of a run without one of
    ``prefixes``) are left out and counted as ``filtered``.
    """
    summary: dict[str, Any] = {"entries": 0, "emitted": 0, "nonFinite": 0, "skipped": 0, "filtered": 0,
                               "trialComponent": None}
    lines: list[str] = []
    detail = event.get("detail") if isinstance(event, dict) else None
    if not isinstance(detail, dict):  # a bare CloudTrail record is read too
        detail = event if isinstance(event, dict) else {}
    params = detail.get("requestParameters")
    data = params.get("metricData") if isinstance(params, dict) else None
    if not isinstance(params, dict) or not isinstance(data, list):
        lines.append(_warning("not a BatchPutMetrics event with requestParameters.metricData; nothing emitted"))
        return lines, summary
    summary["entries"] = len(data)
    run = _trial_component(params, detail.get("resources"))
    if not run:
        summary["skipped"] = len(data)
        lines.append(_warning("no trialComponentName and no trial-component ARN in resources: "
                              f"{len(data)} entries skipped"))
        return lines, summary
    summary["trialComponent"] = run
    if prefixes is not None and not run.startswith(prefixes):
        summary["filtered"] = len(data)
        return lines, summary
    fallback_ms = _epoch_ms(detail.get("eventTime"))
    # Records are put together from JSON pieces encoded once (namespace, run, each name): the same JSON
    # json.dumps would give for the dict, at a fraction of the cost (this loop runs once per entry).
    encode = _STRING.encode
    head = '{"_aws":{"Timestamp":'
    directive = (',"CloudWatchMetrics":[{"Namespace":' + encode(namespace) + ',"Dimensions":[["' + DIMENSION
                 + '"]],"Metrics":[{"Name":')
    tail = '}]}]},"' + DIMENSION + '":' + encode(run) + ","
    non_finite = directive + '"' + NON_FINITE + '","Unit":"Count"' + tail + '"' + NON_FINITE + '":1,"MetricName":'
    encoded: dict[str, str] = {}
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            summary["skipped"] += 1
            lines.append(_warning(f"metricData[{index}] is not an object: skipped"))
            continue
        name = entry.get("metricName")
        name_json = encoded.get(name) if isinstance(name, str) else None
        if name_json is None:
            problem = _name_problem(name)
            if problem or not isinstance(name, str):
                summary["skipped"] += 1
                lines.append(_warning(f"metricData[{index}]: {problem}: skipped"))
                continue
            name_json = encoded[name] = encode(name)
        if metric_names is not None and name not in metric_names:
            summary["filtered"] += 1
            continue
        stamp = _epoch_ms(entry.get("timestamp"))
        if stamp is None:
            stamp = fallback_ms
        if stamp is None:
            summary["skipped"] += 1
            lines.append(_warning(f"metricData[{index}] ({name}): no usable timestamp, nor an eventTime: skipped"))
            continue
        value = finite(entry.get("value"))
        if value is None:
            summary["nonFinite"] += 1
            lines.append(f"{head}{stamp}{non_finite}{name_json}}}")
        else:
            summary["emitted"] += 1
            lines.append(f"{head}{stamp}{directive}{name_json}{tail}{name_json}:{value!r}}}")
    return lines, summary


def finite(value: Any) -> Optional[float]:
    """``value`` as a finite float, or ``None`` (null, booleans, NaN, infinities, text that is not a number)."""
    if type(value) is float:  # the common case first
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _name_problem(name: Any) -> Optional[str]:
    if not isinstance(name, str) or not name.strip():
        return "no metricName"
    if len(name) > MAX_METRIC_NAME:
        return f"metricName longer than {MAX_METRIC_NAME} characters"
    if name in RESERVED:
        return f"metricName {name!r} is reserved by the stream's records"
    return None


def _trial_component(params: dict[str, Any], resources: Any) -> str:
    name = params.get("trialComponentName")
    if isinstance(name, str) and name:
        return name
    if isinstance(resources, list):
        for resource in resources:
            arn = resource.get("ARN") if isinstance(resource, dict) else None
            if isinstance(arn, str) and _ARN_MARK in arn:
                return arn.split(_ARN_MARK, 1)[1]
    return ""


def _epoch_ms(value: Any) -> Optional[int]:
    """Epoch milliseconds from CloudTrail's epoch milliseconds (or seconds, or ISO-8601 text); ``None`` if unusable."""
    if type(value) is int:  # CloudTrail's epoch milliseconds
        return value if abs(value) >= _MS_THRESHOLD else value * 1000
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if abs(value) >= _MS_THRESHOLD else value * 1000
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value) if abs(value) >= _MS_THRESHOLD else round(value * 1000)
    if isinstance(value, str) and value:
        try:
            return _epoch_ms(float(value))
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return round(moment.timestamp() * 1000)
    return None


def _json_list(text: Optional[str]) -> Optional[list[str]]:
    if not text:
        return None
    value = json.loads(text)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a JSON list of strings, got {text!r}")
    return value


def _warning(message: str) -> str:
    """A log line that is not EMF (no ``_aws``): CloudWatch Logs keeps it, no metric is made of it."""
    return json.dumps({"level": "WARNING", "message": message}, ensure_ascii=False)
