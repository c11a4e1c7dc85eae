"""StreamConfig: the validated settings of ``ExperimentMetricsStream`` (live training metrics).

The construct's keyword arguments and the YAML file's ``stream:`` section (:class:`StreamSection`, which
adds ``enabled``) are both this model, so both refuse the same things with the same messages.
No jsii here.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

from .. import names
from ..aws_values import LOG_RETENTION_DAYS
from ..live.handler import MAX_METRIC_NAME, NON_FINITE, RESERVED
from .custom_errors import invalid
from .fields import log_retention, unique

#: CloudWatch namespaces: 1 to 255 ASCII characters (letters, digits, ``. - _ / # : ``and space), not ``AWS/...``.
NAMESPACE = names.CUSTOM_NAMESPACE.pattern
#: Alarm name prefixes: printable ASCII without ``/`` at the ends, at most 100 characters.
ALARM_PREFIX = names.RUN_ALARM_PREFIX.pattern

Comparison = Literal[
    "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
]
Statistic = Literal["Maximum", "Minimum", "Average", "Sum", "SampleCount"]
PythonRuntime = Literal["python3.14", "python3.13", "python3.12"]
"""Lambda's Python runtimes in standard support (Lambda runtimes page: 3.12 to 3.14, Amazon Linux 2023)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StreamAlarm(_Model):
    """An alarm on one logged metric name across runs (Metrics Insights, one contributor per run)."""

    threshold: float = Field(description="Alarm when a run's value crosses this (in the metric's own unit).")
    comparison: Comparison = Field(default="GreaterThanThreshold", description="How the value is compared.")
    statistic: Statistic = Field(
        default="Maximum",
        description="Per run and period: Maximum (the worst value; the default), Minimum, Average, Sum or "
                    "SampleCount (how many points the run logged).",
    )
    period: StrictInt = Field(default=60, ge=60, description="Seconds per evaluated period (a multiple of 60).")
    evaluation_periods: StrictInt = Field(default=1, ge=1, le=1440, description="Periods evaluated.")
    datapoints_to_alarm: Optional[StrictInt] = Field(
        default=None, ge=1, description="Breaching periods (of evaluation_periods) that raise the alarm; default all.",
    )

    @field_validator("period")
    @classmethod
    def _check_period(cls, value: int) -> int:
        if value % 60:
            raise invalid("invalid_period", f"{value} is not a multiple of 60 seconds",
                          f"for example {max(60, value - value % 60)}")
        return value

    @model_validator(mode="after")
    def _check_datapoints(self) -> "StreamAlarm":
        if self.datapoints_to_alarm is not None and self.datapoints_to_alarm > self.evaluation_periods:
            raise invalid("invalid_datapoints", f"is {self.datapoints_to_alarm}, more than evaluation_periods "
                          f"({self.evaluation_periods})", "at most evaluation_periods", ("datapoints_to_alarm",))
        return self


