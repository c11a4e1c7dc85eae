"""``discover --environment NAME``: a discovered account and region as an entry of a file's ``environments:``.

Each run reads one account and region (``--profile`` / ``--region``); the entry it makes is added to the
file's ``environments`` (or replaces the entry of the same name), the rest of the file is kept as it
was read, and the result is validated with the app's loader before it is written.
"""

from __future__ import annotations

from typing import Any, Optional

from ..config.environments import ENVIRONMENT_LISTS
from ..config.yaml_source import parse_yaml
from ..errors import ConfigurationError
from .document import SECTIONS

__all__ = ["environment_entry", "with_environment"]


def environment_entry(document: dict[str, Any], name: str) -> dict[str, Any]:
    """The discovered single-stack ``document`` as environment ``name`` (its account, region and lists)."""
    env = document.get("env") or {}
    if not env.get("account") or not env.get("region"):
        raise ConfigurationError("--environment", "the account or region of the credentials is unknown "
                                 "(sts:GetCallerIdentity failed or no region is configured)",
                                 fix="pass --region, and credentials that may call sts:GetCallerIdentity")
    entry: dict[str, Any] = {"name": name, "account": env["account"], "region": env["region"]}
    entry.update((key, document[key]) for key in SECTIONS if document.get(key))
    return entry


def with_environment(text: Optional[str], entry: dict[str, Any], *, stack_name: str, source: str) -> dict[str, Any]:
    """The configuration of file ``text`` (``None``: a new file) with ``entry`` in its ``environments``.

    Refuses a file that lists resources at the top level (one stack): it cannot also have environments.
    """
    data = parse_yaml(text, source).data if text else None  # the loader's checks: syntax, aliases, depth
    if data is None:
        data = {"stack_name": stack_name}
    if not isinstance(data, dict):
        raise ConfigurationError("(top level)", "is not a mapping of keys", source=source,
                                 fix="a configuration file, or a new file name")
    single = [key for key in (*ENVIRONMENT_LISTS, "env") if data.get(key)]
    if single:
        raise ConfigurationError(single[0], "is set at the top level: the file describes one stack, so no "
                                 "environment can be added to it", source=source,
                                 fix="move the top-level lists into an entry of `environments` first, or write "
                                     "to a new file")
    environments = list(data.get("environments") or [])
    names = [e.get("name") if isinstance(e, dict) else None for e in environments]
    if entry["name"] in names:
        environments[names.index(entry["name"])] = entry
    else:
        environments.append(entry)
    data["environments"] = environments
    return data
