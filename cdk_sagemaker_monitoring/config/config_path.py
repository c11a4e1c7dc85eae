"""Where the configuration file named on the command line is: relative to where the user ran the command.

The CDK CLI runs the app in the directory it was started in, which must hold ``cdk.json``; ``./dev``
changes to the repository first. A relative ``-c config=my.yaml`` means the user's directory, which
``./dev`` (and npm, for scripts) pass on as ``INIT_CWD``; the default of ``cdk.json``
(``examples/monitoring.yaml``) means the app's directory. So a relative path is looked up in the
user's directory first, then in the app's; a file found in neither is refused with every absolute
path tried.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from ..errors import ConfigurationError

__all__ = ["ORIGINAL_CWD_ENV", "config_candidates", "find_config"]

ORIGINAL_CWD_ENV = "INIT_CWD"
"""The directory the user ran the command in, when a wrapper changed directory before running the app."""


def config_candidates(path: str | Path, cwd: Optional[Path] = None, original: Optional[str] = None) -> list[Path]:
    """The absolute paths ``path`` may mean, in the order they are tried (each once)."""
    given = Path(path).expanduser()
    if given.is_absolute():
        return [given]
    here = (cwd or Path.cwd()).resolve()
    start = original if original is not None else os.environ.get(ORIGINAL_CWD_ENV)
    bases = [Path(start).resolve()] if start else []
    bases.append(here)
    found: list[Path] = []
    for base in bases:
        candidate = base / given
        if candidate not in found:
            found.append(candidate)
    return found


def find_config(path: str | Path, cwd: Optional[Path] = None, original: Optional[str] = None) -> Path:
    """The configuration file ``path`` names: the first candidate that exists, else a ConfigurationError
    naming every absolute path tried."""
    candidates = config_candidates(path, cwd, original)
    for candidate in candidates:
        if candidate.exists():
            return candidate
    tried = " and ".join(str(c) for c in candidates)
    relative = "" if Path(path).is_absolute() else " (a relative path is looked up where you ran the command, then " \
                                                    "beside the app's cdk.json)"
    raise ConfigurationError("config", f"the configuration file does not exist: looked for {tried}{relative}",
                             fix="pass an existing YAML file, e.g. -c config=examples/monitoring.yaml", source=str(path))
