"""Generate real-shaped CloudTrail log trees of SageMaker Experiments metrics, with known content.

The generator keeps its own record of every data point it writes (:class:`Point`), and
:func:`expected_rows` turns those records into the rows the reader must print, computed here
independently of the reader's code (``datetime`` for the timestamps, ``repr`` for values).

Shared by the CLI tests, the query tests and ``bench/read_metrics.py``.
"""

from __future__ import annotations

import gzip
import json
import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

METRIC_NAMES = ("train:loss", "validation:loss", "accuracy", "learning_rate", 'f1, "macro"', "größe")
USER_AGENT = (
    "aws-cli/2.7.25 Python/3.9.11 Linux/5.4.214-134.408.amzn2int.x86_64 exe/x86_64.amzn.2 prompt/off "
    "command/sm-metrics.batch-put-metrics"
)


@dataclass(frozen=True)
class Point:
    """One data point the generator wrote."""

    event_time: str
    account_id: str
    region: str
    trial_component: str
    metric_name: str
    step: Optional[int]
    timestamp_ms: int
    value: float


@dataclass
class Tree:
    """What was written: the log files, the digests, the damaged files, and every data point."""

    root: Path
    log_files: list = field(default_factory=list)
    digest_files: list = field(default_factory=list)
    damaged_files: list = field(default_factory=list)
    points: list = field(default_factory=list)
    other_events: int = 0


def iso_ms(ms: int) -> str:
    moment = datetime.fromtimestamp(ms // 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"


def expected_rows(
    points: Iterable[Point],
    *,
    since: Optional[str] = None,
    until: Optional[str] = None,
    trial_component_prefix: Optional[str] = None,
    metric_name: Optional[str] = None,
) -> list:
    """The rows (tuples of strings, as CSV prints them) the reader must produce for ``points``.

    ``since``/``until`` are ISO ``...Z`` instants compared with the event time.
    """
    rows = []
    for p in points:
        if since and p.event_time < since:
            continue
        if until and p.event_time >= until:
            continue
        if trial_component_prefix and not p.trial_component.startswith(trial_component_prefix):
            continue
        if metric_name and p.metric_name != metric_name:
            continue
        rows.append(
            (
                p.event_time,
                p.account_id,
                p.region,
                p.trial_component,
                p.metric_name,
                "" if p.step is None else str(p.step),
                iso_ms(p.timestamp_ms),
                repr(float(p.value)),
            )
        )
    return rows


def _event_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _common(rng: random.Random, account: str, region: str, moment: datetime) -> dict:
    return {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLE:SageMaker",
            "arn": f"arn:aws:sts::{account}:assumed-role/SageMakerExecution/SageMaker",
            "accountId": account,
            "accessKeyId": "ASIAEXAMPLE",
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROAEXAMPLE",
                    "arn": f"arn:aws:iam::{account}:role/SageMakerExecution",
                    "accountId": account,
                    "userName": "SageMakerExecution",
                },
                "attributes": {"creationDate": _event_time(moment - timedelta(hours=1)), "mfaAuthenticated": "false"},
            },
        },
        "eventTime": _event_time(moment),
        "awsRegion": region,
        "sourceIPAddress": f"192.0.2.{rng.randrange(1, 255)}",
        "userAgent": USER_AGENT,
        "requestID": "".join(rng.choices(string.hexdigits.lower(), k=32)),
        "eventID": "".join(rng.choices(string.hexdigits.lower(), k=32)),
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": False,
        "recipientAccountId": account,
        "eventCategory": "Data",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": f"metrics.sagemaker.{region}.amazonaws.com"},
    }


def metric_event(
    rng: random.Random,
    account: str,
    region: str,
    moment: datetime,
    trial_component: str,
    n_points: int,
    *,
    step_every: int = 3,
) -> tuple[dict, list]:
    """A BatchPutMetrics event with ``n_points`` data points, and the points as :class:`Point`."""
    event = _common(rng, account, region, moment)
    base_ms = int(moment.timestamp() * 1000) - rng.randrange(0, 60_000)
    data, points = [], []
    for i in range(n_points):
        name = METRIC_NAMES[i % len(METRIC_NAMES)]
        stamp = base_ms + i * rng.choice((0, 1, 250, 1000))
        step: Optional[int] = None if i % step_every == step_every - 1 else rng.randrange(0, 100_000)
        value: Any = rng.choice((rng.random(), rng.uniform(-1e6, 1e6), rng.randrange(0, 10)))
        datum: dict = {"metricName": name, "timestamp": stamp, "value": value}
        if step is not None:
            datum["step"] = step
        data.append(datum)
        points.append(Point(event["eventTime"], account, region, trial_component, name, step, stamp, float(value)))
    event.update(
        {
            "eventSource": "metrics-sagemaker.amazonaws.com",
            "eventName": "BatchPutMetrics",
            "requestParameters": {"trialComponentName": trial_component, "metricData": data},
            "responseElements": None,
            "resources": [
                {
                    "accountId": account,
                    "type": "AWS::SageMaker::ExperimentTrialComponent",
                    "ARN": f"arn:aws:sagemaker:{region}:{account}:experiment-trial-component/{trial_component}",
                }
            ],
        }
    )
    return event, points


