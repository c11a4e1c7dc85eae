"""Read metric rows from a trail: list files, read and parse them in parallel, keep the order.

Local files are read and parsed in worker processes (parsing JSON is CPU work and holds the
GIL); S3 objects are downloaded by a pool of threads and parsed in the same worker processes.
At most a few files per worker are in flight, and results come back in listing order, so memory
stays flat and the output is the same from run to run.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Optional, Union, cast

from .parse import FileResult, RowFilter, parse_bytes
from .progress import Progress
from .rows import MetricRow
from .sources import LogFile, Source, open_source
from .window import TimeBound, TimeWindow

logger = logging.getLogger("cdk_sagemaker_monitoring.trail_reader")

SourceLike = Union[str, "os.PathLike[str]", Source]

#: Below this many files everything runs in the calling thread (pool start-up would cost more).
INLINE_FILES = 8
#: S3 downloads in flight.
S3_THREADS = 16


@dataclass(frozen=True)
class SkippedFile:
    """A file that was not read, and why."""

    name: str
    reason: str


@dataclass
class ReadReport:
    """What a read did. ``partial`` is true when some log file could not be read."""

    files: int = 0
    rows: int = 0
    bytes: int = 0
    skipped: list = field(default_factory=list)  # list[SkippedFile]: damaged or vanished files
    ignored: list = field(default_factory=list)  # list[SkippedFile]: JSON that is not a CloudTrail log

    @property
    def partial(self) -> bool:
        return bool(self.skipped)


def _filter(trial_component_prefix: Optional[str], metric_name: Union[str, Iterable[str], None], window: TimeWindow) -> RowFilter:
    names: Optional[frozenset] = None
    if metric_name is not None:
        names = frozenset([metric_name] if isinstance(metric_name, str) else metric_name)
    return RowFilter(window.since_text, window.until_text, trial_component_prefix or None, names)


def _read_local(name: str, path: str, keep: RowFilter, encoding: str) -> FileResult:
    """Worker: read and parse one local file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        return FileResult(name, damaged=f"cannot be read ({err.strerror or err})")
    return parse_bytes(name, data, keep, encoding)


def _process_pool(workers: int) -> Executor:
    """Worker processes for parsing: forked on Linux, threads elsewhere.

    Fork starts in milliseconds and, unlike spawn/forkserver, never re-imports the caller's main
    module (a script without an ``if __name__ == "__main__"`` guard would run again in every
    worker). Elsewhere (macOS, Windows) parsing falls back to threads. The pool is started at once,
    before any download thread exists.
    """
    import multiprocessing
    import sys

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        pool: Executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        pool.submit(int).result()  # a fork-context pool launches all its workers on the first submit
        return pool
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parse")


def _ordered(submit: Callable[[LogFile], Future], files: Iterator[LogFile], depth: int) -> Iterator[FileResult]:
    pending: deque = deque()
    try:
        for file in files:
            pending.append(submit(file))
            if len(pending) >= depth:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def iter_file_results(
    source: SourceLike,
    *,
    since: TimeBound = None,
    until: TimeBound = None,
    trial_component_prefix: Optional[str] = None,
    metric_name: Union[str, Iterable[str], None] = None,
    workers: Optional[int] = None,
    encoding: str = "rows",
    report: Optional[ReadReport] = None,
    on_skip: Optional[Callable[[SkippedFile], None]] = None,
    progress: Optional[Progress] = None,
    s3_client: Any = None,
    profile: Optional[str] = None,
    region: Optional[str] = None,
) -> Iterator[FileResult]:
    """Read every log file of ``source`` and yield one :class:`FileResult` per file, in listing order.

    ``encoding`` picks the payload of each result: ``"rows"`` (a list of :class:`MetricRow`),
    ``"csv"`` (CSV text without header), ``"jsonl"`` (bytes), ``"columns"`` (eight lists) or
    ``"raw"`` (tuples with the timestamp in epoch milliseconds). Damaged files are reported to
    ``on_skip`` (default: a logging warning) and recorded in ``report``; results for them carry no
    payload. AWS failures raise :class:`~cdk_sagemaker_monitoring.aws_access.AwsAccessError`.
    """
    window = TimeWindow.of(since, until)
    keep = _filter(trial_component_prefix, metric_name, window)
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    src = cast(Source, source) if hasattr(source, "files") else open_source(
        source, s3_client=s3_client, profile=profile, region=region)
    report = report if report is not None else ReadReport()

    listing = src.files(window)
    head = list(islice(listing, INLINE_FILES + 1))
    files: Iterator[LogFile] = _chain(head, listing)

    for result in _run(src, files, keep, encoding, workers, inline=len(head) <= INLINE_FILES):
        report.files += 1
        report.bytes += result.size
        if result.damaged is not None:
            skipped = SkippedFile(result.name, result.damaged)
            report.skipped.append(skipped)
            if on_skip is not None:
                on_skip(skipped)
            else:
                logger.warning("skipped %s: %s", skipped.name, skipped.reason)
        elif result.ignored is not None:
            report.ignored.append(SkippedFile(result.name, result.ignored))
            logger.info("ignored %s: %s", result.name, result.ignored)
        report.rows += result.rows
        if progress is not None:
            progress.update(rows=result.rows, size=result.size, skipped=result.damaged is not None)
        yield result


