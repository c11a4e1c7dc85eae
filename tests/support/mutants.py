"""Seeded mutants of a rich configuration: the same seed gives the same mutants, each described in words.

A mutant is the base configuration (plain data, as the YAML file would hold it) with one to three
mutations at random places: a key deleted or misspelt, a value of another type or from another place, a
number out of range, a name AWS would refuse, a word in another case, an unknown key, a value nested one
level too deep or too shallow, a list or mapping emptied, a list item repeated.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Union

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "monitoring.yaml"

Path_ = tuple[Union[str, int], ...]


def single_stack() -> dict[str, Any]:
    """The bundled example, with the stream on and more of everything the file can say."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["env"] = {"account": "123456789012", "region": "us-east-1"}
    data["stream"] = {"enabled": True, "metric_names": ["train:loss", "validation:loss", "validation:accuracy"],
                      "trial_component_prefixes": ["churn-"],
                      "alarms": {"validation:loss": {"threshold": 2.5, "evaluation_periods": 3},
                                 "validation:accuracy": {"threshold": 0.5, "comparison": "LessThanThreshold"}}}
    data["alarm_actions"] = {  # Warning keeps the alarm topic (alarm_emails)
        "Critical": ["arn:aws:sns:us-east-1:123456789012:pager",
                     "arn:aws:lambda:us-east-1:123456789012:function:page-oncall"],
    }
    data["custom_metrics"].append({
        "kind": "training_job", "namespace": "MyCompany/Training", "metric": "GradientNorm",
        "dimensions": {"TrainingJobName": "{name}"}, "statistic": "Maximum",
        "alarm": {"threshold": 100, "comparison": "GreaterThanThreshold", "severity": "Critical"}})
    data["endpoints"][1]["alarms"]["CPUUtilization"] = {"threshold": 90, "evaluation_periods": 5,
                                                        "datapoints_to_alarm": 3, "period": 300}
    data["alarm_name_prefix"] = "ML"
    data["queries"]["regions"] = ["us-east-1", "eu-west-1"]
    return data


def environments() -> dict[str, Any]:
    """Two accounts, a central monitoring account, an organization trail, each environment its own lists."""
    return {
        "stack_name": "MlMonitoring",
        "alarm_mode": "per_resource",
        "runbook_url": "https://runbooks.example.com/sagemaker",
        "trail": {"organization": True, "organization_id": "o-a1b2c3d4e5", "event_names": ["BatchPutMetrics"]},
        "monitoring_account": {"account": "111111111111", "region": "us-east-1"},
        "environments": [
            {"name": "prod", "account": "222222222222", "region": "us-east-1",
             "alarm_emails": ["prod-oncall@example.com"],
             "endpoints": ["churn", {"name": "fraud", "variants": ["AllTraffic", "Canary"],
                                     "alarms": {"ModelLatency": 250000, "Invocation5XXErrors": {"threshold": 0.01}}}],
             "training_jobs": [{"name": "nightly-train", "instance_count": 2, "gpu": 4}],
             "alarm_actions": {"Critical": "arn:aws:sns:us-east-1:222222222222:pager"},
             "custom_metrics": [{"kind": "endpoint", "namespace": "Prod/Inference", "metric": "TokensPerSecond",
                                 "dimensions": {"EndpointName": "{name}"}, "statistic": "Average",
                                 "alarm": {"threshold": 5, "comparison": "LessThanThreshold"}}]},
            {"name": "staging", "account": "333333333333", "region": "eu-west-1",
             "alarm_topic_arn": "arn:aws:sns:eu-west-1:333333333333:staging-alerts",
             "endpoints": [{"name": "churn-staging", "serverless": True}],
             "feature_groups": [{"name": "customers", "operations": ["GetRecord", "PutRecord"]}],
             "pipelines": [{"name": "train-pipeline", "steps": ["Train", "Evaluate"]}]},
        ],
    }


BASES: dict[str, Callable[[], dict[str, Any]]] = {"single_stack": single_stack, "environments": environments}

#: Values of other types and values out of range or badly named, tried wherever a value is.
ODD_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 1.5, -0.5, 10**12, float("inf"), "", "x", "bad name!", "a" * 300, "ünïcode",
    "line\nbreak", [], {}, [1, 2], {"nested": {"deeper": 1}}, ["a", "a"], "arn:aws:sns:us-east-1:1:x",
    "2024-13-45", 60, 59, 3653, 366,
)


