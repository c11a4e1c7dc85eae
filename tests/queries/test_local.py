"""Local SQL over the metric trail (DuckDB), and the proof that Athena's named queries answer the same.

Expected answers are computed here in plain Python from the generator's own record of every data
point (tests/support/cloudtrail.py), independently of the reader, of DuckDB and of the SQL files.
The Athena side is checked by translating each named query exactly as the construct stores it
(Trino SQL over the raw CloudTrail table) to DuckDB with sqlglot and running it over the same log
files loaded raw, as the CloudTrail SerDe presents them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlglot

from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.queries.local import QueryError, check_query, load_metrics, run_query, write_result
from cdk_sagemaker_monitoring.queries.named import METRICS_COLUMNS, athena_sql, metric_queries, metric_query
from support.cloudtrail import Point, write_tree

NAMED = [q.name for q in metric_queries()]


# ----------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """Two accounts, two regions, three days, digests, other events, and no damaged file."""
    return write_tree(tmp_path_factory.mktemp("trail"), damaged=(), points_per_event=(1, 40), events_per_file=6)


@pytest.fixture(scope="module")
def damaged_tree(tmp_path_factory):
    return write_tree(tmp_path_factory.mktemp("damaged"), accounts=("333333333333",), regions=("us-west-2",),
                      days=(date(2024, 6, 1),), seed=11)


@pytest.fixture(scope="module")
def local(tree):
    con = load_metrics(tree.root, workers=1)
    yield con
    con.close()


@pytest.fixture(scope="module")
def athena(tree):
    """DuckDB holding the raw CloudTrail table, and a runner for a named query's Athena SQL."""
    con = duckdb.connect()
    con.register("raw_events", raw_events(tree.log_files))
    con.execute("CREATE TABLE cloudtrail_events AS SELECT * FROM raw_events")

    def run(sql: str) -> list:
        return con.execute(sqlglot.transpile(sql, read="trino", write="duckdb")[0]).fetchall()

    yield run
    con.close()


def raw_events(files) -> pa.Table:
    """Log files as the Glue table presents them: lower-case columns, requestParameters as JSON text."""
    rows = []
    for path in files:
        day = "/".join(Path(path).parts[-4:-1])
        for record in json.loads(gzip.decompress(Path(path).read_bytes()))["Records"]:
            params = record.get("requestParameters")
            rows.append({
                "eventtime": record.get("eventTime"),
                "eventsource": record.get("eventSource"),
                "eventname": record.get("eventName"),
                "awsregion": record.get("awsRegion"),
                "recipientaccountid": record.get("recipientAccountId"),
                "useridentity": {"accountid": (record.get("userIdentity") or {}).get("accountId")},
                "requestparameters": None if params is None else json.dumps(params),
                "resources": [{"arn": r.get("ARN"), "accountid": r.get("accountId"), "type": r.get("type")}
                              for r in record.get("resources") or []] or None,
                "day": day,
            })
    return pa.Table.from_pylist(rows)


# ----------------------------------------------------------------------------------- expected answers


def typed(p: Point) -> tuple:
    event_time = datetime.strptime(p.event_time, "%Y-%m-%dT%H:%M:%SZ")
    stamp = datetime(1970, 1, 1) + timedelta(milliseconds=p.timestamp_ms)
    return (event_time, p.account_id, p.region, p.trial_component, p.metric_name, p.step, stamp, float(p.value))


def by_run(points) -> dict:
    runs = defaultdict(list)
    for row in map(typed, points):
        runs[row[1:5]].append(row)
    return runs


def asc(value):
    """Sort key for ASC NULLS LAST."""
    return (value is None, value if value is not None else 0)


def history_order(row: tuple) -> tuple:
    event_time, *_, step, stamp, value = row
    return (asc(stamp), asc(step), asc(event_time), asc(value))


def expected_metric_points(points) -> list:
    rows = [typed(p) for p in points]
    return sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3], r[4], asc(r[6]), asc(r[5]), asc(r[7])))