def other_event(rng: random.Random, account: str, region: str, moment: datetime) -> dict:
    """An event that is not BatchPutMetrics (a management call that mentions metrics, or an S3 data event)."""
    event = _common(rng, account, region, moment)
    if rng.random() < 0.5:
        event.update(
            {
                "eventSource": "sagemaker.amazonaws.com",
                "eventName": "CreateTrialComponent",
                "managementEvent": True,
                "eventCategory": "Management",
                "requestParameters": {"trialComponentName": "not-metrics", "metricData": [{"metricName": "x", "value": 1}]},
            }
        )
    else:
        event.update(
            {
                "eventSource": "s3.amazonaws.com",
                "eventName": "GetObject",
                "requestParameters": {"bucketName": "data", "key": "train/part-0001.csv"},
                "resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::data/train/part-0001.csv"}],
            }
        )
    return event


def log_key(account: str, region: str, delivered: datetime, unique: str, org_id: Optional[str] = None, prefix: str = "") -> str:
    org = f"{org_id}/" if org_id else ""
    stamp = delivered.strftime("%Y%m%dT%H%MZ")
    return (
        f"{prefix}AWSLogs/{org}{account}/CloudTrail/{region}/{delivered:%Y/%m/%d}/"
        f"{account}_CloudTrail_{region}_{stamp}_{unique}.json.gz"
    )


def write_tree(
    root: Path,
    *,
    accounts: tuple = ("111111111111", "222222222222"),
    regions: tuple = ("us-east-1", "eu-west-1"),
    days: Iterable[date] = (date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)),
    files_per_day: int = 2,
    events_per_file: int = 4,
    points_per_event: tuple = (1, 30),
    org_id: Optional[str] = None,
    prefix: str = "",
    seed: int = 7,
    other_events: bool = True,
    digests: bool = True,
    damaged: tuple = ("truncated", "not-json"),
    compresslevel: int = 6,
) -> Tree:
    """Write a CloudTrail tree under ``root`` and return what is in it.

    The first file of every account, region and day is delivered a few minutes after midnight and
    holds events of the day before (as CloudTrail does around midnight).
    """
    rng = random.Random(seed)
    tree = Tree(Path(root))
    trial_components = [f"train-run-{i:03d}-aws-training-job" for i in range(6)] + ["eval-run-1", "eval-run-2"]
    for account in accounts:
        for region in regions:
            for day in days:
                midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
                for index in range(files_per_day):
                    if index == 0:
                        delivered = midnight + timedelta(minutes=rng.randrange(1, 10))
                    else:
                        delivered = midnight + timedelta(minutes=rng.randrange(60, 24 * 60 - 1))
                    records = []
                    for _ in range(events_per_file):
                        moment = delivered - timedelta(seconds=rng.randrange(60, 900))
                        if other_events and rng.random() < 0.2:
                            records.append(other_event(rng, account, region, moment))
                            tree.other_events += 1
                            continue
                        event, points = metric_event(
                            rng, account, region, moment, rng.choice(trial_components), rng.randint(*points_per_event)
                        )
                        records.append(event)
                        tree.points.extend(points)
                    records.sort(key=lambda e: e["eventTime"])
                    unique = "".join(rng.choices(string.ascii_letters + string.digits, k=16))
                    path = tree.root / log_key(account, region, delivered, unique, org_id, prefix)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    body = json.dumps({"Records": records}).encode()
                    path.write_bytes(gzip.compress(body, compresslevel=compresslevel, mtime=0))
                    tree.log_files.append(path)
                if digests:
                    org = f"{org_id}/" if org_id else ""
                    digest = tree.root / (
                        f"{prefix}AWSLogs/{org}{account}/CloudTrail-Digest/{region}/{day:%Y/%m/%d}/"
                        f"{account}_CloudTrail-Digest_{region}_trail_{region}_{day:%Y%m%d}T235959Z.json.gz"
                    )
                    digest.parent.mkdir(parents=True, exist_ok=True)
                    # a digest looks enough like a log to be misread if it were not skipped
                    fake = {"Records": [metric_event(rng, account, region, midnight, "digest-trap", 3)[0]],
                            "digestStartTime": "x"}
                    digest.write_bytes(gzip.compress(json.dumps(fake).encode(), mtime=0))
                    tree.digest_files.append(digest)
    first_day = min(days) if not isinstance(days, (list, tuple)) else days[0]
    for kind in damaged:
        account, region = accounts[0], regions[0]
        delivered = datetime(first_day.year, first_day.month, first_day.day, 12, 0, tzinfo=timezone.utc)
        unique = ("DAMAGED" + kind.upper().replace("-", "") + "X" * 16)[:16]
        path = tree.root / log_key(account, region, delivered, unique, org_id, prefix)
        path.parent.mkdir(parents=True, exist_ok=True)
        event, _ = metric_event(rng, account, region, delivered - timedelta(minutes=5), "lost-run", 5)
        good = gzip.compress(json.dumps({"Records": [event]}).encode(), mtime=0)
        if kind == "truncated":
            path.write_bytes(good[: len(good) // 2])
        elif kind == "not-json":
            path.write_bytes(gzip.compress(b"<html>503 Service Unavailable</html>", mtime=0))
        else:
            raise ValueError(kind)
        tree.damaged_files.append(path)
    return tree


def upload_tree(s3_client: Any, bucket: str, tree: Tree, key_prefix: str = "") -> list:
    """Put every file of ``tree`` into ``bucket`` under ``key_prefix`` (keys relative to the root)."""
    keys = []
    for path in sorted(tree.root.rglob("*")):
        if path.is_file():
            key = key_prefix + path.relative_to(tree.root).as_posix()
            s3_client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())
            keys.append(key)
    return keys