class StreamConfig(_Model):
    """What ``ExperimentMetricsStream`` turns into metrics, alarms and a dashboard."""

    namespace: str = Field(
        default="SageMaker/Experiments",
        description="CloudWatch namespace of the runs' metrics (1 to 255 characters, not starting with `AWS/`).",
        json_schema_extra={"pattern": f"^(?:{NAMESPACE.pattern})$"},
    )
    trial_component_prefixes: Optional[list[str]] = Field(
        default=None, min_length=1,
        description="Only runs (trial components) whose name starts with one of these; default: every run the "
                    "trail logs. Each run x metric name is a custom metric: prefixes bound the cost.",
        json_schema_extra={"items": {"type": "string", "pattern": f"^(?:{names.TRIAL_COMPONENT_PREFIX.pattern})$"}},
    )
    metric_names: Optional[list[str]] = Field(
        default=None, min_length=1,
        description="Only these logged metric names become metrics; default: every name. Bounds the cost.",
    )
    alarms: dict[str, StreamAlarm] = Field(
        default_factory=dict,
        description="Thresholds per logged metric name, e.g. `validation:loss: {threshold: 2.5}`; "
                    f"`{NON_FINITE}` overrides the default alarm on non-finite values.",
    )
    non_finite_alarm: StrictBool = Field(
        default=True, description=f"Alarm when any run logs a value that is not a finite number ({NON_FINITE} > 0).",
    )
    alarm_name_prefix: str = Field(
        default="SageMaker", description="First part of the alarm names (`<prefix>/ExperimentRuns/<metric>`).",
        json_schema_extra={"pattern": f"^(?:{ALARM_PREFIX.pattern})$"},
    )
    dashboard: StrictBool = Field(default=True, description="A dashboard of training curves (a graph per metric).")
    dashboard_name: Optional[str] = Field(
        default=None, description="Name of that dashboard; default: derived from the stack and construct.",
        json_schema_extra={"pattern": r"^[A-Za-z0-9_\-]{1,255}$"},
    )
    log_retention_days: StrictInt = Field(
        default=30, description="Days the function's log group (the EMF records) is kept; one of CloudWatch Logs' "
                                "values.", json_schema_extra={"enum": list(LOG_RETENTION_DAYS)},
    )
    python_runtime: PythonRuntime = Field(
        default="python3.14",
        description="Lambda runtime of the function (the handler needs only the standard library of Python 3.10+): "
                    "the newest by default; an older one where a region or an emulator lacks it.",
    )
    reserved_concurrency: Optional[StrictInt] = Field(
        default=None, ge=1,
        description="Reserved concurrency of the function; default none (see the live training metrics guide: "
                    "EventBridge retries throttled invocations, and reserving takes from the account's pool).",
    )

    @field_validator("namespace")
    @classmethod
    def _check_namespace(cls, value: str) -> str:
        if not NAMESPACE.fullmatch(value):
            raise invalid("invalid_namespace", f"{value!r} is not a CloudWatch namespace for custom metrics",
                          names.CUSTOM_NAMESPACE.description)
        return value

    @field_validator("trial_component_prefixes")
    @classmethod
    def _check_prefixes(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is None:
            return None
        for i, prefix in enumerate(value):
            if not names.TRIAL_COMPONENT_PREFIX.pattern.fullmatch(prefix):
                raise invalid("invalid_name", f"{prefix!r} is not a {names.TRIAL_COMPONENT_PREFIX.kind}",
                              names.TRIAL_COMPONENT_PREFIX.description, (i,))
        unique(value, "prefix")
        return value

    @field_validator("metric_names")
    @classmethod
    def _check_metric_names(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is None:
            return None
        for i, name in enumerate(value):
            problem = _metric_name_problem(name)
            if problem:
                raise invalid("invalid_metric_name", problem, _METRIC_NAME_FIX, (i,))
        unique(value, "metric name")
        return value

    @field_validator("alarms")
    @classmethod
    def _check_alarm_names(cls, value: dict[str, StreamAlarm]) -> dict[str, StreamAlarm]:
        for name in value:
            problem = None if name == NON_FINITE else _metric_name_problem(name)
            if problem:
                raise invalid("invalid_metric_name", problem, _METRIC_NAME_FIX, (name,))
        return value

    @field_validator("alarm_name_prefix")
    @classmethod
    def _check_prefix(cls, value: str) -> str:
        if not ALARM_PREFIX.fullmatch(value):
            raise invalid("invalid_alarm_prefix", f"{value!r} is not a usable alarm name prefix",
                          names.RUN_ALARM_PREFIX.description)
        return value

    @field_validator("dashboard_name")
    @classmethod
    def _check_dashboard_name(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not names.STREAM_DASHBOARD.pattern.fullmatch(value):
            raise invalid("invalid_dashboard_name", f"{value!r} is not a CloudWatch dashboard name",
                          "1 to 255 letters, digits, '-' and '_'")
        return value

    @field_validator("log_retention_days")
    @classmethod
    def _check_retention(cls, value: int) -> int:
        return log_retention(value)

    @model_validator(mode="after")
    def _alarms_on_kept_names(self) -> "StreamConfig":
        if self.metric_names is not None:
            for name in self.alarms:
                if name != NON_FINITE and name not in self.metric_names:
                    raise invalid("alarm_on_dropped_metric",
                                  f"alarms on {name!r}, which metric_names leaves out: the alarm would never see data",
                                  f"add {name!r} to metric_names, or remove the alarm", ("alarms", name))
        return self

    @property
    def alarmed(self) -> dict[str, StreamAlarm]:
        """Every alarm the stream gets: the default one on non-finite values first, then the configured ones."""
        out: dict[str, StreamAlarm] = {}
        if self.non_finite_alarm or NON_FINITE in self.alarms:
            out[NON_FINITE] = self.alarms.get(NON_FINITE, StreamAlarm(threshold=0))
        out.update({k: v for k, v in sorted(self.alarms.items()) if k != NON_FINITE})
        return out


class StreamSection(StreamConfig):
    """The YAML file's ``stream:`` section: live training metrics from the trail's events (off by default)."""

    enabled: StrictBool = Field(
        default=False,
        description="Create the stream (EventBridge rule, Lambda function, alarms, dashboard). Needs "
                    "`trail.enabled: true`: EventBridge only sees the data events a trail logs.",
    )


_METRIC_NAME_FIX = f"1 to {MAX_METRIC_NAME} characters, not one of " + ", ".join(sorted(RESERVED))


def _metric_name_problem(name: str) -> Optional[str]:
    if not name.strip():
        return "is empty"
    if len(name) > MAX_METRIC_NAME:
        return f"{name[:40]!r}... is longer than {MAX_METRIC_NAME} characters"
    if name in RESERVED:
        return f"{name!r} is reserved by the stream's records"
    return None