def expected_latest_metric_values(points) -> list:
    answer = []
    for key, rows in sorted(by_run(points).items()):
        # DESC NULLS LAST on (timestamp, step, event_time, value): the greatest, nulls never win
        latest = max(rows, key=lambda r: ((r[6] is not None, r[6] or 0), (r[5] is not None, r[5] or 0),
                                          (r[0] is not None, r[0] or datetime.min), (r[7] is not None, r[7] or 0)))
        values = [r[7] for r in rows if r[7] is not None]
        answer.append((*key, latest[5], latest[6], latest[7], len(rows), min(values), max(values)))
    return answer


def expected_metric_history(points) -> list:
    answer = []
    for key, rows in sorted(by_run(points).items()):
        low = high = previous = None
        for index, row in enumerate(sorted(rows, key=history_order), start=1):
            value = row[7]
            low = value if low is None else min(low, value)
            high = value if high is None else max(high, value)
            change = None if previous is None else value - previous
            previous = value
            answer.append((*key, row[5], row[6], value, index, low, high, change))
    return answer


EXPECTED = {
    "metric-points": expected_metric_points,
    "latest-metric-values": expected_latest_metric_values,
    "metric-history": expected_metric_history,
}


def test_every_named_query_has_an_independent_expectation():
    assert sorted(EXPECTED) == sorted(NAMED)


# ----------------------------------------------------------------------------------- the local table


def test_metrics_table_has_the_columns_of_the_metrics_command(local):
    described = local.execute("DESCRIBE metrics").fetchall()
    assert [(name, kind) for name, kind, *_ in described] == list(METRICS_COLUMNS)


def test_metrics_table_holds_every_data_point_once(local, tree):
    got = sorted(local.execute("SELECT * FROM metrics").fetchall(), key=repr)
    assert got == sorted(map(typed, tree.points), key=repr)
    assert len(got) > 1000 and tree.other_events and tree.digest_files


@pytest.mark.parametrize("name", NAMED)
def test_named_query_locally_matches_python(local, tree, name):
    got = run_query(local, name).fetchall()
    assert got == EXPECTED[name](tree.points)


@pytest.mark.parametrize("name", NAMED)
def test_named_query_as_athena_runs_it_matches_python(athena, tree, name):
    """The construct's stored SQL (raw-table CTE + the same file), translated Trino -> DuckDB."""
    sql = metric_query(name).athena_sql("cloudtrail_events")
    assert athena(sql) == EXPECTED[name](tree.points)


def test_athena_metrics_definition_reads_like_the_reader(tmp_path):
    """Also the edge cases the generator does not make: no step, seconds, ISO text, no name, resource ARN only."""
    con = duckdb.connect()
    edge = {
        "eventTime": "2024-07-01T10:00:00Z", "eventName": "BatchPutMetrics", "awsRegion": "ap-south-1",
        "recipientAccountId": "444444444444",
        "requestParameters": {"metricData": [
            {"metricName": "loss", "timestamp": 1719828000, "value": 1},            # epoch seconds, int value
            {"metricName": "loss", "timestamp": 1719828000123.0, "step": 7, "value": 0.5},
            {"metricName": "loss", "timestamp": "2024-07-01T09:59:59.250Z", "value": 0.25},
            {"timestamp": 1719828000500, "value": 2.0},                             # no metric name
            "not a data point",
        ]},
        "resources": [{"type": "AWS::SageMaker::ExperimentTrialComponent",
                       "ARN": "arn:aws:sagemaker:ap-south-1:444444444444:experiment-trial-component/from-arn"}],
    }
    log = tmp_path / "AWSLogs/444444444444/CloudTrail/ap-south-1/2024/07/01/edge.json.gz"
    log.parent.mkdir(parents=True)
    log.write_bytes(gzip.compress(json.dumps({"Records": [edge]}).encode()))
    reader_rows = load_metrics(tmp_path, workers=1).execute("SELECT * FROM metrics ORDER BY value").fetchall()
    con.register("raw_events", raw_events([log]))
    con.execute("CREATE TABLE cloudtrail_events AS SELECT * FROM raw_events")
    definition = sqlglot.transpile(athena_sql("SELECT * FROM metrics ORDER BY value", "cloudtrail_events"),
                                   read="trino", write="duckdb")[0]
    athena_rows = con.execute(definition).fetchall()
    assert athena_rows == reader_rows
    assert [(r[3], r[4], r[5], r[6], r[7]) for r in athena_rows] == [
        ("from-arn", "loss", None, datetime(2024, 7, 1, 9, 59, 59, 250000), 0.25),
        ("from-arn", "loss", 7, datetime(2024, 7, 1, 10, 0, 0, 123000), 0.5),
        ("from-arn", "loss", None, datetime(2024, 7, 1, 10, 0, 0), 1.0),
        ("from-arn", "", None, datetime(2024, 7, 1, 10, 0, 0, 500000), 2.0),
    ]


