"""An organization trail's bucket (``AWSLogs/<org id>/<account>/CloudTrail/<region>/...``): ``metrics`` (local and
S3), ``query`` (DuckDB) and the Glue table of ``ExperimentMetricsQueries`` (its partition projection, and the
named query's Athena SQL run over what the projection reads) agree on one generated tree."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import duckdb
import pytest
import sqlglot
from support.cloudtrail import expected_rows, upload_tree, write_tree
from support.synth import new_app, template_of
from test_local import raw_events

from cdk_sagemaker_monitoring import ExperimentMetricsQueries, ExperimentMetricsTrail
from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.queries.local import load_metrics

ORG = "o-a1b2c3d4e5"
ACCOUNTS = ("111111111111", "222222222222", "333333333333")
REGIONS = ("us-east-1", "eu-west-1")
DAYS = (date(2024, 5, 1), date(2024, 5, 2))
MANAGEMENT = cdk.Environment(account=ACCOUNTS[0], region="us-east-1")
PER_ACCOUNT = ("SELECT account_id, region, metric_name, count(*) AS points, sum(value) AS total FROM metrics "
               "GROUP BY account_id, region, metric_name ORDER BY account_id, region, metric_name")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return write_tree(tmp_path_factory.mktemp("org"), accounts=ACCOUNTS, regions=REGIONS, days=DAYS, org_id=ORG,
                      damaged=(), seed=5)


@pytest.fixture(scope="module")
def table() -> dict[str, Any]:
    """The Glue table an organization trail's queries put over its bucket (bucket name resolved to BUCKET)."""
    app = new_app()
    stack = cdk.Stack(app, "Management", env=MANAGEMENT)
    trail = ExperimentMetricsTrail(stack, "Trail", organization=True, organization_id=ORG)
    ExperimentMetricsQueries(stack, "Queries", trail=trail, accounts=list(ACCOUNTS), regions=list(REGIONS),
                             projection_start=DAYS[0] - timedelta(days=1))
    template = template_of(stack)
    (found,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::Glue::Table"]
    return json.loads(json.dumps(found["Properties"]["TableInput"]), object_hook=_resolve_bucket)


def _resolve_bucket(node: dict[str, Any]) -> Any:
    if set(node) == {"Ref"}:
        return "BUCKET"
    if set(node) == {"Fn::Join"}:
        separator, parts = node["Fn::Join"]
        return separator.join(parts)
    return node


def projected_files(table: dict[str, Any], root: Path) -> list[Path]:
    """Every file under a folder the projection names (each account x region x day it projects)."""
    parameters = table["Parameters"]
    template = parameters["storage.location.template"]
    assert template.startswith("s3://BUCKET/")
    start = date.fromisoformat(parameters["projection.day.range"].split(",")[0].replace("/", "-"))
    days = [start + timedelta(days=i) for i in range((DAYS[-1] - start).days + 2)]
    files: list[Path] = []
    for account in parameters["projection.account.values"].split(","):
        for region in parameters["projection.region.values"].split(","):
            for day in days:
                folder = template.replace("${account}", account).replace("${region}", region) \
                    .replace("${day}", day.strftime("%Y/%m/%d"))
                local = root / folder[len("s3://BUCKET/"):]
                files.extend(sorted(p for p in local.glob("*.json.gz")) if local.is_dir() else [])
    return files


def cli_rows(capsys, *argv: str) -> tuple[int, list[tuple[str, ...]]]:
    code = main([*argv, "--workers", "1", "--no-progress"])
    out, _ = capsys.readouterr()
    return code, [tuple(row) for row in list(csv.reader(io.StringIO(out)))[1:]]


def test_the_table_reads_the_organization_layout(table, tree) -> None:
    assert table["Parameters"]["storage.location.template"] == \
        f"s3://BUCKET/AWSLogs/{ORG}/${{account}}/CloudTrail/${{region}}/${{day}}"
    assert table["StorageDescriptor"]["Location"] == f"s3://BUCKET/AWSLogs/{ORG}/"
    assert sorted(projected_files(table, tree.root)) == sorted(tree.log_files)  # every log, no digest


def test_metrics_reads_every_point_locally_and_from_s3(tree, capsys, monkeypatch) -> None:
    code, rows = cli_rows(capsys, "metrics", str(tree.root))
    assert code == 0 and Counter(rows) == Counter(expected_rows(tree.points))
    from moto import mock_aws

    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="org-trail")
        upload_tree(s3, "org-trail", tree)
        code, from_s3 = cli_rows(capsys, "metrics", "s3://org-trail/", "--since", "2024-04-30",
                                 "--until", "2024-05-04")
    assert code == 0 and Counter(from_s3) == Counter(rows)


def test_query_and_athena_over_the_projection_agree(table, tree) -> None:
    local = load_metrics(tree.root, workers=1)
    try:
        duck = local.execute(PER_ACCOUNT).fetchall()
    finally:
        local.close()
    expected: dict[tuple[str, str, str], list[float]] = {}
    for p in tree.points:
        expected.setdefault((p.account_id, p.region, p.metric_name), []).append(float(p.value))
    assert [(a, r, m, n) for a, r, m, n, _ in duck] == [(*k, len(v)) for k, v in sorted(expected.items())]
    assert {a for a, *_ in duck} == set(ACCOUNTS) and {r for _, r, *_ in duck} == set(REGIONS)

    from cdk_sagemaker_monitoring.queries.named import athena_sql

    con = duckdb.connect()
    con.register("raw_events", raw_events(projected_files(table, tree.root)))
    con.execute(f"CREATE TABLE {table['Name']} AS SELECT * FROM raw_events")
    sql = sqlglot.transpile(athena_sql(PER_ACCOUNT, table["Name"]), read="trino", write="duckdb")[0]
    athena = con.execute(sql).fetchall()
    con.close()
    assert [row[:4] for row in athena] == [row[:4] for row in duck]
    assert all(abs(a[4] - d[4]) <= 1e-9 * max(1.0, abs(d[4])) for a, d in zip(athena, duck, strict=True))
