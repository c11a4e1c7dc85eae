"""Where CloudTrail log files come from: a local directory (searched recursively) or an S3 prefix.

Both walk the layout CloudTrail delivers::

    [prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<id>.json.gz

skipping digest files (``CloudTrail-Digest/``) and Insights files, and, when a time window is
given, every day folder that cannot hold events of the window. Files are yielded lazily and in a
stable order (sorted by path), so memory does not grow with the number of files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Protocol

from ..aws_access import error_code, explain
from .window import TimeWindow

#: Folders that never hold BatchPutMetrics events.
SKIPPED_FOLDERS = frozenset({"CloudTrail-Digest", "CloudTrail-Insight", "CloudTrail-Aggregated"})
_LOG_SUFFIXES = (".json.gz", ".json")
_DIGEST_MARK = "CloudTrail-Digest"
_ACCOUNT = re.compile(r"^\d{12}$")
_ORG = re.compile(r"^o-[a-z0-9]{10,32}$")
_YEAR, _MONTH_DAY = re.compile(r"^\d{4}$"), re.compile(r"^\d{2}$")
#: Folder levels searched below the starting prefix before `AWSLogs/` must have appeared.
MAX_PREFIX_DEPTH = 4


class SourceError(ValueError):
    """A SOURCE that cannot name log files (for example ``s3://`` without a bucket)."""


@dataclass(frozen=True)
class LogFile:
    """One log file: ``name`` for messages (a path or ``s3://`` URL), ``key`` to read it by."""

    name: str
    key: str
    size: int = 0


class Source(Protocol):
    """A place log files are read from."""

    description: str
    #: True when a worker process can read a file itself from its ``key`` (a local path).
    local: bool

    def files(self, window: TimeWindow) -> Iterator[LogFile]: ...

    def read(self, file: LogFile) -> bytes: ...


def is_log_file_name(name: str) -> bool:
    """A CloudTrail log file (``.json.gz``, or ``.json`` once unpacked), not a digest."""
    return name.endswith(_LOG_SUFFIXES) and _DIGEST_MARK not in name


def _date_parts(parts: list[str]) -> Optional[tuple[int, ...]]:
    """The ``YYYY[/MM[/DD]]`` components after ``CloudTrail/<region>/`` in a folder path, if any."""
    try:
        at = len(parts) - 1 - parts[::-1].index("CloudTrail")
    except ValueError:
        return None
    tail = parts[at + 2 : at + 5]
    if not tail or not _YEAR.match(tail[0]) or not all(_MONTH_DAY.match(p) for p in tail[1:]):
        return None
    try:
        numbers = tuple(int(p) for p in tail)
        if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
            return None
        return numbers
    except ValueError:
        return None


def _folder_may_hold(parts: list[str], window: TimeWindow) -> bool:
    numbers = _date_parts(parts)
    if numbers is None or window.unbounded:
        return True
    try:
        return window.may_hold(*numbers)
    except ValueError:  # 2024/02/31 and the like: not a CloudTrail folder, look inside
        return True


# ------------------------------------------------------------------------------------- local


class LocalSource:
    """A directory searched recursively, or a single log file."""

    local = True

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.description = self.path
        if not os.path.exists(self.path):
            raise FileNotFoundError(f"{self.path}: no such file or directory (SOURCE is a directory, a log file or s3://BUCKET/PREFIX)")

    def files(self, window: TimeWindow) -> Iterator[LogFile]:
        if os.path.isfile(self.path):
            yield LogFile(self.path, self.path, os.path.getsize(self.path))
            return
        for folder, dirs, names in os.walk(self.path):
            parts = folder.replace(os.sep, "/").split("/")
            dirs[:] = sorted(
                d for d in dirs if d not in SKIPPED_FOLDERS and _folder_may_hold([*parts, d], window)
            )
            for name in sorted(names):
                if is_log_file_name(name):
                    path = os.path.join(folder, name)
                    try:
                        size = os.path.getsize(path)
                    except OSError:
                        size = 0
                    yield LogFile(path, path, size)

    def read(self, file: LogFile) -> bytes:
        with open(file.key, "rb") as handle:
            return handle.read()


# ---------------------------------------------------------------------------------------- S3


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ``("bucket", "some/prefix")``."""
    rest = url[len("s3://") :]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise SourceError(f"{url} names no bucket: use s3://BUCKET[/PREFIX]")
    return bucket, prefix


class S3Source:
    """An S3 prefix, listed with ``ListObjectsV2`` (paginated).

    Without a time window every object under the CloudTrail folders is listed in one paginated
    stream per ``CloudTrail/<region>/`` folder. With one, accounts and regions are found with
    delimiter listings and only the ``YYYY/MM/DD/`` day prefixes in the window are listed.
    """

    local = False

    def __init__(self, url: str, s3_client: Any, *, page_size: Optional[int] = None) -> None:
        self.bucket, self.prefix = parse_s3_url(url)
        self.description = url
        self.client = s3_client
        self.page_size = page_size  # MaxKeys per ListObjectsV2 page (None: S3's default, 1,000)
        self.listed: list[str] = []  # the prefix of every ListObjectsV2 page requested

    def _url(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def _pages(self, prefix: str, delimiter: Optional[str]) -> Iterator[dict]:
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix}
        if delimiter:
            kwargs["Delimiter"] = delimiter
        if self.page_size:
            kwargs["MaxKeys"] = self.page_size
        token = None
        while True:
            if token:
                kwargs["ContinuationToken"] = token
            try:
                self.listed.append(prefix)
                page = self.client.list_objects_v2(**kwargs)
            except Exception as err:  # noqa: BLE001 - translated into one line
                raise explain(err, "s3:ListObjectsV2", self._url(prefix), permission="s3:ListBucket") from None
            yield page
            if not page.get("IsTruncated"):
                return
            token = page.get("NextContinuationToken")

    def _flat(self, prefix: str) -> Iterator[LogFile]:
        for page in self._pages(prefix, None):
            for item in page.get("Contents", ()):
                key = item["Key"]
                if is_log_file_name(key) and not any(f"/{skip}/" in f"/{key}" for skip in SKIPPED_FOLDERS):
                    yield LogFile(self._url(key), key, int(item.get("Size", 0)))

    def _children(self, prefix: str) -> tuple[list[str], list[LogFile]]:
        folders: list[str] = []
        files: list[LogFile] = []
        for page in self._pages(prefix, "/"):
            folders.extend(p["Prefix"] for p in page.get("CommonPrefixes", ()))
            files.extend(
                LogFile(self._url(item["Key"]), item["Key"], int(item.get("Size", 0)))
                for item in page.get("Contents", ())
                if is_log_file_name(item["Key"])
            )
        return sorted(folders), files

    def files(self, window: TimeWindow) -> Iterator[LogFile]:
        yield from self._walk(self.prefix, window, depth=0)

    def _walk(self, prefix: str, window: TimeWindow, depth: int) -> Iterator[LogFile]:
        complete = prefix.split("/")[:-1]  # the last part is partial (or empty after a trailing slash)
        if "CloudTrail" in complete:
            at = len(complete) - 1 - complete[::-1].index("CloudTrail")
            if len(complete) > at + 1:  # the region is known: list its days
                yield from self._region(prefix, "/".join(complete[: at + 2]) + "/", window)
                return
            folders, files = self._children(prefix)  # the regions
            yield from files
            for folder in folders:
                yield from self._walk(folder, window, depth + 1)
            return
        below_awslogs = "AWSLogs" in complete
        if not below_awslogs and depth > MAX_PREFIX_DEPTH:
            return
        folders, files = self._children(prefix)
        yield from files
        for folder in folders:
            name = folder.rstrip("/").rsplit("/", 1)[-1]
            if name in SKIPPED_FOLDERS:
                continue
            # below AWSLogs/ only organization ids, account ids and CloudTrail/ lead to trail logs
            if below_awslogs and not (_ACCOUNT.match(name) or _ORG.match(name) or name == "CloudTrail"):
                continue
            yield from self._walk(folder, window, depth + 1)

    def _region(self, start: str, region_prefix: str, window: TimeWindow) -> Iterator[LogFile]:
        if window.since is None:
            # no lower bound: list the region (or the narrower start) in one stream, pruning by date
            for file in self._flat(start):
                parts = file.key.split("/")[:-1]
                if _folder_may_hold(parts, window):
                    yield file
            return
        for day in window.days():
            day_prefix = region_prefix + day.strftime("%Y/%m/%d/")
            if day_prefix.startswith(start):
                yield from self._flat(day_prefix)
            elif start.startswith(day_prefix):  # the start is inside one day folder
                yield from self._flat(start)
                return

    def read(self, file: LogFile) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=file.key)["Body"].read()
        except Exception as err:  # noqa: BLE001
            if error_code(err) in {"NoSuchKey", "404"}:
                raise FileNotFoundError(f"{file.name} was deleted after it was listed") from None
            raise explain(err, "s3:GetObject", file.name) from None


def open_source(
    source: str | os.PathLike[str],
    *,
    s3_client: Any = None,
    profile: Optional[str] = None,
    region: Optional[str] = None,
    pool: int = 16,
) -> Source:
    """A :class:`Source` for a local path or an ``s3://bucket/prefix`` URL.

    For S3, ``s3_client`` is used when given; otherwise one is made from the standard AWS
    configuration (``profile``/``region`` override it; ``AWS_ENDPOINT_URL`` is honoured).
    """
    text = os.fspath(source)
    if text.startswith("s3://"):
        if s3_client is None:
            from ..aws_access import client, session

            s3_client = client(session(profile, region), "s3", pool=pool)
        return S3Source(text, s3_client)
    return LocalSource(text)


__all__ = ["LocalSource", "LogFile", "S3Source", "Source", "SourceError", "is_log_file_name", "open_source", "parse_s3_url"]