def test_lookback_days_reads_only_recent_day_folders(tmp_path):
    today = datetime.now(timezone.utc).date()
    recent = write_tree(tmp_path / "t", accounts=("555555555555",), regions=("us-east-1",),
                        days=(today - timedelta(days=60), today - timedelta(days=1)), damaged=(), digests=False,
                        other_events=False, files_per_day=1, seed=3)
    con = duckdb.connect()
    con.register("raw_events", raw_events(recent.log_files))
    con.execute("CREATE TABLE cloudtrail_events AS SELECT * FROM raw_events")
    sql = athena_sql("SELECT DISTINCT CAST(event_time AS DATE) FROM metrics", "cloudtrail_events", lookback_days=30)
    days = {d for (d,) in con.execute(sqlglot.transpile(sql, read="trino", write="duckdb")[0]).fetchall()}
    assert days and all(d >= today - timedelta(days=31) for d in days)
    everything = athena_sql("SELECT DISTINCT CAST(event_time AS DATE) FROM metrics", "cloudtrail_events")
    all_days = {d for (d,) in con.execute(sqlglot.transpile(everything, read="trino", write="duckdb")[0]).fetchall()}
    assert min(all_days) < today - timedelta(days=50)


def test_athena_sql_parses_as_trino():
    for query in metric_queries():
        for lookback in (None, 7):
            parsed = sqlglot.parse_one(query.athena_sql("cloudtrail_events", lookback_days=lookback), read="trino")
            assert parsed.find(sqlglot.exp.With) is not None


def test_athena_sql_merges_a_query_with_its_own_with_clause(local):
    own = "WITH last AS (SELECT max(event_time) AS t FROM metrics) SELECT count(*) FROM metrics, last WHERE event_time = last.t"
    merged = athena_sql(own, "cloudtrail_events")
    assert merged.startswith("WITH metrics AS (") and merged.count("WITH ") == 1 and ",\nlast AS (" in merged
    sqlglot.parse_one(merged, read="trino")
    assert run_query(local, own).fetchall()[0][0] >= 1


# ----------------------------------------------------------------------------------- errors


def test_bad_sql_is_a_one_line_query_error():
    with pytest.raises(QueryError) as raised:
        check_query("SELECT no_such_column FROM metrics")
    assert "no_such_column" in str(raised.value) and "\n" not in str(raised.value)


def test_parquet_needs_a_file(local):
    with pytest.raises(QueryError, match="parquet output needs a file"):
        write_result(run_query(local, "SELECT 1"), io.BytesIO(), "parquet")


# ----------------------------------------------------------------------------------- the command


def run_cli(capsysbinary, *args) -> tuple[int, bytes, str]:
    code = main(["query", *map(str, args), "--workers", "1", "--no-progress"])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def as_csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return iso(value)
    return repr(value) if isinstance(value, float) else str(value)


def test_cli_named_query_prints_csv(capsysbinary, tree):
    code, out, err = run_cli(capsysbinary, tree.root, "--named", "latest-metric-values")
    assert code == 0 and err == ""
    rows = list(csv.reader(io.StringIO(out.decode())))
    assert rows[0] == ["account_id", "region", "trial_component", "metric_name", "step", "timestamp", "value",
                       "points", "min_value", "max_value"]
    assert rows[1:] == [[as_csv_text(v) for v in row] for row in expected_latest_metric_values(tree.points)]


