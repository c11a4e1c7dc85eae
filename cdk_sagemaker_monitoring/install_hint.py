"""The install command for an extra that works for how this package was installed.

The package is not on a package index: it is installed from a clone (``pip install ./repo``, editable
or not) or from its wheel file. pip records where it came from in the distribution's
``direct_url.json`` (PEP 610); the command names that directory or wheel, so that copying it works.
"""

from __future__ import annotations

import json
import shlex
from importlib import metadata
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote, urlparse

__all__ = ["DISTRIBUTION", "WHEEL_NAME", "install_command", "missing_extra_message"]

DISTRIBUTION = "cdk-sagemaker-monitoring"
WHEEL_NAME = "cdk_sagemaker_monitoring-0.1.0-py3-none-any.whl"
"""The wheel's file name (``pip wheel . --no-deps`` writes it; the name's dashes become underscores)."""

#: The checkout this module is in, when it runs from one (``PYTHONPATH``, an editable install).
_CHECKOUT = Path(__file__).resolve().parent.parent


def _direct_url(dist: Any) -> Optional[dict[str, Any]]:
    text = dist.read_text("direct_url.json")
    if not text:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _file_path(url: str) -> Optional[str]:
    parsed = urlparse(url)
    return unquote(parsed.path) if parsed.scheme == "file" else None


def install_command(extra: str) -> str:
    """``pip install '<what this was installed from>[extra]'``: a command that works where it is printed."""
    try:
        dist: Any = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        dist = None
    where = _direct_url(dist) if dist is not None else None
    if dist is None:  # running from a checkout without installing it
        if (_CHECKOUT / "pyproject.toml").is_file():
            return f"pip install {shlex.quote(f'{_CHECKOUT}[{extra}]')}"
        return f"pip install {shlex.quote(f'{DISTRIBUTION}[{extra}]')}"
    if where is None:  # from an index
        return f"pip install {shlex.quote(f'{DISTRIBUTION}[{extra}]')}"
    url = str(where.get("url", ""))
    if "vcs_info" in where:
        vcs = where["vcs_info"].get("vcs", "git")
        return f"pip install {shlex.quote(f'{DISTRIBUTION}[{extra}] @ {vcs}+{url}')}"
    path = _file_path(url)
    if path is None:
        return f"pip install {shlex.quote(f'{DISTRIBUTION}[{extra}] @ {url}')}"
    if "dir_info" in where:
        editable = "-e " if where["dir_info"].get("editable") else ""
        return f"pip install {editable}{shlex.quote(f'{path}[{extra}]')}"
    wheel = path if Path(path).is_file() else Path(path).name  # the wheel it came from, or its name if moved
    return f"pip install {shlex.quote(f'{wheel}[{extra}]')}"


def _requirements(extra: str) -> list[str]:
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    marker = f'extra == "{extra}"'
    return [r.split(";", 1)[0].strip() for r in requires if marker in r.replace("'", '"')]


def missing_extra_message(what: str, module: str, extra: str) -> str:
    """``<what> needs <module>, which is not installed: pip install '...[extra]' (or: pip install <its requirements>)``."""
    command = install_command(extra)
    requirements = _requirements(extra)
    alone = f" (or only its packages: pip install {' '.join(shlex.quote(r) for r in requirements)})" if requirements else ""
    return f"{what} needs {module}, which is not installed: {command}{alone}"
