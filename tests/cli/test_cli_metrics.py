"""The `metrics` command and the reader under it, on generated CloudTrail trees (local and S3)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timezone

import pytest

from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.install_hint import install_command
from cdk_sagemaker_monitoring.trail_reader import (
    COLUMNS,
    MetricRow,
    ReadReport,
    read_metric_rows,
    read_metric_table,
)
from support.cloudtrail import expected_rows, write_tree

DAYS = (date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return write_tree(tmp_path_factory.mktemp("trail"), days=DAYS, seed=11)


@pytest.fixture(scope="module")
def clean_tree(tmp_path_factory):
    return write_tree(tmp_path_factory.mktemp("clean"), days=DAYS[:2], damaged=(), seed=12, files_per_day=1)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(text: str) -> list:
    reader = csv.reader(io.StringIO(text))
    assert next(reader) == list(COLUMNS)
    return [tuple(row) for row in reader]


def as_text(row: MetricRow) -> tuple:
    return tuple("" if v is None else (repr(v) if isinstance(v, float) else str(v)) for v in row)


# ------------------------------------------------------------------------------ the generated tree


def test_tree_has_what_the_tests_need(tree):
    points = tree.points
    assert len({p.account_id for p in points}) == 2 and len({p.region for p in points}) == 2
    assert any(p.step is None for p in points) and any(p.step is not None for p in points)
    assert tree.other_events > 0 and tree.digest_files and len(tree.damaged_files) == 2
    # some events of 1 May were delivered into the folder of 2 May (as around midnight)
    early = [json.loads(gzip.decompress(f.read_bytes()))["Records"] for f in tree.log_files if "/2024/05/02/" in str(f)]
    assert any(e["eventTime"].startswith("2024-05-01") for records in early for e in records)
    assert max(Counter((p.event_time, p.trial_component) for p in points).values()) > 10


# ----------------------------------------------------------------------------------- local, CSV


def test_every_data_point_exactly_once_and_partial_read_exits_2(tree, capsys):
    code, out, err = run(capsys, "metrics", str(tree.root))
    assert Counter(csv_rows(out)) == Counter(expected_rows(tree.points))
    assert code == 2
    for damaged in tree.damaged_files:
        assert str(damaged) in err
    assert "partial read: 2 of" in err
    assert "Traceback" not in err
    assert "digest-trap" not in out and "not-metrics" not in out and "lost-run" not in out


def test_clean_read_exits_0(clean_tree, capsys):
    code, out, err = run(capsys, "metrics", str(clean_tree.root))
    assert code == 0, err
    assert Counter(csv_rows(out)) == Counter(expected_rows(clean_tree.points))
    assert err == ""


def test_step_is_empty_when_absent_and_quoting_survives(clean_tree, capsys):
    _, out, _ = run(capsys, "metrics", str(clean_tree.root))
    rows = csv_rows(out)
    assert any(r[5] == "" for r in rows)
    assert {r[4] for r in rows} >= {'f1, "macro"', "größe"}
    stamps = [datetime.fromisoformat(r[6].replace("Z", "+00:00")) for r in rows]
    assert all(s.tzinfo == timezone.utc for s in stamps) and all(r[6].endswith("Z") for r in rows)


@pytest.mark.parametrize(
    "args, since, until",
    [
        (["--since", "2024-05-02"], "2024-05-02T00:00:00Z", None),
        (["--until", "2024-05-01"], None, "2024-05-02T00:00:00Z"),
        (["--since", "2024-05-01T23:55:00Z", "--until", "2024-05-02T12:00"], "2024-05-01T23:55:00Z", "2024-05-02T12:00:00Z"),
    ],
)
def test_time_window_on_event_time(clean_tree, capsys, args, since, until):
    code, out, _ = run(capsys, "metrics", str(clean_tree.root), *args)
    expected = expected_rows(clean_tree.points, since=since, until=until)
    assert code == 0 and expected
    assert Counter(csv_rows(out)) == Counter(expected)


def test_trial_component_and_metric_filters(tree, capsys):
    _, out, _ = run(capsys, "metrics", str(tree.root), "--trial-component", "eval-", "--metric", 'f1, "macro"')
    expected = expected_rows(tree.points, trial_component_prefix="eval-", metric_name='f1, "macro"')
    assert expected and Counter(csv_rows(out)) == Counter(expected)


def test_unreadable_window_is_one_line_error(tree, capsys):
    code, out, err = run(capsys, "metrics", str(tree.root), "--since", "2024-13-01")
    assert code == 1 and out == ""
    assert err.startswith("error: since:") and err.count("\n") == 1


def test_missing_source_is_one_line_error(tmp_path, capsys):
    code, out, err = run(capsys, "metrics", str(tmp_path / "nope"))
    assert code == 1 and out == "" and "no such file or directory" in err and err.count("\n") == 1


# -------------------------------------------------------------------------- other formats, files


def test_jsonl_output(tree, tmp_path, capsys):
    target = tmp_path / "rows.jsonl"
    code, out, _ = run(capsys, "metrics", str(tree.root), "-o", str(target))
    assert code == 2 and out == ""
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert all(list(r) == list(COLUMNS) for r in records)
    got = Counter(
        tuple("" if r[c] is None else (repr(r[c]) if c == "value" else str(r[c])) for c in COLUMNS) for r in records
    )
    assert got == Counter(expected_rows(tree.points))
    assert any(r["step"] is None for r in records)


def test_parquet_output(tree, tmp_path, capsys):
    import pyarrow.parquet as pq

    target = tmp_path / "rows.parquet"
    code, _, _ = run(capsys, "metrics", str(tree.root), "-o", str(target), "--workers", "2")
    assert code == 2
    table = pq.read_table(target)
    assert table.column_names == list(COLUMNS)
    got = Counter(
        (
            r["event_time"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            r["account_id"],
            r["region"],
            r["trial_component"],
            r["metric_name"],
            "" if r["step"] is None else str(r["step"]),
            r["timestamp"].strftime("%Y-%m-%dT%H:%M:%S.") + f"{r['timestamp'].microsecond // 1000:03d}Z",
            repr(r["value"]),
        )
        for r in table.to_pylist()
    )
    assert got == Counter(expected_rows(tree.points))


def test_parquet_to_stdout_is_refused(tree, capsys):
    code, out, err = run(capsys, "metrics", str(tree.root), "--format", "parquet")
    assert code == 1 and out == "" and "-o FILE.parquet" in err


def test_failed_read_leaves_no_output_file(tmp_path, capsys):
    target = tmp_path / "out.csv"
    code, _, _ = run(capsys, "metrics", str(tmp_path / "missing"), "-o", str(target))
    assert code == 1 and not target.exists() and list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------ library API


def test_library_rows_report_and_parallel_order(tree):
    report = ReadReport()
    serial = list(read_metric_rows(tree.root, workers=1, report=report))
    parallel = list(read_metric_rows(str(tree.root), workers=2))
    assert serial == parallel  # same rows, same order
    assert all(isinstance(r, MetricRow) for r in serial)
    assert Counter(map(as_text, serial)) == Counter(expected_rows(tree.points))
    assert report.partial and {s.name for s in report.skipped} == {str(p) for p in tree.damaged_files}
    assert report.rows == len(tree.points) and report.files == len(tree.log_files) + len(tree.damaged_files)


def test_library_table(clean_tree):
    table = read_metric_table(clean_tree.root, metric_name=["accuracy", "train:loss"])
    expected = [r for r in expected_rows(clean_tree.points) if r[4] in ("accuracy", "train:loss")]
    assert table.num_rows == len(expected) > 0
    assert sorted(table.column("value").to_pylist()) == sorted(float(r[7]) for r in expected)


def test_organization_trail_layout_and_single_file(tmp_path):
    org = write_tree(tmp_path, org_id="o-abcdefghij", prefix="org-trail/", days=DAYS[:1], damaged=(), seed=3)
    assert "o-abcdefghij" in str(org.log_files[0])
    rows = list(read_metric_rows(tmp_path, since="2024-04-30"))
    assert Counter(map(as_text, rows)) == Counter(expected_rows(org.points))
    one = org.log_files[1]
    from_one = list(read_metric_rows(one))
    assert from_one and all(r.account_id in str(one) for r in from_one)


def test_files_without_records_are_ignored_not_damaged(tmp_path):
    (tmp_path / "settings.json").write_text('{"some": "config"}')
    report = ReadReport()
    assert list(read_metric_rows(tmp_path, report=report)) == []
    assert not report.partial and report.ignored


# ------------------------------------------------------------------------------------------- S3


@pytest.fixture
def s3(monkeypatch):
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        yield boto3.client("s3", region_name="us-east-1")


def test_s3_prefix_every_point_once(tree, s3, capsys):
    from support.cloudtrail import upload_tree

    s3.create_bucket(Bucket="trail-bucket")
    upload_tree(s3, "trail-bucket", tree, key_prefix="team/")
    s3.put_object(Bucket="trail-bucket", Key="other/data.json.gz", Body=b"not a log")
    code, out, err = run(capsys, "metrics", "s3://trail-bucket/team/")
    assert code == 2
    assert Counter(csv_rows(out)) == Counter(expected_rows(tree.points))
    assert f"s3://trail-bucket/team/{tree.damaged_files[0].relative_to(tree.root).as_posix()}" in err


def test_s3_pagination_and_date_narrowing(tree, s3):
    from cdk_sagemaker_monitoring.trail_reader import S3Source
    from support.cloudtrail import upload_tree

    s3.create_bucket(Bucket="trail-bucket")
    upload_tree(s3, "trail-bucket", tree)
    fetched: list = []
    s3.meta.events.register("before-parameter-build.s3.GetObject", lambda params, **_: fetched.append(params["Key"]))

    source = S3Source("s3://trail-bucket/", s3, page_size=1)
    rows = list(read_metric_rows(source, since="2024-05-02T00:00:00Z", until="2024-05-02T12:00:00Z"))
    expected = expected_rows(tree.points, since="2024-05-02T00:00:00Z", until="2024-05-02T12:00:00Z")
    assert expected and Counter(map(as_text, rows)) == Counter(expected)
    # only the day folders that can hold the window were listed and read
    day_folders = {"/".join(key.split("/")[-4:-1]) for key in fetched}
    assert day_folders <= {"2024/05/02", "2024/05/03"} and "2024/05/02" in day_folders
    assert not any("CloudTrail-Digest" in key for key in fetched)
    assert not any(p.endswith("/2024/05/01/") for p in source.listed)
    # pagination: with one key a page, folders of two files took two pages
    assert len(source.listed) > len({p for p in source.listed})


def test_s3_unknown_bucket_is_one_line_error(s3, capsys):
    code, out, err = run(capsys, "metrics", "s3://no-such-bucket-here/x/")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no-such-bucket-here" in err and "does not exist" in err


def test_no_credentials_is_one_line_error(tmp_path, monkeypatch, capsys):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    code, _, err = run(capsys, "metrics", "s3://some-bucket/AWSLogs/")
    assert code == 1 and err.count("\n") == 1
    assert "no AWS credentials" in err and "s3://some-bucket/AWSLogs/" in err


@pytest.mark.parametrize(
    "code_, status, expect",
    [("AccessDenied", 403, "was denied"), ("SlowDown", 503, "throttled"), ("ExpiredToken", 400, "rejected the credentials")],
)
def test_aws_failures_are_one_line(code_, status, expect):
    import boto3
    from botocore.stub import Stubber

    from cdk_sagemaker_monitoring.aws_access import AwsAccessError
    from cdk_sagemaker_monitoring.trail_reader import S3Source

    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stub:
        stub.add_client_error("list_objects_v2", service_error_code=code_, http_status_code=status)
        with pytest.raises(AwsAccessError) as caught:
            list(read_metric_rows(S3Source("s3://b/AWSLogs/", client)))
    message = str(caught.value)
    assert expect in message and "s3://b/AWSLogs/" in message and "\n" not in message


def test_clients_retry_adaptively():
    import boto3

    from cdk_sagemaker_monitoring.aws_access import RETRY_ATTEMPTS, client

    made = client(boto3.Session(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"), "s3")
    assert made.meta.config.retries["mode"] == "adaptive"
    assert made.meta.config.retries["total_max_attempts"] == RETRY_ATTEMPTS


# ----------------------------------------------------------------------------------- the command


def test_progress_only_on_a_terminal():
    from cdk_sagemaker_monitoring.trail_reader.progress import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, loud = io.StringIO(), Tty()
    for stream in (quiet, loud):
        progress = Progress(stream)
        progress.update(rows=5, size=10)
        progress.close()
    assert quiet.getvalue() == "" and "5 rows" in loud.getvalue()


def test_python_dash_m_runs_the_command(clean_tree):
    done = subprocess.run(
        [sys.executable, "-m", "cdk_sagemaker_monitoring", "metrics", str(clean_tree.root), "--metric", "accuracy"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert Counter(csv_rows(done.stdout)) == Counter(expected_rows(clean_tree.points, metric_name="accuracy"))


def test_usage_errors_exit_1_not_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["metrics"])
    assert caught.value.code == 1


STARTS = ("", "AWSLogs/", "AWSLogs/2222", "AWSLogs/222222222222/CloudTrail/", "AWSLogs/111111111111/CloudTrail/eu-west-1",
          "AWSLogs/111111111111/CloudTrail/us-east-1/2024/05/", "AWSLogs/111111111111/CloudTrail/us-east-1/2024/05/02/")


def test_s3_listing_from_any_starting_prefix(tree, s3):
    from cdk_sagemaker_monitoring.trail_reader import S3Source, TimeWindow
    from support.cloudtrail import upload_tree

    s3.create_bucket(Bucket="trail-bucket")
    upload_tree(s3, "trail-bucket", tree)
    keys = [f.relative_to(tree.root).as_posix() for f in tree.log_files + tree.damaged_files]
    for start in STARTS:
        for window in (None, ("2024-05-02", "2024-05-02")):
            days = {"2024/05/02", "2024/05/03"} if window else None  # the window's day and the delivery slack
            expected = sorted(
                k for k in keys if k.startswith(start) and (days is None or "/".join(k.split("/")[-4:-1]) in days)
            )
            source = S3Source(f"s3://trail-bucket/{start}", s3)
            listed = sorted(f.key for f in source.files(TimeWindow.of(*(window or ()))))
            assert listed == expected and expected, (start, window)


def test_standard_json_fallback_gives_the_same_rows(clean_tree):
    code = (
        "import sys; sys.modules['orjson'] = None\n"
        "from cdk_sagemaker_monitoring.trail_reader import parse, write_metrics\n"
        "assert parse._orjson is None\n"
        f"write_metrics({str(clean_tree.root)!r}, workers=1)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert Counter(csv_rows(done.stdout)) == Counter(expected_rows(clean_tree.points))


def test_parquet_without_pyarrow_is_one_line_error(clean_tree, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, _, err = run(capsys, "metrics", str(clean_tree.root), "-o", str(tmp_path / "rows.parquet"))
    assert code == 1 and err.count("\n") == 1
    assert install_command("parquet") in err and "[parquet]" in err
    assert list(tmp_path.iterdir()) == []


def test_no_log_files_is_a_warning(tmp_path, capsys):
    code, out, err = run(capsys, "metrics", str(tmp_path))
    assert code == 0 and out == ",".join(COLUMNS) + "\n"
    assert "no CloudTrail log files" in err


@pytest.mark.parametrize("via_option", [True, False])
def test_unknown_profile_is_named_in_one_line(tmp_path, monkeypatch, capsys, via_option):
    """An unconfigured profile is named, whether it came from --profile or from AWS_PROFILE."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    args = ["metrics", "s3://some-bucket/logs", "--region", "us-east-1"]
    if via_option:
        args += ["--profile", "no-such-profile"]
    else:
        monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: AWS profile 'no-such-profile' is not configured: add it to ~/.aws/config "
                   "or pick another with --profile"]