def test_cli_sql_to_jsonl_and_parquet(capsysbinary, tree, tmp_path):
    sql = "SELECT trial_component, metric_name, count(*) AS n FROM metrics GROUP BY ALL ORDER BY ALL"
    counts = defaultdict(int)
    for p in tree.points:
        counts[(p.trial_component, p.metric_name)] += 1
    expected = [{"trial_component": t, "metric_name": m, "n": n} for (t, m), n in sorted(counts.items())]
    code, _, _ = run_cli(capsysbinary, tree.root, "--sql", sql, "-o", tmp_path / "counts.jsonl")
    assert code == 0
    assert [json.loads(line) for line in (tmp_path / "counts.jsonl").read_text().splitlines()] == expected
    code, _, _ = run_cli(capsysbinary, tree.root, "--sql", sql, "-o", tmp_path / "counts.parquet")
    assert code == 0 and pq.read_table(tmp_path / "counts.parquet").to_pylist() == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.jsonl", "counts.parquet"]


def test_cli_select_star_gives_the_rows_of_the_metrics_command(capsysbinary, tree, tmp_path):
    (tmp_path / "q.sql").write_text("-- every row\nSELECT * FROM metrics;\n")
    code, out, _ = run_cli(capsysbinary, tree.root, "--sql-file", tmp_path / "q.sql")
    assert code == 0
    assert main(["metrics", str(tree.root), "--workers", "1", "--no-progress"]) == 0
    printed, _ = capsysbinary.readouterr()
    mine = list(csv.reader(io.StringIO(out.decode())))
    theirs = list(csv.reader(io.StringIO(printed.decode())))
    assert mine[0] == theirs[0] == [c for c, _ in METRICS_COLUMNS]

    def same(row):  # the metrics command prints event_time without milliseconds
        event_time = row[0][:-1] + ".000Z" if len(row[0]) == 20 else row[0]
        return [event_time, *row[1:7], repr(float(row[7]))]

    assert sorted(map(same, mine[1:])) == sorted(map(same, theirs[1:]))


def test_cli_filters_narrow_the_rows(capsysbinary, tree):
    code, out, _ = run_cli(capsysbinary, tree.root, "--sql", "SELECT count(*) FROM metrics",
                           "--metric", "accuracy", "--trial-component", "eval-", "--since", "2024-05-02")
    wanted = [p for p in tree.points if p.metric_name == "accuracy" and p.trial_component.startswith("eval-")
              and p.event_time >= "2024-05-02T00:00:00Z"]
    assert code == 0 and out.decode().splitlines()[1] == str(len(wanted)) and wanted


def test_cli_partial_read_exits_2_and_still_answers(capsysbinary, damaged_tree):
    code, out, err = run_cli(capsysbinary, damaged_tree.root, "--sql", "SELECT count(*) FROM metrics")
    assert code == 2
    assert out.decode().splitlines()[1] == str(len(damaged_tree.points))
    for path in damaged_tree.damaged_files:
        assert path.name in err
    assert "partial read" in err


def test_cli_bad_sql_fails_in_one_line_before_reading(capsysbinary, tree, tmp_path):
    target = tmp_path / "never.csv"
    code, out, err = run_cli(capsysbinary, tree.root, "--sql", "SELEC 1", "-o", target)
    assert code == 1 and out == b""
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_cli_reads_an_s3_prefix(capsysbinary, tree, monkeypatch):
    from moto import mock_aws

    from support.cloudtrail import upload_tree

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="trail-logs")
        upload_tree(s3, "trail-logs", tree, key_prefix="audit/")
        code, out, err = run_cli(capsysbinary, "s3://trail-logs/audit/", "--named", "metric-history", "--region", "us-east-1")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.decode())))[1:]
    assert rows == [[as_csv_text(v) for v in row] for row in expected_metric_history(tree.points)]


@pytest.mark.parametrize("sql", ["CREATE TABLE x (a INT)", "SELECT 1; SELECT 2", "INSERT INTO metrics DEFAULT VALUES", ""])
def test_only_one_select_is_accepted(sql):
    with pytest.raises(QueryError, match="expected one SELECT"):
        check_query(sql)