def _chain(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest


def _fetch_and_parse(src: Source, file: LogFile, keep: RowFilter, encoding: str, pool: Optional[Executor]) -> FileResult:
    try:
        data = src.read(file)
    except FileNotFoundError as err:
        return FileResult(file.name, damaged=str(err))
    if pool is None:
        return parse_bytes(file.name, data, keep, encoding)
    return pool.submit(parse_bytes, file.name, data, keep, encoding).result()


def _run(src: Source, files: Iterator[LogFile], keep: RowFilter, encoding: str, workers: int, *,
         inline: bool) -> Iterator[FileResult]:
    if src.local:
        if inline or workers == 1:
            for file in files:
                yield _read_local(file.name, file.key, keep, encoding)
            return
        with _process_pool(workers) as pool:
            try:
                yield from _ordered(lambda f: pool.submit(_read_local, f.name, f.key, keep, encoding), files, workers * 4)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        return
    if inline:
        for file in files:
            yield _fetch_and_parse(src, file, keep, encoding, None)
        return
    parse_pool = _process_pool(workers) if workers > 1 else None
    try:
        with ThreadPoolExecutor(max_workers=S3_THREADS, thread_name_prefix="s3-get") as threads:
            try:
                yield from _ordered(
                    lambda f: threads.submit(_fetch_and_parse, src, f, keep, encoding, parse_pool),
                    files,
                    S3_THREADS * 2,
                )
            finally:
                threads.shutdown(wait=True, cancel_futures=True)
    finally:
        if parse_pool is not None:
            parse_pool.shutdown(wait=True, cancel_futures=True)


def read_metric_rows(
    source: SourceLike,
    *,
    since: TimeBound = None,
    until: TimeBound = None,
    trial_component_prefix: Optional[str] = None,
    metric_name: Union[str, Iterable[str], None] = None,
    workers: Optional[int] = None,
    report: Optional[ReadReport] = None,
    on_skip: Optional[Callable[[SkippedFile], None]] = None,
    s3_client: Any = None,
    profile: Optional[str] = None,
    region: Optional[str] = None,
) -> Iterator[MetricRow]:
    """Every metric data point of every ``BatchPutMetrics`` event under ``source``, as :class:`MetricRow`.

    ``source`` is a local directory (searched recursively), a single log file, or
    ``s3://bucket/prefix`` (read with boto3 from the standard AWS configuration, or with
    ``s3_client``). ``since``/``until`` bound the events' ``eventTime`` (``since`` inclusive,
    ``until`` exclusive; a date alone for ``until`` means the end of that day) and narrow the
    folders listed. ``trial_component_prefix`` keeps trial components whose name starts with it;
    ``metric_name`` keeps one metric name (or any of several).

    Digest files and other events are skipped. Damaged files are skipped with a warning (or a call
    to ``on_skip``) and listed in ``report.skipped``; pass a :class:`ReadReport` to learn whether
    the read was partial. Rows come lazily, file by file, in listing order.

    Example::

        report = ReadReport()
        for row in read_metric_rows("s3://my-trail-bucket/AWSLogs/", since="2024-05-01", report=report):
            print(row.trial_component, row.metric_name, row.step, row.value)
        assert not report.partial
    """
    for result in iter_file_results(
        source,
        since=since,
        until=until,
        trial_component_prefix=trial_component_prefix,
        metric_name=metric_name,
        workers=workers,
        encoding="rows",
        report=report,
        on_skip=on_skip,
        s3_client=s3_client,
        profile=profile,
        region=region,
    ):
        if result.payload:
            yield from result.payload
