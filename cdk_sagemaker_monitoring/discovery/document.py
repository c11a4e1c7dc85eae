"""Turn discovered entries into a configuration the app accepts as it is, and write it as YAML.

The document is validated with the same loader the app uses; an entry the loader refuses (a
name outside the configuration's patterns, say) is left out with a note, so the file written is
always one ``load_config`` accepts.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Optional

import yaml

#: Configuration keys in the order the file lists them.
SECTIONS = (
    "endpoints",
    "training_jobs",
    "processing_jobs",
    "transform_jobs",
    "feature_groups",
    "pipelines",
    "labeling_jobs",
    "workteams",
    "hyperpod_clusters",
    "monitoring_schedules",
)
DEFAULT_STACK_NAME = "SageMakerMonitoring"

_ENTRY_FIELD = re.compile(r"^(?P<section>[a-z_]+)\[(?P<index>\d+)\]")


def build_document(
    sections: dict[str, list],
    *,
    stack_name: str = DEFAULT_STACK_NAME,
    account: Optional[str] = None,
    region: Optional[str] = None,
) -> dict[str, Any]:
    """The configuration mapping: stack name, environment, then every non-empty section."""
    document: dict[str, Any] = {"stack_name": stack_name}
    env = {k: v for k, v in (("account", account), ("region", region)) if v}
    if env:
        document["env"] = env
    for key in SECTIONS:
        if sections.get(key):
            document[key] = list(sections[key])
    return document


def validated(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``document`` with every entry the app's loader refuses left out, and a note for each."""
    from ..config.loader import config_from_mapping
    from ..errors import ConfigurationError, ConfigurationErrors

    notes: list[str] = []
    document = {k: (list(v) if isinstance(v, list) else v) for k, v in document.items()}
    for _ in range(1 + sum(len(v) for v in document.values() if isinstance(v, list))):
        try:
            config_from_mapping(document, source="discovered configuration")
            return document, notes
        except ConfigurationError as err:
            errors = err.errors if isinstance(err, ConfigurationErrors) else [err]
            dropped: dict[str, set] = {}
            for error in errors:
                match = _ENTRY_FIELD.match(error.field)
                if not match or match["section"] not in document:
                    raise
                dropped.setdefault(match["section"], set()).add(int(match["index"]))
                entry = document[match["section"]][int(match["index"])]
                name = entry.get("name") if isinstance(entry, dict) else entry
                notes.append(f"left out {match['section']} entry {name!r}: {error.problem}")
            for section, indexes in dropped.items():
                document[section] = [e for i, e in enumerate(document[section]) if i not in indexes]
                if not document[section]:
                    del document[section]
    raise RuntimeError("could not make the discovered configuration valid")  # pragma: no cover


def to_yaml(document: dict[str, Any], *, header: Optional[str] = None) -> str:
    """YAML text of ``document`` (keys in document order), after a comment ``header``."""
    body = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True, width=120)
    if not header:
        return body
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + "\n" + body


def header_text(region: Optional[str], account: Optional[str], since_days: int, now: Optional[datetime] = None) -> str:
    when = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%MZ")
    where = " ".join(p for p in (f"account {account}" if account else "", f"region {region}" if region else "") if p)
    return (
        f"Discovered by `sagemaker-monitoring discover` in {where or 'the default account and region'} at {when}.\n"
        f"Jobs: created in the last {since_days} days (labeling jobs: also every job in progress).\n"
        "Review it, add alarm_emails or alarm_topic_arn, then deploy:\n"
        "  ./dev cdk deploy -c config=THIS_FILE"
    )