@dataclass
class Mutant:
    base: str
    seed: int
    data: Any
    steps: list[str]

    def __str__(self) -> str:
        return f"{self.base} seed {self.seed}: " + "; ".join(self.steps)


def places(data: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    """Every (path, value) of ``data``, the top included."""
    found = [(path, data)]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += places(value, (*path, index))
    return found


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _number_near(value: Any, rng: random.Random) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return rng.choice(ODD_VALUES)
    return rng.choice([-value, value * 1000, value + 1, value - 1, 0, -1, value / 7, int(value) * 10**9 + 1])


def mutate(data: Any, rng: random.Random) -> tuple[Any, str]:
    """One mutation of ``data`` (changed in place when it can be); the data and what was done."""
    path, value = rng.choice(places(data))
    where = ".".join(map(str, path)) or "(top)"
    kind = rng.choice(("delete", "type", "number", "name", "unknown", "nest", "unnest", "repeat", "type", "number",
                       "rename", "case", "swap", "empty"))
    if kind == "delete" and path:
        parent = _get(data, path[:-1])
        del parent[path[-1]]
        return data, f"deleted {where}"
    if kind == "number":
        new = _number_near(value, rng)
        return _set(data, path, new), f"{where}: {value!r:.40} -> {new!r:.40}"
    if kind == "name" and isinstance(value, str):
        new = rng.choice(["bad name!", "a" * 300, "", "-leading", "trailing-", "UPPER_case.dot", "x" * 64,
                          "name with space", value + value, value.upper(), value[:1]])
        return _set(data, path, new), f"{where}: name {value!r:.40} -> {new!r:.40}"
    if kind == "unknown" and isinstance(value, dict):
        key = rng.choice(["bogus", "enable", "variant", "alarm", "name ", "Threshold", "actions"])
        value[key] = rng.choice(ODD_VALUES)
        return data, f"{where}: added unknown key {key!r}"
    if kind == "nest":
        new = rng.choice([[value], {"value": value}, {"name": value}])
        return _set(data, path, new), f"{where}: nested one level deeper"
    if kind == "unnest" and isinstance(value, (dict, list)) and value:
        inner = rng.choice(list(value.values()) if isinstance(value, dict) else value)
        return _set(data, path, copy.deepcopy(inner)), f"{where}: replaced by one of its items"
    if kind == "repeat" and isinstance(value, list) and value:
        value.append(copy.deepcopy(rng.choice(value)))
        return data, f"{where}: repeated an item"
    if kind == "rename" and path and isinstance(path[-1], str):
        parent = _get(data, path[:-1])
        key = path[-1]
        new_key = rng.choice([key[:-1], key + "s", key.upper(), key.replace("_", "-"), key.title()]) or "x"
        if new_key not in parent:
            parent[new_key] = parent.pop(key)
            return data, f"{where}: key renamed {new_key!r}"
    if kind == "case" and isinstance(value, str) and value:
        new = rng.choice([value.lower(), value.upper(), value.swapcase(), f" {value}", f"{value} "])
        return _set(data, path, new), f"{where}: {value!r:.40} -> {new!r:.40}"
    if kind == "swap" and path:
        _, other = rng.choice(places(data))
        new = copy.deepcopy(other)
        return _set(data, path, new), f"{where}: replaced by another place's value {new!r:.40}"
    if kind == "empty" and isinstance(value, (dict, list)):
        new = type(value)()
        return _set(data, path, new), f"{where}: emptied"
    new = rng.choice(ODD_VALUES)
    return _set(data, path, copy.deepcopy(new)), f"{where}: {value!r:.40} -> {new!r:.40}"


def mutants(base: str, count: int, seed: int) -> list[Mutant]:
    """``count`` mutants of base ``base``: mutant ``i`` is made from seed ``seed + i`` alone (reproducible one by one)."""
    out = []
    for i in range(count):
        rng = random.Random(seed + i)
        data = BASES[base]()
        steps = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            data, step = mutate(data, rng)
            steps.append(step)
        out.append(Mutant(base, seed + i, data, steps))
    return out
