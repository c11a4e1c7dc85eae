"""Read SageMaker Experiments metrics back from the CloudTrail log files the trail delivers.

One row per metric data point of every ``BatchPutMetrics`` event, with the columns
:data:`COLUMNS` (``event_time, account_id, region, trial_component, metric_name, step,
timestamp, value``), from a local directory or an ``s3://bucket/prefix``::

    from cdk_sagemaker_monitoring.trail_reader import ReadReport, read_metric_rows, read_metric_table

    report = ReadReport()
    rows = list(read_metric_rows("logs/", since="2024-05-01", report=report))
    table = read_metric_table("s3://trail-bucket/AWSLogs/", metric_name="loss")  # needs pyarrow

The ``sagemaker-monitoring metrics`` command is a thin wrapper over :func:`write_metrics`.
"""

from __future__ import annotations

from .parse import RowFilter
from .reader import ReadReport, SkippedFile, iter_file_results, read_metric_rows
from .rows import COLUMNS, MetricRow, iso_from_epoch_ms
from .sources import LocalSource, LogFile, S3Source, Source, open_source
from .table import MissingExtraError, metric_batch_reader, metric_record_batches, metric_schema, read_metric_table
from .window import TimeWindow, WindowError
from .writers import FORMATS, write_metrics

__all__ = [
    "COLUMNS",
    "FORMATS",
    "LocalSource",
    "LogFile",
    "MetricRow",
    "MissingExtraError",
    "ReadReport",
    "RowFilter",
    "S3Source",
    "SkippedFile",
    "Source",
    "TimeWindow",
    "WindowError",
    "iso_from_epoch_ms",
    "iter_file_results",
    "metric_batch_reader",
    "metric_record_batches",
    "metric_schema",
    "open_source",
    "read_metric_rows",
    "read_metric_table",
    "write_metrics",
]
